use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::scalers::Catalogue;
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a trigger whose target value is 0 (prometheus `threshold`, rabbitmq `value`,
    /// metrics-api `targetValue`, ...: the parameters marked `target` in rules/scalers.yaml), and a
    /// cpu/memory `Utilization` target below 1.
    ///
    /// ## Why is this bad?
    /// The target becomes the HPA's metric target, which the API server requires to be positive.
    /// KEDA accepts the ScaledObject, then the HPA it creates is rejected and the ScaledObject
    /// stays not ready.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - {type: prometheus, metadata: {serverAddress: "http://prometheus:9090", query: "sum(jobs)", threshold: "0"}}
    /// ```
    ///
    /// Use instead (activate from zero with `activationThreshold`):
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - {type: prometheus, metadata: {serverAddress: "http://prometheus:9090", query: "sum(jobs)", threshold: "10", activationThreshold: "0"}}
    /// ```
    ///
    /// ## References
    /// - kubernetes/kubernetes pkg/apis/autoscaling/validation/validation.go `validateMetricTarget`
    /// - KEDA docs, concepts/scaling-deployments.md "Activating and Scaling thresholds"
    pub ZeroMetricTarget {
        name: "zero-metric-target",
        category: Correctness,
        kinds: [ScaledObject],
        summary: "a trigger's target value is 0, which makes the HPA invalid",
        since: "0.1.0",
        sources: ["kubernetes/kubernetes pkg/apis/autoscaling/validation/validation.go: validateMetricTarget"],
    }
}

impl Rule for ZeroMetricTarget {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        // With scalingModifiers the triggers' targets are not used as HPA targets.
        if super::invalid_fallback::scaling_modifiers(so).is_some() {
            return;
        }
        let catalogue = Catalogue::get();
        for t in so.triggers() {
            let Some(scaler) = catalogue.scaler(t.type_str()) else { continue };
            let utilization = t.is_cpu_or_memory() && t.node.get("metricType").and_then(Node::text) == Some("Utilization");
            for p in scaler.params.iter().filter(|p| p.target) {
                let Some(v) = t.meta(&p.name) else { continue };
                let Some(n) = v.text().and_then(|s| s.trim().parse::<f64>().ok()) else { continue };
                let bad = if utilization { n < 1.0 } else { n == 0.0 };
                if bad {
                    cx.report(
                        Diagnostic::new(format!("`{}` is {}: the HPA needs a positive target", p.name, v.text().unwrap_or_default().trim()))
                            .primary(so.file, v.span.clone(), "not a positive target")
                            .help(if utilization { "a utilization target is a whole percent of the request, at least 1" } else { "set the value per replica the HPA should aim for; to scale from zero on any activity, use the `activation...` parameter" }),
                    );
                }
            }
        }
    }
}
