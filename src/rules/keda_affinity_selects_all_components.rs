use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::keda_chart::{Component, Values};
use crate::model::Object;
use crate::selector::{matches, spreading_selectors};

declare_rule! {
    /// ## What it does
    /// In KEDA chart values, reports an anti-affinity term or spread constraint whose selector
    /// matches the pods of all three components, such as `app.kubernetes.io/component: operator`
    /// or `app.kubernetes.io/part-of: keda-operator`, which the chart puts on every KEDA pod.
    ///
    /// ## Why is this bad?
    /// The operator is then kept away from the metrics server and the webhooks too, not only
    /// from its own standby: with `required` anti-affinity on `kubernetes.io/hostname`, the
    /// install needs a node per pod and pods stay Pending on small clusters; with spreading, the
    /// skew counts the wrong pods.
    ///
    /// ## Example
    /// ```yaml,fail
    /// operator:
    ///   replicaCount: 2
    ///   affinity:
    ///     podAntiAffinity:
    ///       requiredDuringSchedulingIgnoredDuringExecution:
    ///         - labelSelector:
    ///             matchLabels: {app.kubernetes.io/part-of: keda-operator}
    ///           topologyKey: kubernetes.io/hostname
    /// metricsServer:
    ///   replicaCount: 1
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// operator:
    ///   replicaCount: 2
    ///   affinity:
    ///     podAntiAffinity:
    ///       requiredDuringSchedulingIgnoredDuringExecution:
    ///         - labelSelector:
    ///             matchLabels: {app: keda-operator}
    ///           topologyKey: kubernetes.io/hostname
    /// metricsServer:
    ///   replicaCount: 1
    /// ```
    ///
    /// ## References
    /// - kedacore/charts v2.20.2 keda/templates/_helpers.tpl (`keda.labels`: `app.kubernetes.io/component: operator` on all three)
    pub KedaAffinitySelectsAllComponents {
        name: "keda-affinity-selects-all-components",
        category: Suspicious,
        kinds: [KedaValues],
        summary: "a KEDA anti-affinity or spread selector matches all three components' pods",
        since: "0.2.0",
        sources: ["kedacore/charts v2.20.2 keda/templates/_helpers.tpl"],
    }
}

impl Rule for KedaAffinitySelectsAllComponents {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let v = Values { root: &obj.node };
        let enabled: Vec<Component> = Component::ALL.into_iter().filter(|c| v.enabled(*c)).collect();
        if enabled.len() < 3 {
            return;
        }
        let labels: Vec<_> = enabled.iter().map(|c| v.pod_labels(*c)).collect();
        let mut seen = Vec::new();
        for c in &enabled {
            for t in spreading_selectors(v.affinity(*c).map(|(a, _)| a), v.spread(*c)) {
                if seen.contains(&t.selector.span) || !labels.iter().all(|l| matches(&t.selector, l)) {
                    continue;
                }
                seen.push(t.selector.span.clone());
                cx.report(
                    Diagnostic::new(format!("this {} selector matches the pods of all three KEDA components, not only those of the {}", t.what, c.title()))
                        .primary(obj.file, t.selector.span.clone(), "matches operator, metrics server and webhooks")
                        .help(format!("select `app: {}`, the label only this component's pods have", v.deployment_name(*c))),
                );
            }
        }
    }
}
