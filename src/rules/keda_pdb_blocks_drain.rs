use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::keda_chart::{Component, Values};
use crate::model::Object;
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// In KEDA chart values, reports a PodDisruptionBudget the chart would render for a component
    /// that allows no disruption: `minAvailable` at least the component's replica count (the
    /// chart's default is 1 replica; `100%` counts as all of them), or `maxUnavailable: 0`.
    ///
    /// ## Why is this bad?
    /// Such a PDB never lets the eviction API remove the pod: `kubectl drain`, cluster upgrades
    /// and the cluster autoscaler wait on it forever (or until their timeout forces them). The
    /// typical case is `podDisruptionBudget.minAvailable: 1` with the default single replica.
    ///
    /// ## Example
    /// ```yaml,fail
    /// operator:
    ///   replicaCount: 1
    /// metricsServer:
    ///   replicaCount: 1
    /// podDisruptionBudget:
    ///   operator: {minAvailable: 1}
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
    /// - kedacore/charts v2.20.2 keda/templates/*/poddisruptionbudget.yaml
    /// - Kubernetes, "Disruptions": https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
    pub KedaPdbBlocksDrain {
        name: "keda-pdb-blocks-drain",
        category: Suspicious,
        kinds: [KedaValues],
        summary: "a KEDA component's PodDisruptionBudget allows no eviction, so node drains block",
        since: "0.2.0",
        sources: ["https://kubernetes.io/docs/concepts/workloads/pods/disruptions/"],
    }
}

/// Whether a PDB field allows no eviction of `replicas` pods.
pub fn blocks(key: &str, value: &Node, replicas: i64) -> bool {
    let text = value.text().unwrap_or_default().trim();
    match (key, text.strip_suffix('%')) {
        ("minAvailable", Some(p)) => p.parse::<f64>().is_ok_and(|p| p >= 100.0),
        ("minAvailable", None) => value.as_i64().is_some_and(|m| m >= replicas),
        ("maxUnavailable", Some(p)) => p.parse::<f64>().is_ok_and(|p| p <= 0.0),
        ("maxUnavailable", None) => value.as_i64() == Some(0),
        _ => false,
    }
}

impl Rule for KedaPdbBlocksDrain {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let v = Values { root: &obj.node };
        for c in Component::ALL.into_iter().filter(|c| v.enabled(*c)) {
            let (replicas, _) = v.replicas(c);
            for (key, node) in v.pdb(c) {
                if blocks(key, node, replicas) {
                    cx.report(
                        Diagnostic::new(format!("the PodDisruptionBudget of the KEDA {} (`{key}: {}`) allows no eviction of its {replicas} replica(s): node drains block", c.title(), node.text().unwrap_or_default()))
                            .primary(obj.file, node.span.clone(), "no pod may be evicted")
                            .help(format!("raise `{}.replicaCount` to 2, or remove the PodDisruptionBudget", c.section())),
                    );
                }
            }
        }
    }
}
