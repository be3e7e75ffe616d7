use super::keda_pdb_blocks_drain::blocks;
use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a PodDisruptionBudget whose `minAvailable` is at least the `minReplicaCount` of
    /// the ScaledObject that scales the workload it selects (or whose `maxUnavailable` is 0).
    /// Only workloads in the repository, in the PDB's namespace, are considered.
    ///
    /// ## Why is this bad?
    /// Whenever KEDA has scaled the workload down to its minimum, the PDB allows no eviction:
    /// node drains, cluster upgrades and the cluster autoscaler wait on it. Since quiet hours are
    /// exactly when the minimum applies, maintenance windows are exactly when drains block.
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
    ///   minReplicaCount: 1
    ///   triggers:
    ///     - {type: prometheus, metadata: {serverAddress: "http://prometheus:9090", query: "sum(rate(http_requests_total[1m]))", threshold: "100"}}
    /// ---
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata: {name: api}
    /// spec:
    ///   minAvailable: 1
    ///   selector: {matchLabels: {app: api}}
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
    /// ---
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata: {name: api}
    /// spec:
    ///   maxUnavailable: 1
    ///   selector: {matchLabels: {app: api}}
    /// ```
    ///
    /// ## References
    /// - Kubernetes, "Specifying a Disruption Budget": https://kubernetes.io/docs/tasks/run-application/configure-pdb/
    pub PdbBlocksDrain {
        name: "pdb-blocks-drain",
        category: Suspicious,
        kinds: [PodDisruptionBudget],
        summary: "a PodDisruptionBudget allows no eviction when KEDA has scaled to the minimum",
        since: "0.2.0",
        sources: ["https://kubernetes.io/docs/tasks/run-application/configure-pdb/"],
    }
}

impl Rule for PdbBlocksDrain {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, pdb: &Object, cx: &mut RuleContext<'_>) {
        let Some(spec) = pdb.spec() else { return };
        for w in cx.index.workloads_selected_by(pdb.id) {
            for so_id in cx.index.scalers_of(&w.key()) {
                let so = cx.index.object(*so_id);
                let min = so.scaled().and_then(|v| v.min_replicas).map_or(0, |m| m.value);
                if min < 1 {
                    continue;
                }
                for key in ["minAvailable", "maxUnavailable"] {
                    let Some(value) = spec.get(key) else { continue };
                    if blocks(key, value, min) {
                        let so_span = so.scaled().and_then(|v| v.min_replicas).map_or(so.head_span(), |m| m.span);
                        cx.report(
                            Diagnostic::new(format!("the PodDisruptionBudget `{}` (`{key}: {}`) allows no eviction of {} `{}` at its KEDA minimum of {min}: node drains block", pdb.name(), value.text().unwrap_or_default(), w.kind_str(), w.name()))
                                .primary(pdb.file, value.span.clone(), "no pod may be evicted at the minimum")
                                .secondary(so.file, so_span, format!("ScaledObject `{}` scales down to {min}", so.name()))
                                .help(format!("use `maxUnavailable: 1`, or raise `minReplicaCount` above {}", value.as_i64().unwrap_or(min))),
                        );
                    }
                }
            }
        }
    }
}
