use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::timeline::{self, fmt_t, Scaling};

/// Beyond this, a burst is mostly over before the workload has scaled for it.
const REASONABLE_SECONDS: i64 = 600;

declare_rule! {
    /// ## What it does
    /// Computes how long the HPA's scale-up policies take to go from the minimum to
    /// `maxReplicaCount` when demand jumps, and reports more than 10 minutes (or never, with
    /// `selectPolicy: Disabled`), with the steps.
    ///
    /// ## Why is this bad?
    /// A policy such as "1 pod per 60 s" with `maxReplicaCount: 50` needs most of an hour to reach
    /// the maximum: the queue grows all that time and `maxReplicaCount` is an illusion.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   maxReplicaCount: 50
    ///   advanced:
    ///     horizontalPodAutoscalerConfig:
    ///       behavior:
    ///         scaleUp:
    ///           policies: [{type: Pods, value: 1, periodSeconds: 60}]
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
    ///   maxReplicaCount: 50
    ///   advanced:
    ///     horizontalPodAutoscalerConfig:
    ///       behavior:
    ///         scaleUp:
    ///           policies: [{type: Pods, value: 4, periodSeconds: 60}, {type: Percent, value: 100, periodSeconds: 60}]
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "20"}}
    /// ```
    ///
    /// The failing example, when demand jumps to 50 replicas:
    /// ```text
    ///   t=   0s     1 replicas  demand jumps to 50 replicas
    ///   t=  15s     2 replicas  HPA 1 → 2
    ///   t=1m15s     3 replicas  HPA 2 → 3
    ///   ... 46 more steps
    ///   t=48m15s    50 replicas  HPA 49 → 50
    /// ```
    ///
    /// ## References
    /// - Kubernetes HPA, "Scaling policies" (kubernetes pkg/controller/podautoscaler/horizontal.go `calculateScaleUpLimitWithScalingRules`)
    pub SlowScaleUp {
        name: "slow-scale-up",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "the scale-up policies need more than 10 minutes to reach `maxReplicaCount`",
        since: "0.1.0",
        sources: ["https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#scaling-policies"],
    }
}

impl Rule for SlowScaleUp {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(spec) = so.spec() else { return };
        let s = Scaling::from_spec(spec);
        if !s.scale_up.explicit || s.max <= s.hpa_min() {
            return;
        }
        let (time, events) = timeline::scale_up(&s);
        if time.is_some_and(|t| t <= REASONABLE_SECONDS) {
            return;
        }
        let Some(up) = spec.at(&["advanced", "horizontalPodAutoscalerConfig", "behavior"]).and_then(|b| b.entry("scaleUp")) else { return };
        let how_long = time.map_or("never reaches it".to_owned(), |t| format!("needs {} to reach it", fmt_t(t)));
        cx.report(
            Diagnostic::new(format!("scale-up from {} to `maxReplicaCount` {} {how_long}", s.hpa_min(), s.max))
                .primary(so.file, up.key.span.clone(), "scale-up policies")
                .help("allow larger steps (e.g. add a `Percent` policy of 100 per 60s), or lower `maxReplicaCount` to what can be reached")
                .note(format!("when demand jumps to the maximum:\n{}", timeline::render(&events, 6))),
        );
    }
}
