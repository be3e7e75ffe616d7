use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::keda_chart::{component_of, memory_bytes, Component, Values};
use crate::model::{Kind, Object};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a KEDA operator whose memory limit or request is below 100Mi, KEDA's documented
    /// request (the documented limit is 1000Mi): `resources.operator` (or the legacy top-level
    /// `resources`) in chart values, or the operator container of a KEDA Deployment.
    ///
    /// ## Why is this bad?
    /// The operator caches every ScaledObject, ScaledJob, HPA and watched workload of the
    /// cluster, plus its scalers' clients. Below its documented request it is OOM-killed as the
    /// cluster grows, and while it restarts nothing scales.
    ///
    /// ## Example
    /// ```yaml,fail
    /// operator:
    ///   replicaCount: 2
    /// metricsServer:
    ///   replicaCount: 1
    /// resources:
    ///   operator:
    ///     requests: {cpu: 10m, memory: 35Mi}
    ///     limits: {memory: 35Mi}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// operator:
    ///   replicaCount: 2
    /// metricsServer:
    ///   replicaCount: 1
    /// resources:
    ///   operator:
    ///     requests: {cpu: 100m, memory: 100Mi}
    ///     limits: {memory: 1000Mi}
    /// ```
    ///
    /// ## References
    /// - KEDA docs, Operate / Cluster, "Cluster Capacity": https://keda.sh/docs/2.20/operate/cluster/#cluster-capacity
    pub KedaOperatorResources {
        name: "keda-operator-resources",
        category: Suspicious,
        kinds: [KedaValues, Workload],
        summary: "the KEDA operator's memory is below KEDA's documented request",
        since: "0.2.0",
        sources: ["https://keda.sh/docs/2.20/operate/cluster/#cluster-capacity"],
    }
}

const FLOOR: f64 = 100.0 * 1024.0 * 1024.0;

fn check_resources(res: &Node, obj: &Object, cx: &mut RuleContext<'_>) {
    for kind in ["limits", "requests"] {
        let Some(mem) = res.at(&[kind, "memory"]) else { continue };
        if mem.text().and_then(memory_bytes).is_some_and(|b| b < FLOOR) {
            cx.report(
                Diagnostic::new(format!("the KEDA operator's memory {} is {}, below KEDA's documented request of 100Mi", &kind[..kind.len() - 1], mem.text().unwrap_or_default()))
                    .primary(obj.file, mem.span.clone(), "too small to hold the operator's caches")
                    .help("give the operator at least `requests.memory: 100Mi` and `limits.memory: 1000Mi`, as KEDA documents"),
            );
        }
    }
}

impl Rule for KedaOperatorResources {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        if obj.kind == Kind::KedaValues {
            let v = Values { root: &obj.node };
            if let Some(res) = v.get(&["resources", "operator"]).or_else(|| v.get(&["resources"]).filter(|r| r.get("limits").is_some() || r.get("requests").is_some())) {
                check_resources(res, obj, cx);
            }
        } else if component_of(obj) == Some(Component::Operator) {
            let containers = obj.workload().and_then(|w| w.pod_spec).and_then(|p| p.get("containers")).and_then(Node::as_seq).unwrap_or_default();
            if let Some(res) = containers.iter().find(|c| c.get("image").and_then(Node::text).is_some_and(|i| i.contains("kedacore/keda"))).and_then(|c| c.get("resources")) {
                check_resources(res, obj, cx);
            }
        }
    }
}
