use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::timeline::Scaling;

declare_rule! {
    /// ## What it does
    /// Reports `initialCooldownPeriod` on a ScaledObject that never scales to zero or to an idle
    /// count.
    ///
    /// ## Why is this bad?
    /// `initialCooldownPeriod` only protects a new ScaledObject that has never been active from
    /// being scaled in to 0 (or to `idleReplicaCount`) before `creationTimestamp + initialCooldownPeriod`.
    /// With a minimum of 1 or more KEDA never scales in, so it does nothing.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   minReplicaCount: 2
    ///   initialCooldownPeriod: 120
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "20"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   minReplicaCount: 0
    ///   initialCooldownPeriod: 120
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "20"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/scaling/executor/scale_scaledobjects.go `scaleToZeroOrIdle`
    /// - KEDA docs, reference/scaledobject-spec.md "initialCooldownPeriod"
    pub IneffectiveInitialCooldown {
        name: "ineffective-initial-cooldown",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "`initialCooldownPeriod` is set on a ScaledObject that never scales to zero",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scaling/executor/scale_scaledobjects.go: scaleToZeroOrIdle"],
    }
}

impl Rule for IneffectiveInitialCooldown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(spec) = so.spec() else { return };
        let Some(e) = spec.entry("initialCooldownPeriod") else { return };
        let s = Scaling::from_spec(spec);
        if s.keda_scales_in() {
            return;
        }
        cx.report(
            Diagnostic::new(format!("`initialCooldownPeriod` has no effect: `minReplicaCount` is {} and there is no `idleReplicaCount`", s.min))
                .primary(so.file, e.key.span.start..e.value.span.end, "ignored by KEDA")
                .help("remove it; it only delays the first scale-in to 0 or to `idleReplicaCount`"),
        );
    }
}
