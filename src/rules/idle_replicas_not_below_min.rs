use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a ScaledObject whose `idleReplicaCount` is not below its minimum, with KEDA's own
    /// arithmetic: an unset `minReplicaCount` counts as 0, but an explicit `minReplicaCount: 0`
    /// counts as 1 (the HPA's minimum). So `idleReplicaCount: 0` needs an explicit
    /// `minReplicaCount` (0 works), and `idleReplicaCount: 1` with `minReplicaCount: 0` is rejected.
    ///
    /// ## Why is this bad?
    /// KEDA 2.20 rejects it: `IdleReplicaCount=0 must be less than MinReplicaCount=0`. Earlier
    /// versions admit it and the idle state never takes effect; with `keda-version` below 2.20
    /// the finding is a warning.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   idleReplicaCount: 0
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "5"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   idleReplicaCount: 0
    ///   minReplicaCount: 1
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "5"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_types.go `CheckReplicaCountBoundsAreValid`, `GetHPAMinReplicas`
    pub IdleReplicasNotBelowMin {
        name: "idle-replicas-not-below-min",
        category: Correctness,
        kinds: [ScaledObject],
        summary: "`idleReplicaCount` is not below the minimum replica count KEDA computes",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_types.go: CheckReplicaCountBoundsAreValid"],
    }
}

impl Rule for IdleReplicasNotBelowMin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(v) = so.scaled() else { return };
        let Some(idle) = &v.idle_replicas else { return };
        let m = v.min_replicas.as_ref().map_or(0, |m| if m.value > 0 { m.value } else { 1 });
        if idle.value >= m {
            let why = match &v.min_replicas {
                None => "`minReplicaCount` is unset, which KEDA counts as 0 here".to_owned(),
                Some(min) if min.value == 0 => "an explicit `minReplicaCount: 0` counts as 1 here".to_owned(),
                Some(min) => format!("`minReplicaCount` is {}", min.value),
            };
            let mut d = Diagnostic::new(format!("`idleReplicaCount` {} must be less than the minimum replica count {m}", idle.value))
                .primary(so.file, idle.span.clone(), "idle replica count")
                .help(if idle.value == 0 { "set `minReplicaCount` explicitly (0 or more)" } else { "lower `idleReplicaCount` (0 is the only value KEDA supports) or raise `minReplicaCount`" })
                .note(format!("{why}; KEDA 2.20 rejects it: `IdleReplicaCount={} must be less than MinReplicaCount={m}`", idle.value))
                .admitted_by_keda(cx.config.keda_version < (2, 20));
            if let Some(min) = &v.min_replicas {
                d = d.secondary(so.file, min.span.clone(), "minimum");
            }
            cx.report(d);
        }
    }
}
