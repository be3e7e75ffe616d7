use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::cron::analysis::{fmt_utc, DstWindow};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a cron window that a daylight saving change stretches, shrinks or repeats: a
    /// `start` in the hour that the spring change skips is skipped, so the window stays open a
    /// whole day; a time in the hour that the autumn change repeats fires twice. The finding says
    /// on which date, from a year of KEDA's own decisions.
    ///
    /// ## Why is this bad?
    /// Once or twice a year the workload runs at the window's replica count for about a day, or
    /// the window opens twice, and nobody sees why.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: batch}
    /// spec:
    ///   scaleTargetRef: {name: batch}
    ///   triggers:
    ///     - {type: cron, metadata: {timezone: America/New_York, start: "30 2 * * *", end: "0 4 * * *", desiredReplicas: "3"}}
    /// ```
    ///
    /// Use instead (outside the change hours, or in UTC):
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: batch}
    /// spec:
    ///   scaleTargetRef: {name: batch}
    ///   triggers:
    ///     - {type: cron, metadata: {timezone: America/New_York, start: "30 4 * * *", end: "0 6 * * *", desiredReplicas: "3"}}
    /// ```
    ///
    /// ## References
    /// - robfig/cron v3.0.1 spec.go `Next` (DST gaps skipped, repeated hours fire twice); rules.md §2.4
    pub CronDstWindow {
        name: "cron-dst-window",
        category: Suspicious,
        kinds: [ScaledObject, ScaledJob],
        summary: "a daylight saving change stretches or repeats a cron window",
        since: "0.1.0",
        sources: ["robfig/cron v3.0.1 spec.go: Next"],
    }
}

impl Rule for CronDstWindow {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let triggers = obj.triggers();
        for ct in &cx.index.cron[obj.id] {
            if ct.result.is_err() {
                continue;
            }
            // The usual (median) window length, and the first window that differs from it by 45
            // minutes or more next to a change of offset (worked out once per distinct trigger).
            let Some(DstWindow { start: a, end: b, usual }) = ct.activity.dst_window else { continue };
            let t = &triggers[ct.index];
            let hours = |s: i64| format!("{:.1} h", s as f64 / 3600.0);
            cx.report(
                Diagnostic::new(format!(
                    "a daylight saving change makes the window from {} last {} instead of {}",
                    fmt_utc(a),
                    hours(b - a),
                    hours(usual)
                ))
                .primary(obj.file, t.meta("start").map_or(t.span(), |n| n.span.clone()), "DST-sensitive time")
                .help("move `start` and `end` out of the hours when the clock changes (usually 01:00-03:00 local), or use `timezone: UTC`"),
            );
        }
    }
}
