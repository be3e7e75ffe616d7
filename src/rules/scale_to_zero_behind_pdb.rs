use super::missing_resource_requests::target_workload;
use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a ScaledObject that scales its workload to zero (`minReplicaCount` 0, the
    /// default) when a PodDisruptionBudget in the repository with `minAvailable` of 1 or more
    /// selects the workload's pods.
    ///
    /// ## Why is this bad?
    /// The two disagree about what the workload needs. At zero replicas the PDB can never be
    /// met, so monitoring reports a budget violation every quiet hour; on the way up, with one
    /// replica, `minAvailable: 1` forbids evicting it, and node drains block.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: worker}
    /// spec:
    ///   selector: {matchLabels: {app: worker}}
    ///   template:
    ///     metadata: {labels: {app: worker}}
    ///     spec:
    ///       containers: [{name: w, image: "w:1"}]
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   minReplicaCount: 0
    ///   triggers:
    ///     - {type: prometheus, metadata: {serverAddress: "http://prometheus:9090", query: "sum(queue_depth)", threshold: "10"}}
    /// ---
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata: {name: worker}
    /// spec:
    ///   minAvailable: 1
    ///   selector: {matchLabels: {app: worker}}
    /// ```
    ///
    /// Use instead: a `maxUnavailable` budget, which holds at any replica count.
    /// ```yaml,pass
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: worker}
    /// spec:
    ///   selector: {matchLabels: {app: worker}}
    ///   template:
    ///     metadata: {labels: {app: worker}}
    ///     spec:
    ///       containers: [{name: w, image: "w:1"}]
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   minReplicaCount: 0
    ///   triggers:
    ///     - {type: prometheus, metadata: {serverAddress: "http://prometheus:9090", query: "sum(queue_depth)", threshold: "10"}}
    /// ---
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata: {name: worker}
    /// spec:
    ///   maxUnavailable: 1
    ///   selector: {matchLabels: {app: worker}}
    /// ```
    ///
    /// ## References
    /// - Kubernetes, "Disruptions": https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
    /// - KEDA docs, ScaledObject `minReplicaCount` (default 0): https://keda.sh/docs/2.20/reference/scaledobject-spec/#minreplicacount
    pub ScaleToZeroBehindPdb {
        name: "scale-to-zero-behind-pdb",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "a workload that scales to zero is selected by a `minAvailable` PodDisruptionBudget",
        since: "0.2.0",
        sources: ["https://kubernetes.io/docs/concepts/workloads/pods/disruptions/"],
    }
}

impl Rule for ScaleToZeroBehindPdb {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let min = so.scaled().and_then(|v| v.min_replicas);
        if min.as_ref().is_some_and(|m| m.value != 0) {
            return;
        }
        let Some(workload) = target_workload(so, cx) else { return };
        for pdb in cx.index.pdbs_selecting(workload.id) {
            let Some(min_available) = pdb.spec().and_then(|s| s.get("minAvailable")) else { continue };
            let positive = min_available.as_i64().is_some_and(|m| m >= 1) || min_available.text().and_then(|t| t.strip_suffix('%')).and_then(|p| p.parse::<f64>().ok()).is_some_and(|p| p > 0.0);
            if !positive {
                continue;
            }
            let span = min.as_ref().map_or(so.head_span(), |m| m.span.clone());
            cx.report(
                Diagnostic::new(format!("the ScaledObject `{}` scales {} `{}` to zero, but PodDisruptionBudget `{}` requires `minAvailable: {}`", so.name(), workload.kind_str(), workload.name(), pdb.name(), min_available.text().unwrap_or_default()))
                    .primary(so.file, span, if min.is_some() { "scales to zero" } else { "scales to zero (minReplicaCount defaults to 0)" })
                    .secondary(pdb.file, min_available.span.clone(), "cannot be met at zero, and blocks drains at one")
                    .help("use `maxUnavailable: 1` in the PodDisruptionBudget, or keep `minReplicaCount` above its `minAvailable`"),
            );
        }
    }
}
