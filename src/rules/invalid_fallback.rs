use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a `fallback` that KEDA's webhook rejects, following `keda-version`:
    /// - since 2.18: every trigger is `cpu` or `memory` (and no `scalingModifiers`): fallback
    ///   cannot apply to metrics KEDA does not serve;
    /// - 2.17: at least one non-cpu/memory trigger must use `metricType: AverageValue` (an
    ///   omitted metricType counts from 2.17.1), and with `scalingModifiers` their `metricType`
    ///   must not be `Value`;
    /// - 2.14 to 2.16: no cpu/memory trigger at all, and every trigger's `metricType` must be
    ///   `AverageValue` explicitly;
    /// - since 2.20: `behavior: scalingModifiers` needs `advanced.scalingModifiers.formula`.
    ///
    /// Negative values are rejected by the CRD (`schema-violation`).
    ///
    /// ## Why is this bad?
    /// The ScaledObject is rejected at admission, e.g. ``at least one trigger (that is not cpu or
    /// memory) has to have the `AverageValue` type for the fallback to be enabled``.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   minReplicaCount: 1
    ///   fallback: {failureThreshold: 3, replicas: 5}
    ///   triggers:
    ///     - {type: cpu, metricType: Utilization, metadata: {value: "60"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   minReplicaCount: 1
    ///   fallback: {failureThreshold: 3, replicas: 5}
    ///   triggers:
    ///     - {type: cpu, metricType: Utilization, metadata: {value: "60"}}
    ///     - {type: prometheus, metadata: {serverAddress: "http://prometheus:9090", query: "sum(rate(http_requests_total[1m]))", threshold: "100"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_types.go `CheckFallbackValid` (history: v2.14.0, v2.17.0, v2.17.1, v2.18.0)
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go `verifyScaledObjects` (`FallbackScalingModifiers`, kedacore/keda#7790)
    pub InvalidFallback {
        name: "invalid-fallback",
        category: Correctness,
        kinds: [ScaledObject],
        summary: "a `fallback` that KEDA's webhook rejects for this KEDA version",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_types.go: CheckFallbackValid"],
    }
}

/// KEDA's `IsUsingModifiers`: any of the modifier fields is non-empty.
pub fn scaling_modifiers(so: &Object) -> Option<&Node> {
    let sm = so.spec()?.at(&["advanced", "scalingModifiers"])?;
    ["formula", "target", "activationTarget", "metricType"].iter().any(|k| sm.get(k).and_then(Node::text).is_some_and(|t| !t.is_empty())).then_some(sm)
}

impl Rule for InvalidFallback {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(fb) = so.spec().and_then(|s| s.entry("fallback")) else { return };
        if fb.value.is_null() {
            return;
        }
        let version = cx.config.keda_version;
        let fb_span = fb.key.span.clone();
        let triggers = so.triggers();
        let sm = scaling_modifiers(so);
        let metric_type = |t: &crate::model::TriggerView<'_>| t.node.get("metricType").and_then(Node::text).unwrap_or("").to_owned();
        let report = |cx: &mut RuleContext<'_>, message: String, help: &str| {
            cx.report(Diagnostic::new(message).primary(so.file, fb_span.clone(), "fallback configured here").help(help.to_owned()));
        };

        if version >= (2, 20)
            && let Some(b) = fb.value.get("behavior").filter(|b| b.text() == Some("scalingModifiers")) {
                let formula = sm.and_then(|s| s.get("formula")).and_then(Node::text).unwrap_or("");
                if formula.is_empty() {
                    cx.report(
                        Diagnostic::new("`fallback.behavior: scalingModifiers` requires `advanced.scalingModifiers.formula`")
                            .primary(so.file, b.span.clone(), "needs a formula")
                            .help("add `spec.advanced.scalingModifiers.formula`, or use another fallback behavior"),
                    );
                }
            }
        if triggers.is_empty() {
            return;
        }
        if version >= (2, 18) {
            if sm.is_none() && triggers.iter().all(|t| t.is_cpu_or_memory()) {
                report(cx, "fallback needs at least one trigger that is not `cpu` or `memory`".into(), "add an external trigger, or remove `fallback`: KEDA serves no cpu/memory metrics it could replace");
            }
        } else if version >= (2, 17) {
            match sm {
                Some(s) if s.get("metricType").and_then(Node::text) == Some("Value") => {
                    report(cx, "with `scalingModifiers`, fallback requires `scalingModifiers.metricType: AverageValue`".into(), "set `metricType: AverageValue` on the scaling modifiers, or remove `fallback`")
                }
                Some(_) => {}
                None => {
                    let ok = triggers.iter().any(|t| !t.is_cpu_or_memory() && matches!(metric_type(t).as_str(), "AverageValue" | ""));
                    if !ok {
                        report(cx, "fallback needs a trigger that is not `cpu` or `memory` with `metricType: AverageValue`".into(), "give an external trigger `metricType: AverageValue`, or remove `fallback`");
                    }
                }
            }
        } else if version >= (2, 14) {
            if let Some(t) = triggers.iter().find(|t| t.is_cpu_or_memory()) {
                report(cx, format!("fallback is not supported with a `{}` trigger in this KEDA version", t.type_str()), "remove the cpu/memory trigger or the fallback (KEDA 2.18 relaxed this)");
            } else if let Some(t) = triggers.iter().find(|t| metric_type(t) != "AverageValue") {
                report(cx, format!("fallback needs every trigger to set `metricType: AverageValue` in this KEDA version; trigger `{}` does not", t.type_str()), "set `metricType: AverageValue` on every trigger (KEDA 2.18 relaxed this)");
            }
        }
    }
}
