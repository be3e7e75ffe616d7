use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a ScaledObject whose `scaleTargetRef` names a workload (same group, version, kind
    /// and name, same namespace) that another ScaledObject in the repository already scales. The
    /// later one is reported, with the first as a secondary label.
    ///
    /// ## Why is this bad?
    /// KEDA's admission webhook rejects the second ScaledObject: `the workload '<name>' of type
    /// '<gvk>' is already managed by the ScaledObject '<first>'`. Without the webhook, two HPAs
    /// fight over the replica count. Day and night profiles belong in one ScaledObject with two
    /// cron triggers.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: day}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   triggers:
    ///     - {type: cron, metadata: {timezone: UTC, start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: "4"}}
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: night}
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
    /// ## Known problems
    /// A workload's namespace is the ScaledObject's namespace (or `default-namespace` when the
    /// manifest names none).
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go `verifyScaledObjects`
    pub DuplicateScaleTarget {
        name: "duplicate-scale-target",
        category: Correctness,
        kinds: [ScaledObject],
        summary: "two ScaledObjects scale the same workload",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go: verifyScaledObjects"],
    }
}

fn duplicate_scale_target_diagnostic(so: &Object, first: &Object, name_span: std::ops::Range<usize>, gvk: &str, target: &str) -> Diagnostic {
    Diagnostic::new(format!("workload `{target}` ({gvk}) is already scaled by ScaledObject `{}`", first.name()))
        .primary(so.file, name_span, "second ScaledObject targets it here")
        .secondary(first.file, first.scale_target().map_or(first.head_span(), |t| t.name.span), "first targeted here")
        .help("merge the triggers into one ScaledObject (several triggers, or several cron windows, are fine), or delete one of them")
        .note(format!("KEDA rejects it: `the workload '{target}' of type '{gvk}' is already managed by the ScaledObject '{}'`", first.name()))
}

impl Rule for DuplicateScaleTarget {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let (Some(target), Some(gvk)) = (so.scale_target(), so.target_gvk_string()) else { return };
        let first = cx.index.scalers_of(&target.key(&so.namespace)).iter().map(|id| cx.index.object(*id)).find(|o| o.name() != so.name() && o.target_gvk_string().as_ref() == Some(&gvk));
        if let Some(first) = first.filter(|f| f.id < so.id) {
            cx.report(duplicate_scale_target_diagnostic(so, first, target.name.span.clone(), &gvk, &target.name.value));
        }
    }
}
