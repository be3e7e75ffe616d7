use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a cron trigger that KEDA never activates over a whole year, typically because its
    /// `end` never fires (`0 0 31 4 *`, April 31).
    ///
    /// ## Why is this bad?
    /// The trigger does nothing: no window opens, and `desiredReplicas` is never applied.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   triggers:
    ///     - {type: cron, metadata: {timezone: UTC, start: "0 8 * * *", end: "0 0 31 4 *", desiredReplicas: "3"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   triggers:
    ///     - {type: cron, metadata: {timezone: UTC, start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: "3"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/scalers/cron_scaler.go `GetMetricsAndActivity`; rules.md §2.4
    pub NeverActiveCron {
        name: "never-active-cron",
        category: Suspicious,
        kinds: [ScaledObject, ScaledJob],
        summary: "a cron trigger that is never active",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scalers/cron_scaler.go: GetMetricsAndActivity"],
    }
}

impl Rule for NeverActiveCron {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let triggers = obj.triggers();
        for ct in &cx.index.cron[obj.id] {
            if ct.result.is_err() || ct.activity.count > 0 {
                continue;
            }
            let t = &triggers[ct.index];
            let (key, why) = if ct.activity.end_never_fires { ("end", "`end` never fires (no such date)") } else { ("start", "no window opens within a year") };
            cx.report(
                Diagnostic::new(format!("this cron trigger is never active: {why}"))
                    .primary(obj.file, t.meta(key).map_or(t.span(), |n| n.span.clone()), "window never opens")
                    .help("check the day-of-month and month fields of `start` and `end`"),
            );
        }
    }
}
