use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::keda_chart::{component_of, Component, Values};
use crate::model::{Kind, Object};

declare_rule! {
    /// ## What it does
    /// Notes a KEDA metrics server with more than one replica (`metricsServer.replicaCount` in
    /// chart values, or `spec.replicas` of the `keda-operator-metrics-apiserver` Deployment).
    ///
    /// ## Why is this bad?
    /// It is not wrong, but it is not what it looks like: the cluster has one APIService for
    /// `external.metrics.k8s.io`, and KEDA's docs say only one metrics server instance serves it
    /// unless the kube-apiserver runs with `--enable-aggregator-routing=true`. Extra replicas
    /// shorten a failover; they do not add capacity.
    ///
    /// ## Example
    /// ```yaml,fail
    /// operator:
    ///   replicaCount: 2
    /// metricsServer:
    ///   replicaCount: 2
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// operator:
    ///   replicaCount: 2
    /// metricsServer:
    ///   replicaCount: 1
    /// ```
    ///
    /// ## References
    /// - KEDA docs, Operate / Cluster, "High Availability" (Metrics Server: supported replicas 1): https://keda.sh/docs/2.20/operate/cluster/#high-availability
    /// - kedacore/charts v2.20.2 keda/values.yaml `metricsServer.replicaCount`
    pub KedaMetricsServerReplicas {
        name: "keda-metrics-server-replicas",
        category: Notice,
        kinds: [KedaValues, Workload],
        summary: "more than one KEDA metrics server replica: only one serves external metrics",
        since: "0.2.0",
        sources: ["https://keda.sh/docs/2.20/operate/cluster/#high-availability"],
    }
}

const NOTE: &str = "only one instance serves `external.metrics.k8s.io` unless the kube-apiserver runs with `--enable-aggregator-routing=true`; the others only shorten a failover";

impl Rule for KedaMetricsServerReplicas {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let found = if obj.kind == Kind::KedaValues {
            let v = Values { root: &obj.node };
            match v.replicas(Component::MetricsServer) {
                (n, Some(node)) if n > 1 && v.enabled(Component::MetricsServer) => Some((n, node.span.clone())),
                _ => None,
            }
        } else if component_of(obj) == Some(Component::MetricsServer) {
            obj.workload().and_then(|w| w.replicas).filter(|r| r.value > 1).map(|r| (r.value, r.span))
        } else {
            None
        };
        if let Some((n, span)) = found {
            cx.report(
                Diagnostic::new(format!("the KEDA metrics server runs {n} replicas, but only one serves external metrics"))
                    .primary(obj.file, span, format!("{n} replicas"))
                    .help("keep the replicas for a faster failover if you like, but do not count on them for capacity")
                    .note(NOTE),
            );
        }
    }
}
