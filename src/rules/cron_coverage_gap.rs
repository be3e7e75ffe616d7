use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::cron::analysis::{fmt_utc, horizon, union, Activity};
use crate::cron::windows::Windows;
use crate::diagnostic::Diagnostic;
use crate::model::Object;

/// Coverage from which cron windows evidently mean to cover the whole week.
const MEANT_TO_COVER: f64 = 0.85;

declare_rule! {
    /// ## What it does
    /// For each workload, joins the windows of every cron trigger that scales it (in one or
    /// several ScaledObjects). When they cover most of the time (85% or more of a year) but not
    /// all of it, they evidently mean to cover everything (a day profile and a night profile), and
    /// the rule shows the first gap. Ordinary business-hours triggers cover far less and are left
    /// alone.
    ///
    /// ## Why is this bad?
    /// In the gap no cron floor applies: a workload meant to keep at least N replicas all day
    /// drops to its minimum (or to zero) for that hour.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   triggers:
    ///     - {type: cron, name: day, metadata: {timezone: UTC, start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: "4"}}
    ///     - {type: cron, name: night, metadata: {timezone: UTC, start: "0 21 * * *", end: "0 8 * * *", desiredReplicas: "2"}}
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
    ///     - {type: cron, name: day, metadata: {timezone: UTC, start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: "4"}}
    ///     - {type: cron, name: night, metadata: {timezone: UTC, start: "0 20 * * *", end: "0 8 * * *", desiredReplicas: "2"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/scalers/cron_scaler.go; rules.md §2.4 (windows are `[start, end)`)
    pub CronCoverageGap {
        name: "cron-coverage-gap",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "cron windows that evidently mean to cover all the time leave a gap",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scalers/cron_scaler.go"],
    }
}

impl Rule for CronCoverageGap {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        if cx.index.cron[so.id].is_empty() {
            return;
        }
        let scalers = cx.index.cron_scalers_like(so);
        // Report once per workload, on the first ScaledObject with cron triggers.
        if scalers.first().is_some_and(|f| f.id != so.id) {
            return;
        }
        let (from, to) = horizon(cx.index.reference);
        let activities: Vec<&Activity> = scalers.iter().flat_map(|o| cx.index.cron[o.id].iter().map(|c| &*c.activity)).collect();
        // The triggers' active time added up bounds the union's: most workloads (business hours)
        // are let go here, without walking their windows.
        let most = activities.iter().map(|a| a.active_seconds).sum::<i64>();
        if (most as f64 / (to - from) as f64) < MEANT_TO_COVER {
            return;
        }
        let lists: Vec<&Windows> = activities.iter().map(|a| &a.windows).collect();
        let (mut total, mut last_end, mut first_gap) = (0, None, None);
        for (a, b) in union(&lists, from, to) {
            total += b - a;
            // The first gap between two windows (not before the first or after the last: the horizon cuts those).
            if let (None, Some(end)) = (first_gap, last_end) {
                first_gap = Some((end, a));
            }
            last_end = Some(b);
        }
        let share = total as f64 / (to - from) as f64;
        if !(MEANT_TO_COVER..1.0).contains(&share) {
            return;
        }
        let Some(gap) = first_gap else { return };
        let span = so.spec().and_then(|s| s.entry("triggers")).map_or(so.head_span(), |e| e.key.span.clone());
        cx.report(
            Diagnostic::new(format!(
                "the cron windows cover {:.0}% of the time but leave a gap, first from {} to {}",
                share * 100.0,
                fmt_utc(gap.0),
                fmt_utc(gap.1)
            ))
            .primary(so.file, span, "cron floors with a gap")
            .help("let each window start where the previous one ends (windows are [start, end): an end at 20:00 and a start at 20:00 meet exactly)"),
        );
    }
}
