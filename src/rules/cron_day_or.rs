use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a cron expression that restricts both the day of month and the day of week, such
    /// as `0 9 1 * 1`.
    ///
    /// ## Why is this bad?
    /// Cron then fires when either matches, not when both do: `0 9 1 * 1` means "the 1st of every
    /// month, and every Monday", not "Mondays that are the 1st". KEDA's parser (robfig/cron) does
    /// the same.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: report}
    /// spec:
    ///   scaleTargetRef: {name: report}
    ///   triggers:
    ///     - {type: cron, metadata: {timezone: UTC, start: "0 9 1-7 * 1", end: "0 17 1-7 * 1", desiredReplicas: "3"}}
    /// ```
    ///
    /// Use instead (one of the two; the first Monday cannot be said in cron):
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: report}
    /// spec:
    ///   scaleTargetRef: {name: report}
    ///   triggers:
    ///     - {type: cron, metadata: {timezone: UTC, start: "0 9 * * 1", end: "0 17 * * 1", desiredReplicas: "3"}}
    /// ```
    ///
    /// ## References
    /// - robfig/cron v3.0.1 spec.go `dayMatches`; rules.md §2.2
    pub CronDayOr {
        name: "cron-day-or",
        category: Suspicious,
        kinds: [ScaledObject, ScaledJob],
        summary: "a cron expression restricts day of month and day of week, which cron ORs",
        since: "0.1.0",
        sources: ["robfig/cron v3.0.1 spec.go: dayMatches"],
    }
}

/// Whether a parsed schedule ORs its day fields (neither has robfig's star bit).
fn ors(s: &crate::cron::spec::Schedule) -> bool {
    const STAR: u64 = 1 << 63;
    s.dom & STAR == 0 && s.dow & STAR == 0
}

impl Rule for CronDayOr {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let triggers = obj.triggers();
        for ct in &cx.index.cron[obj.id] {
            let Ok(tr) = &ct.result else { continue };
            let t = &triggers[ct.index];
            for (key, s) in [("start", &tr.start), ("end", &tr.end)] {
                if !ors(s) {
                    continue;
                }
                let Some(n) = t.meta(key) else { continue };
                let expr = n.text().unwrap_or_default();
                let f: Vec<&str> = expr.split_whitespace().rev().take(3).collect();
                let (dow, dom) = (f.first().copied().unwrap_or(""), f.get(2).copied().unwrap_or(""));
                cx.report(
                    Diagnostic::new(format!("`{key}` fires on day-of-month `{dom}` OR on day-of-week `{dow}`, not on days matching both"))
                        .primary(obj.file, n.span.clone(), "either day matches")
                        .help("set one of the two day fields to `*`"),
                );
            }
        }
    }
}
