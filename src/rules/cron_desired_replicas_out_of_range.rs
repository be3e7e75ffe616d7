use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a cron trigger whose `desiredReplicas` is above `maxReplicaCount` (100 when unset),
    /// or not above `minReplicaCount`.
    ///
    /// ## Why is this bad?
    /// During the window the cron trigger acts as a floor of replicas: above the maximum the HPA
    /// caps it, so the number in the manifest is not what runs; at or below the minimum the window
    /// changes nothing.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   minReplicaCount: 2
    ///   maxReplicaCount: 10
    ///   triggers:
    ///     - {type: cron, metadata: {timezone: UTC, start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: "2"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   minReplicaCount: 2
    ///   maxReplicaCount: 10
    ///   triggers:
    ///     - {type: cron, metadata: {timezone: UTC, start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: "6"}}
    /// ```
    ///
    /// ## References
    /// - KEDA docs, scalers/cron.md; rules.md §2.4 (the HPA takes the largest metric, capped by `maxReplicas`)
    pub CronDesiredReplicasOutOfRange {
        name: "cron-desired-replicas-out-of-range",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "a cron trigger's `desiredReplicas` is capped by the maximum or not above the minimum",
        since: "0.1.0",
        sources: ["https://keda.sh/docs/2.20/scalers/cron/"],
    }
}

impl Rule for CronDesiredReplicasOutOfRange {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(v) = so.scaled() else { return };
        let min = v.min_replicas.as_ref().map_or(0, |m| m.value);
        let max = v.max_replicas.as_ref().map_or(100, |m| m.value);
        let triggers = so.triggers();
        for ct in &cx.index.cron[so.id] {
            let Ok(tr) = &ct.result else { continue };
            let t = &triggers[ct.index];
            let Some(n) = t.meta("desiredReplicas") else { continue };
            let (message, help) = if tr.desired > max {
                (format!("`desiredReplicas` {} is above `maxReplicaCount` {max}: the HPA runs {max}", tr.desired), "raise `maxReplicaCount` or lower `desiredReplicas`")
            } else if tr.desired <= min {
                (format!("`desiredReplicas` {} is not above `minReplicaCount` {min}: the window changes nothing", tr.desired), "raise `desiredReplicas` above the minimum, or remove the trigger")
            } else {
                continue;
            };
            cx.report(Diagnostic::new(message).primary(so.file, n.span.clone(), "desired replicas").help(help));
        }
    }
}
