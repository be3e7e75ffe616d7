use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::yaml::Node;

/// Below this many seconds, every ScaledObject queries its external system very often.
const LOW: i64 = 5;

declare_rule! {
    /// ## What it does
    /// Reports a `pollingInterval` below 5 seconds on a ScaledObject or ScaledJob with triggers
    /// that query an external system (not cpu, memory or cron). RabbitMQ's
    /// `mode: ExpectedQueueConsumptionTime`, for which KEDA's docs recommend `pollingInterval: 1`,
    /// is exempt.
    ///
    /// ## Why is this bad?
    /// Each poll queries the metric source (a broker's management API, Prometheus, a cloud API
    /// with rate limits and per-call cost). At 1 s, a hundred ScaledObjects make 100 requests a
    /// second for a workload that cannot start pods that fast anyway.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   pollingInterval: 1
    ///   triggers:
    ///     - {type: prometheus, metadata: {serverAddress: "http://prometheus:9090", query: "sum(jobs)", threshold: "10"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   pollingInterval: 15
    ///   triggers:
    ///     - {type: prometheus, metadata: {serverAddress: "http://prometheus:9090", query: "sum(jobs)", threshold: "10"}}
    /// ```
    ///
    /// ## References
    /// - KEDA docs, reference/scaledobject-spec.md "pollingInterval"; scalers/rabbitmq-queue.md
    pub LowPollingInterval {
        name: "low-polling-interval",
        category: BestPractice,
        kinds: [ScaledObject, ScaledJob],
        summary: "a polling interval under 5 seconds against external metric sources",
        since: "0.1.0",
        sources: ["https://keda.sh/docs/2.20/reference/scaledobject-spec/#pollinginterval"],
    }
}

impl Rule for LowPollingInterval {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let Some(p) = obj.spec().and_then(|s| s.entry("pollingInterval")) else { return };
        let Some(v) = p.value.as_i64().filter(|v| (1..LOW).contains(v)) else { return };
        let external: Vec<String> = obj
            .triggers()
            .iter()
            .filter(|t| !matches!(t.type_str(), "cpu" | "memory" | "cron"))
            .filter(|t| !(t.type_str() == "rabbitmq" && t.meta("mode").and_then(Node::text) == Some("ExpectedQueueConsumptionTime")))
            .map(|t| t.type_str().to_owned())
            .collect();
        if external.is_empty() {
            return;
        }
        cx.report(
            Diagnostic::new(format!("`pollingInterval` {v}s queries {} every {v} seconds", external.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")))
                .primary(obj.file, p.key.span.start..p.value.span.end, "very frequent polling")
                .help("poll every 10 to 30 seconds unless the workload truly reacts faster; with `useCachedMetrics` the HPA's reads are served from KEDA's cache"),
        );
    }
}
