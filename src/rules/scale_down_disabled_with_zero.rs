use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::timeline::{fmt_t, Scaling};

declare_rule! {
    /// ## What it does
    /// Reports `scaleDown.selectPolicy: Disabled` on a ScaledObject that scales to zero (or to
    /// `idleReplicaCount`).
    ///
    /// ## Why is this bad?
    /// `Disabled` only stops the HPA. KEDA's own loop still scales the workload straight to 0
    /// once the cooldown has passed; the author who wanted "never scale down" gets "hold the
    /// peak, then drop to zero".
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   minReplicaCount: 0
    ///   advanced:
    ///     horizontalPodAutoscalerConfig:
    ///       behavior:
    ///         scaleDown: {selectPolicy: Disabled}
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "20"}}
    /// ```
    ///
    /// Use instead (to pause scale-in entirely, use the annotation):
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata:
    ///   name: worker
    ///   annotations: {autoscaling.keda.sh/paused-scale-in: "true"}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   minReplicaCount: 0
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "20"}}
    /// ```
    ///
    /// The failing example with the defaults (`cooldownPeriod` 300, `pollingInterval` 30), when
    /// the load stops at 10 replicas:
    /// ```text
    ///   t=   0s    10 replicas  load stops; the last poll with an active trigger
    ///   t=  15s    10 replicas  the HPA does not scale down (selectPolicy: Disabled)
    ///   t=5m30s     0 replicas  KEDA scales 10 → 0: cooldownPeriod 300s after the last active poll
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/scaling/executor/scale_scaledobjects.go `scaleToZeroOrIdle` (only `paused-scale-in` blocks it)
    /// - KEDA docs, concepts/scaling-deployments.md "Pause autoscaling"
    pub ScaleDownDisabledWithZero {
        name: "scale-down-disabled-with-zero",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "scale-down is disabled in the HPA, but KEDA still scales to zero",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scaling/executor/scale_scaledobjects.go: scaleToZeroOrIdle"],
    }
}

impl Rule for ScaleDownDisabledWithZero {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(spec) = so.spec() else { return };
        let s = Scaling::from_spec(spec);
        if !s.keda_scales_in() || s.scale_down.select != "Disabled" {
            return;
        }
        if so.annotation_str("autoscaling.keda.sh/paused-scale-in").is_some_and(|v| v != "false") {
            return;
        }
        let Some(sel) = spec.at(&["advanced", "horizontalPodAutoscalerConfig", "behavior", "scaleDown", "selectPolicy"]) else { return };
        cx.report(
            Diagnostic::new(format!("the HPA never scales down, but KEDA still scales to {} about {} after the last active poll", s.idle.unwrap_or(0), fmt_t(s.keda_scale_in_at())))
                .primary(so.file, sel.span.clone(), "stops the HPA only")
                .help("to keep the replicas, set `minReplicaCount` above 0 or annotate `autoscaling.keda.sh/paused-scale-in: \"true\"`"),
        );
    }
}
