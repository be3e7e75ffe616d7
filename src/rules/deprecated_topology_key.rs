use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::selector::deprecated_topology_key;
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a `topologyKey` (in anti-affinity terms or topology spread constraints) that
    /// uses a deprecated node label: `failure-domain.beta.kubernetes.io/zone`,
    /// `failure-domain.beta.kubernetes.io/region`, `beta.kubernetes.io/instance-type`; in
    /// workloads and in KEDA chart values.
    ///
    /// ## Why is this bad?
    /// Kubernetes deprecated the beta labels in 1.17 and current nodes no longer carry them on
    /// many platforms. A topology key no node has makes `required` anti-affinity unschedulable
    /// and spreading meaningless: the zone spread the author wanted does not happen.
    ///
    /// ## Example
    /// ```yaml,fail
    /// operator:
    ///   replicaCount: 2
    ///   affinity:
    ///     podAntiAffinity:
    ///       preferredDuringSchedulingIgnoredDuringExecution:
    ///         - weight: 100
    ///           podAffinityTerm:
    ///             labelSelector: {matchLabels: {app: keda-operator}}
    ///             topologyKey: failure-domain.beta.kubernetes.io/zone
    /// metricsServer:
    ///   replicaCount: 1
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// operator:
    ///   replicaCount: 2
    ///   affinity:
    ///     podAntiAffinity:
    ///       preferredDuringSchedulingIgnoredDuringExecution:
    ///         - weight: 100
    ///           podAffinityTerm:
    ///             labelSelector: {matchLabels: {app: keda-operator}}
    ///             topologyKey: topology.kubernetes.io/zone
    /// metricsServer:
    ///   replicaCount: 1
    /// ```
    ///
    /// ## References
    /// - Kubernetes, Well-Known Labels: https://kubernetes.io/docs/reference/labels-annotations-taints/#failure-domainbetakubernetesiozone
    pub DeprecatedTopologyKey {
        name: "deprecated-topology-key",
        category: Suspicious,
        kinds: [Workload, KedaValues],
        summary: "a topology key uses a deprecated node label",
        since: "0.2.0",
        sources: ["https://kubernetes.io/docs/reference/labels-annotations-taints/#failure-domainbetakubernetesiozone"],
    }
}

fn walk(n: &Node, obj: &Object, cx: &mut RuleContext<'_>) {
    if let Some(entries) = n.as_map() {
        for e in entries {
            if e.key.text() == Some("topologyKey") {
                if let Some(new) = e.value.text().and_then(deprecated_topology_key) {
                    cx.report(
                        Diagnostic::new(format!("topology key `{}` is a deprecated node label", e.value.text().unwrap_or_default()))
                            .primary(obj.file, e.value.span.clone(), "deprecated")
                            .help(format!("use `{new}`")),
                    );
                }
            } else {
                walk(&e.value, obj, cx);
            }
        }
    } else if let Some(items) = n.as_seq() {
        for i in items {
            walk(i, obj, cx);
        }
    }
}

impl Rule for DeprecatedTopologyKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let root = if obj.kind == crate::model::Kind::KedaValues { Some(&obj.node) } else { obj.spec().and_then(|s| s.at(&["template", "spec"])) };
        if let Some(r) = root {
            walk(r, obj, cx);
        }
    }
}
