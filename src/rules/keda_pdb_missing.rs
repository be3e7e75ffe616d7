use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::keda_chart::{Component, Values};
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// In KEDA chart values, reports an operator or admission webhooks Deployment that runs two
    /// or more replicas without a PodDisruptionBudget (`podDisruptionBudget.operator`,
    /// `podDisruptionBudget.webhooks`, or the top-level `podDisruptionBudget.minAvailable` /
    /// `maxUnavailable` the chart applies to all three).
    ///
    /// ## Why is this bad?
    /// Replicas only help if they are not all evicted at once. Without a PDB a node drain or a
    /// cluster upgrade may take both operator replicas (or both webhook replicas) down together,
    /// which is exactly the outage the second replica was meant to prevent.
    ///
    /// ## Example
    /// ```yaml,fail
    /// operator:
    ///   replicaCount: 2
    /// metricsServer:
    ///   replicaCount: 1
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// operator:
    ///   replicaCount: 2
    /// metricsServer:
    ///   replicaCount: 1
    /// podDisruptionBudget:
    ///   operator: {minAvailable: 1}
    /// ```
    ///
    /// ## References
    /// - kedacore/charts v2.20.2 keda/templates/manager/poddisruptionbudget.yaml, webhooks/poddisruptionbudget.yaml
    /// - Kubernetes, "Specifying a Disruption Budget": https://kubernetes.io/docs/tasks/run-application/configure-pdb/
    pub KedaPdbMissing {
        name: "keda-pdb-missing",
        category: BestPractice,
        kinds: [KedaValues],
        summary: "the KEDA operator or webhooks run several replicas without a PodDisruptionBudget",
        since: "0.2.0",
        sources: ["kedacore/charts v2.20.2 keda/templates/manager/poddisruptionbudget.yaml"],
    }
}

impl Rule for KedaPdbMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let v = Values { root: &obj.node };
        for c in [Component::Operator, Component::Webhooks] {
            let (n, Some(node)) = v.replicas(c) else { continue };
            if n < 2 || !v.enabled(c) || !v.pdb(c).is_empty() {
                continue;
            }
            cx.report(
                Diagnostic::new(format!("the KEDA {} runs {n} replicas without a PodDisruptionBudget: a node drain can evict them together", c.title()))
                    .primary(obj.file, node.span.clone(), format!("{n} replicas"))
                    .help(format!("set `podDisruptionBudget.{}: {{minAvailable: 1}}`", c.short_key())),
            );
        }
    }
}
