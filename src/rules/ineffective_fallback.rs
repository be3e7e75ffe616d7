use super::invalid_fallback::scaling_modifiers;
use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a `fallback` that KEDA admits but that silently never engages:
    /// - with `scalingModifiers`, a `target` that is not a positive integer (`"2.5"` passes the
    ///   webhook, which parses a float, but the fallback code parses an integer and gives up);
    /// - `fallback.replicas: 0`, which makes the scale executor skip the fallback branch.
    ///
    /// ## Why is this bad?
    /// The author expects a safety net when the metric source fails; KEDA only logs "Failed to
    /// validate ScaledObject Spec. Please check that parameters are positive integers".
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   fallback: {failureThreshold: 3, replicas: 0}
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "5"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   fallback: {failureThreshold: 3, replicas: 2}
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "5"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/fallback/fallback.go `HasValidFallback`
    /// - kedacore/keda v2.20.2 pkg/scaling/executor/scale_scaledobjects.go `RequestScale`
    pub IneffectiveFallback {
        name: "ineffective-fallback",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "a `fallback` that KEDA accepts but never applies",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/fallback/fallback.go: HasValidFallback"],
    }
}

impl Rule for IneffectiveFallback {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(fb) = so.spec().and_then(|s| s.get("fallback")) else { return };
        if let Some(r) = fb.get("replicas").filter(|r| r.as_i64() == Some(0)) {
            cx.report(
                Diagnostic::new("`fallback.replicas: 0` disables the fallback")
                    .primary(so.file, r.span.clone(), "zero replicas")
                    .help("set the number of replicas to run while the metric source is failing, or remove `fallback`")
                    .note("KEDA's scale executor applies the fallback only when `fallback.replicas` is not 0"),
            );
        }
        if let Some(target) = scaling_modifiers(so).and_then(|sm| sm.get("target")) {
            let text = target.text().unwrap_or("");
            if !text.is_empty() && text.parse::<i64>().map_or(true, |v| v <= 0) && text.parse::<f64>().is_ok_and(|v| v > 0.0) {
                cx.report(
                    Diagnostic::new(format!("`scalingModifiers.target` `{text}` is not an integer, so the fallback never engages"))
                        .primary(so.file, target.span.clone(), "not a positive integer")
                        .secondary(so.file, fb.span.clone(), "this fallback is ignored")
                        .help("use a positive integer target, e.g. `\"2\"`"),
                );
            }
        }
    }
}
