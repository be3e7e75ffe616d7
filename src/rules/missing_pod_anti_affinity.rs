use super::missing_resource_requests::target_workload;
use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a ScaledObject that keeps at least two replicas at all times (`minReplicaCount`
    /// ≥ 2), or whose cron triggers hold a floor of at least two, for a Deployment or StatefulSet
    /// in the repository whose pods have neither `podAntiAffinity` nor
    /// `topologySpreadConstraints`.
    ///
    /// ## Why is this bad?
    /// A floor of two replicas is usually there for availability, but the scheduler may put
    /// both on one node (it prefers spreading only softly, and not at all when one node has the
    /// room). One node failure or drain then takes every replica down together.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: api}
    /// spec:
    ///   selector: {matchLabels: {app: api}}
    ///   template:
    ///     metadata: {labels: {app: api}}
    ///     spec:
    ///       containers: [{name: api, image: "api:1"}]
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: api}
    /// spec:
    ///   scaleTargetRef: {name: api}
    ///   minReplicaCount: 2
    ///   triggers:
    ///     - {type: prometheus, metadata: {serverAddress: "http://prometheus:9090", query: "sum(rate(http_requests_total[1m]))", threshold: "100"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: api}
    /// spec:
    ///   selector: {matchLabels: {app: api}}
    ///   template:
    ///     metadata: {labels: {app: api}}
    ///     spec:
    ///       topologySpreadConstraints:
    ///         - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: api}}}
    ///       containers: [{name: api, image: "api:1"}]
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: api}
    /// spec:
    ///   scaleTargetRef: {name: api}
    ///   minReplicaCount: 2
    ///   triggers:
    ///     - {type: prometheus, metadata: {serverAddress: "http://prometheus:9090", query: "sum(rate(http_requests_total[1m]))", threshold: "100"}}
    /// ```
    ///
    /// ## References
    /// - Kubernetes, "Pod Topology Spread Constraints": https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
    pub MissingPodAntiAffinity {
        name: "missing-pod-anti-affinity",
        category: BestPractice,
        kinds: [ScaledObject],
        summary: "a floor of two or more replicas for pods that nothing spreads across nodes",
        since: "0.2.0",
        sources: ["https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/"],
    }
}

impl Rule for MissingPodAntiAffinity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let min = so.scaled().and_then(|v| v.min_replicas);
        let triggers = so.triggers();
        let cron_floor = cx.index.cron[so.id].iter().filter_map(|c| c.result.as_ref().ok().map(|t| (c.index, t.desired))).max_by_key(|(_, d)| *d);
        let (floor, span, what) = match (&min, cron_floor) {
            (Some(m), _) if m.value >= 2 => (m.value, m.span.clone(), "`minReplicaCount`"),
            (_, Some((i, d))) if d >= 2 => (d, triggers[i].span(), "cron trigger's `desiredReplicas`"),
            _ => return,
        };
        let Some(workload) = target_workload(so, cx) else { return };
        let Some(pod) = workload.workload().and_then(|w| w.pod_spec) else { return };
        if pod.at(&["affinity", "podAntiAffinity"]).is_some() || pod.get("topologySpreadConstraints").and_then(|t| t.as_seq()).is_some_and(|s| !s.is_empty()) {
            return;
        }
        cx.report(
            Diagnostic::new(format!("the {} `{}` keeps {floor} replicas, but nothing spreads its pods across nodes", workload.kind_str(), workload.name()))
                .primary(so.file, span, format!("{what} {floor}"))
                .secondary(workload.file, workload.head_span(), "no podAntiAffinity or topologySpreadConstraints")
                .help("add a topologySpreadConstraint (or preferred podAntiAffinity) on `kubernetes.io/hostname` or `topology.kubernetes.io/zone` selecting the pods' own labels"),
        );
    }
}
