use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::yaml::{Node, Resolved};

declare_rule! {
    /// ## What it does
    /// Reports `pollingInterval` where it is not relevant: `minReplicaCount` above 0, no
    /// `idleReplicaCount`, and no trigger with `useCachedMetrics: true`. (KEDA 2.20.2's admission
    /// warning also fires for a non-zero `idleReplicaCount`, where the scale loop does use the
    /// interval; KEDA's main branch dropped that case, and so does kedalint.)
    ///
    /// ## Why is this bad?
    /// `pollingInterval` is KEDA's own loop period: it decides how fast activation (0 → 1) and
    /// deactivation are seen, and how often the metric cache is refreshed with `useCachedMetrics`.
    /// Without those, the HPA asks for metrics on its own 15 s period and this setting changes
    /// nothing. KEDA 2.20 warns at admission: `PollingInterval is configured but is not relevant`.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   minReplicaCount: 1
    ///   pollingInterval: 15
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "20"}}
    /// ```
    ///
    /// Use instead (or let `useCachedMetrics` make it matter):
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   minReplicaCount: 1
    ///   pollingInterval: 15
    ///   triggers:
    ///     - {type: rabbitmq, useCachedMetrics: true, metadata: {queueName: q, mode: QueueLength, value: "20"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go `verifyScaledObjects` (W-POLL, kedacore/keda#7271)
    /// - KEDA docs, concepts/scaling-deployments.md "Caching Metrics"
    pub IneffectivePollingInterval {
        name: "ineffective-polling-interval",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "`pollingInterval` is set where KEDA says it is not relevant",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go: verifyScaledObjects"],
    }
}

impl Rule for IneffectivePollingInterval {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(spec) = so.spec() else { return };
        let Some(polling) = spec.entry("pollingInterval") else { return };
        let min = spec.get("minReplicaCount").and_then(Node::as_i64).unwrap_or(0);
        let idle = spec.get("idleReplicaCount").and_then(Node::as_i64);
        let cached = so.triggers().iter().any(|t| t.node.get("useCachedMetrics").and_then(Node::as_scalar).is_some_and(|s| s.resolve() == Resolved::Bool(true)));
        if min > 0 && idle.is_none() && !cached {
            cx.report(
                Diagnostic::new(format!("`pollingInterval` has no effect: `minReplicaCount` is {min}, no `idleReplicaCount` and no `useCachedMetrics`"))
                    .primary(so.file, polling.key.span.start..polling.value.span.end, "not relevant here")
                    .help("remove it, or set `useCachedMetrics: true` on the triggers whose metric source should be polled at this pace")
                    .note("the HPA queries the metrics itself every 15 s (kube-controller-manager's `--horizontal-pod-autoscaler-sync-period`)"),
            );
        }
    }
}
