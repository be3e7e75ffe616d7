use super::missing_resource_requests::target_workload;
use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a Deployment or StatefulSet scaled by a ScaledObject that sets `spec.replicas` in
    /// the repository.
    ///
    /// ## Why is this bad?
    /// The HPA that KEDA creates owns the replica count. Every GitOps sync (Argo CD, Flux,
    /// `kubectl apply`) writes the manifest's `replicas` back, so the workload jumps to that
    /// number and the HPA scales it again: pods are killed and created on every sync, and Argo
    /// CD shows the app as out of sync whenever KEDA has scaled.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: worker}
    /// spec:
    ///   replicas: 3
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
    ///   triggers:
    ///     - {type: prometheus, metadata: {serverAddress: "http://prometheus:9090", query: "sum(queue_depth)", threshold: "10"}}
    /// ```
    ///
    /// Use instead:
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
    ///   triggers:
    ///     - {type: prometheus, metadata: {serverAddress: "http://prometheus:9090", query: "sum(queue_depth)", threshold: "10"}}
    /// ```
    ///
    /// ## References
    /// - Kubernetes, HorizontalPodAutoscaler, "Migrating Deployments and StatefulSets to horizontal autoscaling": https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling
    /// - Argo CD, Diffing customization (`ignoreDifferences` on `/spec/replicas`): https://argo-cd.readthedocs.io/en/stable/user-guide/diffing/
    pub ScaleTargetSetsReplicas {
        name: "scale-target-sets-replicas",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "a workload KEDA scales sets `spec.replicas`, which every sync writes back",
        since: "0.2.0",
        sources: ["https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling"],
    }
}

impl Rule for ScaleTargetSetsReplicas {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(workload) = target_workload(so, cx) else { return };
        // One finding per workload, however many ScaledObjects target it.
        if cx.index.scalers_of(&workload.key()).first() != Some(&so.id) {
            return;
        }
        let Some(replicas) = workload.workload().and_then(|w| w.replicas) else { return };
        let target = so.scale_target().map_or(so.head_span(), |t| t.name.span);
        cx.report(
            Diagnostic::new(format!("the {} `{}` sets `replicas: {}`, but ScaledObject `{}` scales it: every sync resets the count", workload.kind_str(), workload.name(), replicas.value, so.name()))
                .primary(workload.file, replicas.span, "written back on every sync")
                .secondary(so.file, target, "scaled by KEDA")
                .help("remove `spec.replicas` from the manifest, or tell Argo CD to ignore it (`ignoreDifferences` on `/spec/replicas`)"),
        );
    }
}
