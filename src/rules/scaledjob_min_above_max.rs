use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a ScaledJob whose `minReplicaCount` is greater than its `maxReplicaCount` (100
    /// when unset).
    ///
    /// ## Why is this bad?
    /// Nothing rejects it: KEDA silently clamps both to `maxReplicaCount`
    /// (`ScaledJob.MinReplicaCount()`/`MaxReplicaCount()`), so the minimum the author wrote is
    /// not the one that runs.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledJob
    /// metadata: {name: batch}
    /// spec:
    ///   jobTargetRef: {template: {spec: {containers: [{name: b, image: "b:1"}]}}}
    ///   minReplicaCount: 5
    ///   maxReplicaCount: 2
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "1"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledJob
    /// metadata: {name: batch}
    /// spec:
    ///   jobTargetRef: {template: {spec: {containers: [{name: b, image: "b:1"}]}}}
    ///   minReplicaCount: 2
    ///   maxReplicaCount: 5
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "1"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledjob_types.go `MaxReplicaCount`, `MinReplicaCount`
    pub ScaledjobMinAboveMax {
        name: "scaledjob-min-above-max",
        category: Suspicious,
        kinds: [ScaledJob],
        summary: "a ScaledJob's minimum is above its maximum and is silently clamped",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledjob_types.go: MinReplicaCount"],
    }
}

impl Rule for ScaledjobMinAboveMax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, sj: &Object, cx: &mut RuleContext<'_>) {
        let Some(v) = sj.scaled() else { return };
        let Some(min) = &v.min_replicas else { return };
        let max = v.max_replicas.as_ref().map_or(100, |m| m.value);
        if min.value > max {
            let mut d = Diagnostic::new(format!("`minReplicaCount` {} is above `maxReplicaCount` {max}; KEDA runs both at {max}", min.value))
                .primary(sj.file, min.span.clone(), "clamped to the maximum")
                .help("lower `minReplicaCount` or raise `maxReplicaCount`");
            if let Some(m) = &v.max_replicas {
                d = d.secondary(sj.file, m.span.clone(), "maximum");
            }
            cx.report(d);
        }
    }
}
