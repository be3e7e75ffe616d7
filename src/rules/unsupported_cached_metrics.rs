use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports `useCachedMetrics: true` on a `cpu`, `memory` or `cron` trigger.
    ///
    /// ## Why is this bad?
    /// KEDA's webhook rejects it: `property "useCachedMetrics" is not supported for "cron"
    /// scaler`. cpu and memory come from the Kubernetes metrics server, not from KEDA's cache,
    /// and a cron trigger's value depends on the time of each request.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - type: cron
    ///       useCachedMetrics: true
    ///       metadata: {timezone: UTC, start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: "3"}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - type: cron
    ///       metadata: {timezone: UTC, start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: "3"}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaletriggers_types.go `ValidateTriggers`
    pub UnsupportedCachedMetrics {
        name: "unsupported-cached-metrics",
        category: Correctness,
        kinds: [ScaledObject, ScaledJob],
        summary: "`useCachedMetrics` is set on a cpu, memory or cron trigger",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaletriggers_types.go: ValidateTriggers"],
    }
}

impl Rule for UnsupportedCachedMetrics {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        for t in obj.triggers() {
            let Some(entry) = t.node.entry("useCachedMetrics") else { continue };
            if entry.value.as_scalar().is_some_and(|s| s.resolve() == crate::yaml::Resolved::Bool(true))
                && matches!(t.type_str(), "cpu" | "memory" | "cron")
            {
                cx.report(
                    Diagnostic::new(format!("`useCachedMetrics` is not supported for the `{}` scaler", t.type_str()))
                        .primary(obj.file, entry.key.span.start..entry.value.span.end, "not supported here")
                        .secondary(obj.file, t.span(), "trigger type")
                        .help("remove `useCachedMetrics`"),
                );
            }
        }
    }
}
