use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a cron trigger that KEDA keeps active all the time, found by evaluating KEDA's
    /// decision over a year: a `start` and `end` that differ as text but are the same schedule
    /// (`0 8 * * *` and `0 08 * * *`), a `start` that never fires (`0 0 30 2 *`, February 30), or
    /// any pair whose next end never comes after the next start.
    ///
    /// ## Why is this bad?
    /// KEDA's rule is "active while the next end fire comes no later than the next start fire":
    /// for these pairs that is always true, so `desiredReplicas` becomes a permanent minimum and the
    /// workload never scales below it.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   triggers:
    ///     - {type: cron, metadata: {timezone: UTC, start: "0 8 * * *", end: "0 08 * * *", desiredReplicas: "3"}}
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
    pub AlwaysActiveCron {
        name: "always-active-cron",
        category: Suspicious,
        kinds: [ScaledObject, ScaledJob],
        summary: "a cron trigger that is active all the time",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scalers/cron_scaler.go: GetMetricsAndActivity"],
    }
}

impl Rule for AlwaysActiveCron {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let triggers = obj.triggers();
        for ct in &cx.index.cron[obj.id] {
            let Ok(tr) = &ct.result else { continue };
            if !ct.activity.always_active {
                continue;
            }
            let t = &triggers[ct.index];
            let why = if ct.activity.start_never_fires {
                "`start` never fires (no such date), and KEDA treats a start that never comes as always active"
            } else if tr.start == tr.end {
                "`start` and `end` are the same schedule written differently"
            } else {
                "the next `end` never comes after the next `start`"
            };
            let span = t.meta("start").map_or(t.span(), |n| n.span.clone());
            cx.report(
                Diagnostic::new(format!("this cron trigger is always active: {why}"))
                    .primary(obj.file, span, "window never closes")
                    .help("write `start` and `end` as the opening and closing time of the window, e.g. `0 8 * * 1-5` and `0 20 * * 1-5`"),
            );
        }
    }
}
