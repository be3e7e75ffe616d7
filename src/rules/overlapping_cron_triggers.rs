use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::cron::analysis::fmt_utc;
use crate::cron::windows::Windows;
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Says when two cron triggers of one object with different `desiredReplicas` are active at
    /// the same time, and shows the first overlap.
    ///
    /// ## Why is this bad?
    /// It is not wrong: the HPA takes the largest metric, so the larger `desiredReplicas` wins
    /// while both are active. It is worth knowing when the windows were meant to follow each other.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   triggers:
    ///     - {type: cron, name: day, metadata: {timezone: UTC, start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: "6"}}
    ///     - {type: cron, name: evening, metadata: {timezone: UTC, start: "0 18 * * *", end: "0 23 * * *", desiredReplicas: "3"}}
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
    ///     - {type: cron, name: day, metadata: {timezone: UTC, start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: "6"}}
    ///     - {type: cron, name: evening, metadata: {timezone: UTC, start: "0 20 * * *", end: "0 23 * * *", desiredReplicas: "3"}}
    /// ```
    ///
    /// ## References
    /// - Kubernetes HPA, "Algorithm details" (the largest recommendation across metrics wins); rules.md §2.4
    pub OverlappingCronTriggers {
        name: "overlapping-cron-triggers",
        category: Notice,
        kinds: [ScaledObject],
        summary: "two cron triggers with different replica counts are active at once",
        since: "0.1.0",
        sources: ["https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#algorithm-details"],
    }
}

/// The first stretch where both are active, walking the two window lists side by side.
fn first_overlap(a: &Windows, b: &Windows) -> Option<(i64, i64)> {
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    while let (Some(&x), Some(&y)) = (a.peek(), b.peek()) {
        let (s, e) = (x.0.max(y.0), x.1.min(y.1));
        if s < e {
            return Some((s, e));
        }
        if x.1 < y.1 { a.next() } else { b.next() };
    }
    None
}

impl Rule for OverlappingCronTriggers {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let cron = &cx.index.cron[so.id];
        let triggers = so.triggers();
        for (i, a) in cron.iter().enumerate() {
            let Ok(ta) = &a.result else { continue };
            for b in &cron[i + 1..] {
                let Ok(tb) = &b.result else { continue };
                if ta.desired == tb.desired {
                    continue;
                }
                let Some((s, e)) = first_overlap(&a.activity.windows, &b.activity.windows) else { continue };
                let (win, lose) = if ta.desired > tb.desired { (ta.desired, tb.desired) } else { (tb.desired, ta.desired) };
                cx.report(
                    Diagnostic::new(format!("cron triggers with `desiredReplicas` {} and {} overlap, first from {} to {}", ta.desired, tb.desired, fmt_utc(s), fmt_utc(e)))
                        .primary(so.file, triggers[b.index].span(), "overlaps the other cron trigger")
                        .secondary(so.file, triggers[a.index].span(), "this one")
                        .help(format!("while both are active the larger wins ({win}, not {lose}); let one window end where the other starts if that was the intent")),
                );
            }
        }
    }
}
