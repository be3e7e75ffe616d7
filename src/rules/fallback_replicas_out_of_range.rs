use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a ScaledObject whose `fallback.replicas` lies outside `minReplicaCount` ..
    /// `maxReplicaCount` (defaults 0 and 100).
    ///
    /// ## Why is this bad?
    /// KEDA's fallback does not set the replica count: it feeds the HPA a metric value chosen to
    /// yield `fallback.replicas`, and the HPA clamps its result to its min and max. A fallback
    /// above the maximum gives the maximum; one below the minimum gives the minimum. The number
    /// in the manifest is not what happens when the scaler fails.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   minReplicaCount: 1
    ///   maxReplicaCount: 10
    ///   fallback: {failureThreshold: 3, replicas: 20}
    ///   triggers:
    ///     - {type: prometheus, metricType: AverageValue, metadata: {serverAddress: "http://prometheus:9090", query: "sum(queue_depth)", threshold: "10"}}
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
    ///   maxReplicaCount: 10
    ///   fallback: {failureThreshold: 3, replicas: 10}
    ///   triggers:
    ///     - {type: prometheus, metricType: AverageValue, metadata: {serverAddress: "http://prometheus:9090", query: "sum(queue_depth)", threshold: "10"}}
    /// ```
    ///
    /// ## References
    /// - KEDA docs, ScaledObject `fallback`: https://keda.sh/docs/2.20/reference/scaledobject-spec/#fallback
    /// - kedacore/keda v2.20.2 pkg/fallback/fallback.go (`doFallback`: a metric value of `replicas × target`)
    pub FallbackReplicasOutOfRange {
        name: "fallback-replicas-out-of-range",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "`fallback.replicas` outside min..max: the HPA clamps it",
        since: "0.2.0",
        sources: ["kedacore/keda v2.20.2 pkg/fallback/fallback.go"],
    }
}

impl Rule for FallbackReplicasOutOfRange {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(v) = so.scaled() else { return };
        let Some(node) = v.spec.at(&["fallback", "replicas"]) else { return };
        let Some(replicas) = node.as_i64() else { return };
        let min = v.min_replicas.as_ref().map_or(0, |m| m.value);
        let max = v.max_replicas.as_ref().map_or(100, |m| m.value);
        if min > max {
            return;
        }
        let (bound, clamped, span) = if replicas > max {
            ("maxReplicaCount", max, v.max_replicas.as_ref().map(|m| m.span.clone()))
        } else if replicas < min {
            ("minReplicaCount", min, v.min_replicas.as_ref().map(|m| m.span.clone()))
        } else {
            return;
        };
        let mut d = Diagnostic::new(format!("`fallback.replicas` {replicas} is outside {min}..{max}: when the scaler fails the HPA gives {clamped} replicas"))
            .primary(so.file, node.span.clone(), format!("clamped to {clamped}"))
            .help(format!("set `fallback.replicas` within {min}..{max}, or change `{bound}`"));
        if let Some(s) = span {
            d = d.secondary(so.file, s, format!("`{bound}` {clamped}"));
        }
        cx.report(d);
    }
}
