use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::keda_chart::{component_of, Component, Values};
use crate::model::{Kind, Object};

declare_rule! {
    /// ## What it does
    /// Reports a KEDA install whose operator runs one replica: KEDA chart values with
    /// `operator.replicaCount` below 2 (the chart's default is 1), or a rendered or plain
    /// `keda-operator` Deployment with `spec.replicas` below 2.
    ///
    /// ## Why is this bad?
    /// The operator runs active/standby through leader election: only one replica works, the
    /// other takes over the Lease within seconds when the first goes away. With a single
    /// replica, a node drain, a crash or a rollout stops every ScaledObject and ScaledJob until a
    /// new pod is scheduled and warmed up. KEDA's docs recommend 2; more than 2 adds nothing,
    /// because only one is ever active.
    ///
    /// ## Example
    /// ```yaml,fail
    /// operator:
    ///   replicaCount: 1
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
    /// ```
    ///
    /// ## References
    /// - KEDA docs, Operate / Cluster, "High Availability": https://keda.sh/docs/2.20/operate/cluster/#high-availability
    /// - kedacore/keda v2.20.2 cmd/operator/main.go (`--leader-elect`)
    pub KedaOperatorSingleReplica {
        name: "keda-operator-single-replica",
        category: BestPractice,
        kinds: [KedaValues, Workload],
        summary: "the KEDA operator runs a single replica: no standby takes over",
        since: "0.2.0",
        sources: ["https://keda.sh/docs/2.20/operate/cluster/#high-availability"],
    }
}

const HELP: &str = "run 2 replicas: one is active, the other stands by and takes over through leader election; more than 2 adds nothing";

impl Rule for KedaOperatorSingleReplica {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let why = "while it is down (node drain, crash, rollout) nothing scales";
        if obj.kind == Kind::KedaValues {
            let v = Values { root: &obj.node };
            let (n, node) = v.replicas(Component::Operator);
            if n >= 2 {
                return;
            }
            let (span, label) = match node {
                Some(node) => (node.span.clone(), "one replica".to_owned()),
                None => (obj.node.entry("operator").map_or(obj.head_span(), |e| e.key.span.clone()), "`operator.replicaCount` unset: the chart's default is 1".to_owned()),
            };
            cx.report(
                Diagnostic::new(format!("the KEDA operator runs {n} replica: {why}"))
                    .primary(obj.file, span, label)
                    .help(format!("set `operator.replicaCount: 2`; {HELP}")),
            );
        } else if component_of(obj) == Some(Component::Operator) {
            let replicas = obj.workload().and_then(|w| w.replicas);
            if replicas.as_ref().is_some_and(|r| r.value >= 2) {
                return;
            }
            let n = replicas.as_ref().map_or(1, |r| r.value);
            let span = replicas.map_or(obj.head_span(), |r| r.span);
            cx.report(
                Diagnostic::new(format!("the KEDA operator Deployment `{}` runs {n} replica: {why}", obj.name()))
                    .primary(obj.file, span, "one replica")
                    .help(format!("set `replicas: 2` (chart: `operator.replicaCount: 2`); {HELP}")),
            );
        }
    }
}
