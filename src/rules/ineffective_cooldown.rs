use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::timeline::{self, Scaling};

declare_rule! {
    /// ## What it does
    /// Reports `cooldownPeriod` on a ScaledObject that never scales to zero or to an idle count:
    /// `minReplicaCount` of 1 or more and no `idleReplicaCount`. It shows what governs
    /// scale-down instead (the HPA's `behavior.scaleDown`, or its 300 s default), with a timeline
    /// of the object's own numbers.
    ///
    /// ## Why is this bad?
    /// `cooldownPeriod` only delays the last step to 0 (or to `idleReplicaCount`), counted from the
    /// last poll at which a trigger was active. It does not mean "wait after scaling before
    /// scaling down": scale-down from N to the minimum is the HPA's, governed by
    /// `advanced.horizontalPodAutoscalerConfig.behavior.scaleDown`. KEDA 2.20 warns at admission:
    /// `CooldownPeriod is configured but is not relevant`.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   minReplicaCount: 1
    ///   cooldownPeriod: 300  # Wait 5 minutes after scaling before scaling down
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
    ///   minReplicaCount: 1
    ///   advanced:
    ///     horizontalPodAutoscalerConfig:
    ///       behavior:
    ///         scaleDown: {stabilizationWindowSeconds: 300}
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "20"}}
    /// ```
    ///
    /// With the defaults, 10 replicas when the load stops:
    /// ```text
    ///   t=   0s    10 replicas  load stops; the last poll with an active trigger
    ///   t=   5m    10 replicas  the HPA's scale-down stabilization window (300s) ends
    ///   t=   5m     1 replicas  HPA 10 → 1
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go `verifyScaledObjects` (W-COOL, kedacore/keda#7271)
    /// - kedacore/keda v2.20.2 pkg/scaling/executor/scale_scaledobjects.go `scaleToZeroOrIdle`
    /// - KEDA docs, reference/scaledobject-spec.md "cooldownPeriod"
    pub IneffectiveCooldown {
        name: "ineffective-cooldown",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "`cooldownPeriod` is set on a ScaledObject that never scales to zero",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go: verifyScaledObjects"],
    }
}

impl Rule for IneffectiveCooldown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(spec) = so.spec() else { return };
        let Some(cooldown) = spec.entry("cooldownPeriod") else { return };
        let s = Scaling::from_spec(spec);
        // KEDA 2.20.2 also warns when `idleReplicaCount` is set but not 0, yet its executor does
        // scale to that idle count after the cooldown (and KEDA's main branch no longer warns):
        // only an unset idle count makes the cooldown meaningless. A non-zero idle count is
        // `unsupported-idle-replica-count`.
        if s.keda_scales_in() {
            return;
        }
        let sd = &s.scale_down;
        let governs = if sd.explicit {
            format!("`behavior.scaleDown`: a {}s stabilization window, then {}", sd.stabilization, describe_policies(&sd.policies))
        } else {
            "the HPA's default: a 300s stabilization window, then down to the minimum at once".to_owned()
        };
        let peak = s.max.min(10).max(s.hpa_min() + 1);
        cx.report(
            Diagnostic::new(format!("`cooldownPeriod` has no effect: `minReplicaCount` is {} and there is no `idleReplicaCount`", s.min))
                .primary(so.file, cooldown.key.span.start..cooldown.value.span.end, "ignored by KEDA")
                .help(format!("remove it; scale-down from N to {} is governed by {governs}", s.hpa_min()))
                .note(timeline::scale_down_note(&s, peak, 7)),
        );
    }
}

pub(super) fn describe_policies(p: &[timeline::Policy]) -> String {
    p.iter()
        .map(|p| if p.kind == "Percent" { format!("{}% per {}s", p.value, p.period) } else { format!("{} {} per {}s", p.value, p.kind.to_lowercase(), p.period) })
        .collect::<Vec<_>>()
        .join(" or ")
}
