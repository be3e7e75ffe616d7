use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::{Kind, Object};

declare_rule! {
    /// ## What it does
    /// Reports a PodDisruptionBudget whose selector matches the pod template of no workload in
    /// its namespace, when the repository holds workloads of that namespace (so that a PDB for
    /// a workload managed elsewhere is not reported).
    ///
    /// ## Why is this bad?
    /// A PDB that selects no pod protects nothing: the disruptions it was written to limit go
    /// through. Usually the selector uses a label the pods do not have, or a name that changed.
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
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata: {name: api}
    /// spec:
    ///   maxUnavailable: 1
    ///   selector: {matchLabels: {app: api-server}}
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
    pub PdbSelectsNothing {
        name: "pdb-selects-nothing",
        category: Suspicious,
        kinds: [PodDisruptionBudget],
        summary: "a PodDisruptionBudget selects the pods of no workload in its namespace",
        since: "0.2.0",
        sources: ["https://kubernetes.io/docs/tasks/run-application/configure-pdb/"],
    }
}

impl Rule for PdbSelectsNothing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, pdb: &Object, cx: &mut RuleContext<'_>) {
        if cx.index.in_namespace(&pdb.namespace, Kind::Workload).next().is_none() || cx.index.workloads_selected_by(pdb.id).next().is_some() {
            return;
        }
        let span = pdb.spec().and_then(|s| s.get("selector")).map_or(pdb.head_span(), |s| s.span.clone());
        cx.report(
            Diagnostic::new(format!("the PodDisruptionBudget `{}` selects the pods of no workload in namespace `{}`", pdb.name(), pdb.namespace))
                .primary(pdb.file, span, "matches no pod template here")
                .help("select labels the workload's pod template has (`spec.template.metadata.labels`)"),
        );
    }
}
