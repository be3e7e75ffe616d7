use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::cron::trigger::Refusal;
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Validates `type: cron` triggers exactly as KEDA's cron scaler does (robfig/cron v3.0.1
    /// with KEDA's options): `start`, `end`, `timezone` and `desiredReplicas` present; five fields
    /// (no seconds, no `@daily`); day-of-week 0-6 (Sunday 0, so `7` is rejected); three-letter
    /// names; no `L`, `W` or `#`; `start` and `end` different strings; `desiredReplicas` a JSON
    /// integer other than 0 (KEDA rejects `"0"`: "It's almost always an error"). A `TZ=` prefix with
    /// nothing after it makes robfig panic, which KEDA reports as an error too.
    ///
    /// ## Why is this bad?
    /// KEDA cannot create the scaler: `error parsing start schedule: end of range (7) above
    /// maximum (6): 7`, and the ScaledObject is not ready.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   triggers:
    ///     - {type: cron, metadata: {timezone: UTC, start: "0 8 * * 1-7", end: "0 20 * * 1-7", desiredReplicas: "3"}}
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
    /// - kedacore/keda v2.20.2 pkg/scalers/cron_scaler.go (`cronMetadata.Validate`)
    /// - robfig/cron v3.0.1 parser.go (vendored by KEDA); KEDA docs, scalers/cron.md
    pub InvalidCronTrigger {
        name: "invalid-cron-trigger",
        category: Correctness,
        kinds: [ScaledObject, ScaledJob],
        summary: "a cron trigger that KEDA's cron scaler refuses",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scalers/cron_scaler.go"],
    }
}

impl Rule for InvalidCronTrigger {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let triggers = obj.triggers();
        for ct in &cx.index.cron[obj.id] {
            let Err(Refusal::Creation(errors)) = &ct.result else { continue };
            let t = &triggers[ct.index];
            let missing: Vec<&str> = errors.iter().filter_map(|e| e.strip_prefix("missing required parameter \"")?.split('"').next()).collect();
            for e in errors {
                // A missing start or end also fails to parse as an empty schedule: one finding is enough.
                if e.ends_with("schedule: empty spec string") && missing.iter().any(|m| e.contains(&format!("{m} schedule"))) {
                    continue;
                }
                let key = if let Some(m) = e.strip_prefix("missing required parameter \"").and_then(|r| r.split('"').next()) {
                    m
                } else if e.contains("start schedule") {
                    "start"
                } else if e.contains("end schedule") || e.contains("exactly same") {
                    "end"
                } else if e.contains("desiredReplicas") {
                    "desiredReplicas"
                } else {
                    ""
                };
                let span = t.meta(key).map_or_else(|| t.node.entry("metadata").map_or(t.span(), |m| m.key.span.clone()), |n| n.span.clone());
                let (message, help) = if e == "no desiredReplicas specified" {
                    ("`desiredReplicas` is 0: KEDA rejects it".to_owned(), "a cron trigger sets a floor of replicas during its window; to allow zero, leave the window out (cron triggers are inactive outside it)")
                } else if e.contains("exactly same") {
                    ("`start` and `end` are the same text: KEDA rejects it".to_owned(), "give the window an end that differs from its start")
                } else if e.contains("missing required parameter") {
                    (format!("the cron trigger misses `{}`", key), "cron triggers need `timezone`, `start`, `end` and `desiredReplicas`")
                } else {
                    (format!("the cron trigger is refused by KEDA: {}", e.lines().next().unwrap_or(e)), "cron expressions have five fields, day-of-week 0-6 (Sunday is 0), three-letter names, and no `@daily`, `L`, `W` or `#`")
                };
                let mut d = Diagnostic::new(message).primary(obj.file, span, "refused by KEDA").help(help);
                if e.contains("exactly same")
                    && let Some(s) = t.meta("start") {
                        d = d.secondary(obj.file, s.span.clone(), "start");
                    }
                cx.report(d.note(format!("KEDA: `{e}`")));
            }
        }
    }
}
