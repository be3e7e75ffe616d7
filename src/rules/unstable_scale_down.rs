use super::ineffective_cooldown::describe_policies;
use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::timeline::Scaling;

declare_rule! {
    /// ## What it does
    /// Reports a scale-down with `stabilizationWindowSeconds: 0` and a fast policy: a `Percent`
    /// policy of 50% or more, or a `Pods` policy, within 60 seconds.
    ///
    /// ## Why is this bad?
    /// Without a window the HPA acts on every dip of the metric, and a fast policy lets it remove
    /// half the pods at once; when the load comes back a moment later it scales up again. The
    /// replica count flaps, and every new pod pays its start-up cost (for ML workers, loading a
    /// model).
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   advanced:
    ///     horizontalPodAutoscalerConfig:
    ///       behavior:
    ///         scaleDown:
    ///           stabilizationWindowSeconds: 0
    ///           policies: [{type: Percent, value: 100, periodSeconds: 15}]
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
    ///   advanced:
    ///     horizontalPodAutoscalerConfig:
    ///       behavior:
    ///         scaleDown:
    ///           stabilizationWindowSeconds: 120
    ///           policies: [{type: Percent, value: 100, periodSeconds: 15}]
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "20"}}
    /// ```
    ///
    /// ## References
    /// - Kubernetes HPA, "Stabilization window" and "Scaling policies"
    pub UnstableScaleDown {
        name: "unstable-scale-down",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "scale-down without a stabilization window and with a fast policy flaps",
        since: "0.1.0",
        sources: ["https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#stabilization-window"],
    }
}

impl Rule for UnstableScaleDown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(spec) = so.spec() else { return };
        let s = Scaling::from_spec(spec);
        let sd = &s.scale_down;
        if !sd.explicit || sd.stabilization != 0 || sd.select == "Disabled" {
            return;
        }
        let fast: Vec<_> = sd.policies.iter().filter(|p| p.period <= 60 && (p.kind == "Pods" || p.value >= 50)).cloned().collect();
        if fast.is_empty() {
            return;
        }
        let Some(w) = spec.at(&["advanced", "horizontalPodAutoscalerConfig", "behavior", "scaleDown"]).and_then(|n| n.entry("stabilizationWindowSeconds")) else { return };
        cx.report(
            Diagnostic::new(format!("scale-down has no stabilization window and may remove {} at once: the replica count will flap", describe_policies(&fast)))
                .primary(so.file, w.key.span.start..w.value.span.end, "no window")
                .help("set `stabilizationWindowSeconds` (the Kubernetes default is 300) or slow the policy down"),
        );
    }
}
