use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::timeline::{self, Scaling};

declare_rule! {
    /// ## What it does
    /// Reports a ScaledObject that scales to zero (or to `idleReplicaCount`) whose HPA
    /// scale-down stabilization window lasts until KEDA's cooldown has already ended.
    ///
    /// ## Why is this bad?
    /// KEDA scales straight from the current count to 0 at the first poll after
    /// `cooldownPeriod`, whatever the HPA is doing. With a longer stabilization window the HPA
    /// never gets to scale down gradually: the workload stays at its peak for the whole cooldown,
    /// then drops to zero in one step. Either the window is pointless or the cooldown is too short
    /// for what the author wanted.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   cooldownPeriod: 120
    ///   advanced:
    ///     horizontalPodAutoscalerConfig:
    ///       behavior:
    ///         scaleDown: {stabilizationWindowSeconds: 600}
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
    ///   cooldownPeriod: 900
    ///   advanced:
    ///     horizontalPodAutoscalerConfig:
    ///       behavior:
    ///         scaleDown: {stabilizationWindowSeconds: 600}
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "20"}}
    /// ```
    ///
    /// The failing example, when the load stops at 10 replicas (polls every 30 s):
    /// ```text
    ///   t=   0s    10 replicas  load stops; the last poll with an active trigger
    ///   t=2m30s     0 replicas  KEDA scales 10 → 0: cooldownPeriod 120s after the last active poll
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/scaling/executor/scale_scaledobjects.go `RequestScale`, `scaleToZeroOrIdle`
    /// - Kubernetes HPA, "Stabilization window"
    pub StabilizationOutlastsCooldown {
        name: "stabilization-outlasts-cooldown",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "the HPA's scale-down window outlasts the cooldown, so KEDA drops to zero at once",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scaling/executor/scale_scaledobjects.go: scaleToZeroOrIdle"],
    }
}

impl Rule for StabilizationOutlastsCooldown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(spec) = so.spec() else { return };
        let s = Scaling::from_spec(spec);
        if !s.keda_scales_in() || !s.scale_down.explicit {
            return;
        }
        let keda_at = s.keda_scale_in_at();
        if s.scale_down.stabilization < keda_at {
            return;
        }
        let span = spec
            .at(&["advanced", "horizontalPodAutoscalerConfig", "behavior", "scaleDown"])
            .and_then(|n| n.entry("stabilizationWindowSeconds").map(|e| e.key.span.start..e.value.span.end).or(Some(n.span.clone())))
            .unwrap_or(so.head_span());
        let peak = s.max.min(10);
        let to = s.idle.unwrap_or(0);
        cx.report(
            Diagnostic::new(format!(
                "the HPA's {}s scale-down window outlasts KEDA's cooldown: replicas stay at their peak, then KEDA drops them to {to} at once after ~{}",
                s.scale_down.stabilization,
                timeline::fmt_t(keda_at)
            ))
            .primary(so.file, span, "never reached")
            .help(format!("shorten the window below {}s, or lengthen `cooldownPeriod` (now {}s) if the workload should wind down gradually", keda_at, s.cooldown))
            .note(timeline::scale_down_note(&s, peak, 6)),
        );
    }
}
