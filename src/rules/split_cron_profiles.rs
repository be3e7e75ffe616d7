use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports cron "profiles" for one workload written as several ScaledObjects (a day profile
    /// and a night profile), and shows the single ScaledObject with several cron triggers that
    /// does what they meant.
    ///
    /// ## Why is this bad?
    /// KEDA allows one ScaledObject per workload: the webhook rejects the second
    /// (`duplicate-scale-target`), and without the webhook two HPAs fight. Several cron triggers in
    /// one ScaledObject are the way to express profiles: each sets a floor during its window, and
    /// the other triggers keep scaling on load.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web-day}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   triggers:
    ///     - {type: cron, metadata: {timezone: UTC, start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: "4"}}
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web-night}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   triggers:
    ///     - {type: cron, metadata: {timezone: UTC, start: "0 20 * * *", end: "0 8 * * *", desiredReplicas: "1"}}
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
    ///     - {type: cron, name: night, metadata: {timezone: UTC, start: "0 20 * * *", end: "0 8 * * *", desiredReplicas: "1"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go `verifyScaledObjects`; KEDA docs, scalers/cron.md
    pub SplitCronProfiles {
        name: "split-cron-profiles",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "cron profiles for one workload are split over several ScaledObjects",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go: verifyScaledObjects"],
    }
}

fn cron_lines(obj: &Object, name_hint: &str) -> Vec<String> {
    obj.triggers()
        .iter()
        .filter(|t| t.type_str() == "cron")
        .map(|t| {
            let m = |k: &str| t.meta(k).and_then(Node::text).unwrap_or("").to_owned();
            format!(
                "    - {{type: cron, name: {name_hint}, metadata: {{timezone: {}, start: \"{}\", end: \"{}\", desiredReplicas: \"{}\"}}}}",
                m("timezone"),
                m("start"),
                m("end"),
                m("desiredReplicas")
            )
        })
        .collect()
}

impl Rule for SplitCronProfiles {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        if cx.index.cron[so.id].is_empty() {
            return;
        }
        let Some(target) = so.scale_target() else { return };
        let first = cx.index.cron_scalers_like(so).into_iter().find(|o| o.id < so.id && o.name() != so.name());
        let Some(first) = first else { return };
        let mut merged = format!("one ScaledObject with every cron trigger:\n  spec:\n    scaleTargetRef: {{name: {}}}\n    triggers:", target.name.value);
        for (obj, hint) in [(first, first.name()), (so, so.name())] {
            for l in cron_lines(obj, hint) {
                merged.push_str(&format!("\n  {l}"));
            }
        }
        cx.report(
            Diagnostic::new(format!("cron profiles for `{}` are split between ScaledObjects `{}` and `{}`; KEDA rejects the second", target.name.value, first.name(), so.name()))
                .primary(so.file, so.head_span(), "second profile")
                .secondary(first.file, first.head_span(), "first profile")
                .help("merge them: the other triggers of both belong in the same ScaledObject too")
                .note(merged),
        );
    }
}
