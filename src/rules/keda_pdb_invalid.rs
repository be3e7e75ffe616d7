use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::keda_chart::{Component, Values};
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// In KEDA chart values, reports PodDisruptionBudget settings the chart renders into an
    /// invalid PDB: both `minAvailable` and `maxUnavailable` for one component (the top-level
    /// `podDisruptionBudget.minAvailable`/`maxUnavailable` apply to all three components and add
    /// to each component's own), or the same field at both levels, which the template writes
    /// twice.
    ///
    /// ## Why is this bad?
    /// policy/v1 allows only one of the two fields: the API server rejects the PDB and the Helm
    /// release fails. A field written twice is a duplicate key, which strict YAML decoders refuse.
    ///
    /// ## Example
    /// ```yaml,fail
    /// operator:
    ///   replicaCount: 2
    /// metricsServer:
    ///   replicaCount: 1
    /// podDisruptionBudget:
    ///   minAvailable: 1
    ///   operator: {maxUnavailable: 1}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// operator:
    ///   replicaCount: 2
    /// metricsServer:
    ///   replicaCount: 1
    /// podDisruptionBudget:
    ///   operator: {maxUnavailable: 1}
    /// ```
    ///
    /// ## References
    /// - kedacore/charts v2.20.2 keda/templates/manager/poddisruptionbudget.yaml
    /// - Kubernetes API, PodDisruptionBudgetSpec: https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/pod-disruption-budget-v1/
    pub KedaPdbInvalid {
        name: "keda-pdb-invalid",
        category: Correctness,
        kinds: [KedaValues],
        summary: "values for the KEDA chart that render an invalid PodDisruptionBudget",
        since: "0.2.0",
        sources: ["kedacore/charts v2.20.2 keda/templates/manager/poddisruptionbudget.yaml"],
    }
}

impl Rule for KedaPdbInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let v = Values { root: &obj.node };
        for c in Component::ALL.into_iter().filter(|c| v.enabled(*c)) {
            let fields = v.pdb(c);
            let min = fields.iter().filter(|(k, _)| *k == "minAvailable").count();
            let max = fields.len() - min;
            let (Some((_, first)), Some((_, last))) = (fields.first(), fields.last()) else { continue };
            let message = if min > 0 && max > 0 {
                format!("the PodDisruptionBudget of the KEDA {} gets both `minAvailable` and `maxUnavailable`: the API server rejects it", c.title())
            } else if min > 1 || max > 1 {
                format!("the PodDisruptionBudget of the KEDA {} gets the same field from `podDisruptionBudget` and `podDisruptionBudget.{}`: the chart writes it twice", c.title(), c.short_key())
            } else {
                continue;
            };
            cx.report(
                Diagnostic::new(message)
                    .primary(obj.file, last.span.clone(), "set here")
                    .secondary(obj.file, first.span.clone(), "and here")
                    .help(format!("set one field, once: `podDisruptionBudget.{}: {{minAvailable: 1}}`", c.short_key())),
            );
        }
    }
}
