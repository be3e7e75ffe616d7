use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::{Object, Spanned};

declare_rule! {
    /// ## What it does
    /// Reports a ScaledObject whose `minReplicaCount` is greater than its `maxReplicaCount`
    /// (100 when unset).
    ///
    /// ## Why is this bad?
    /// Since KEDA 2.20 the CRD's validation rule
    /// (`!has(self.minReplicaCount) || self.minReplicaCount <= (has(self.maxReplicaCount) ? self.maxReplicaCount : 100)`)
    /// and the admission webhook reject it. KEDA 2.13 to 2.19 admit the object; the HPA it
    /// creates is then invalid and the ScaledObject never becomes ready. With `keda-version`
    /// below 2.20 the finding is a warning and the message says so.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata:
    ///   name: worker
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   minReplicaCount: 10
    ///   maxReplicaCount: 5
    ///   triggers:
    ///     - type: cpu
    ///       metricType: Utilization
    ///       metadata: {value: "60"}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata:
    ///   name: worker
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   minReplicaCount: 5
    ///   maxReplicaCount: 10
    ///   triggers:
    ///     - type: cpu
    ///       metricType: Utilization
    ///       metadata: {value: "60"}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go `verifyReplicaCount`
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_types.go `CheckReplicaCountBoundsAreValid`
    /// - kedacore/keda#7562 (enforced from v2.20.0)
    pub MinReplicasAboveMax {
        name: "min-replicas-above-max",
        category: Correctness,
        kinds: [ScaledObject],
        summary: "`minReplicaCount` is greater than `maxReplicaCount`",
        since: "0.1.0",
        sources: [
            "kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go: verifyReplicaCount",
            "kedacore/keda v2.20.2 config/crd/bases/keda.sh_scaledobjects.yaml: x-kubernetes-validations",
        ],
    }
}

fn min_above_max_diagnostic(obj: &Object, min: &Spanned<i64>, max: Option<&Spanned<i64>>, max_value: i64, rejects: bool) -> Diagnostic {
    let default = if max.is_none() { " (KEDA's default when unset)" } else { "" };
    let mut d = Diagnostic::new(format!("`minReplicaCount` {} is greater than `maxReplicaCount` {max_value}{default}", min.value))
        .primary(obj.file, min.span.clone(), "minimum set here");
    if let Some(m) = max {
        d = d.secondary(obj.file, m.span.clone(), "maximum set here");
    }
    let d = d.help("lower `minReplicaCount` or raise `maxReplicaCount`");
    if rejects {
        d.note(format!("KEDA rejects this: `MinReplicaCount={} must be less than MaxReplicaCount={max_value}`", min.value))
    } else {
        d.note("this KEDA version admits the object, but the HPA it creates is invalid and the ScaledObject never becomes ready; KEDA 2.20 rejects it")
    }
}

impl Rule for MinReplicasAboveMax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let Some(view) = obj.scaled() else { return };
        let Some(min) = &view.min_replicas else { return };
        let max_value = view.max_replicas.as_ref().map_or(100, |m| m.value);
        if min.value > max_value {
            let rejects = cx.config.keda_version >= (2, 20);
            cx.report(min_above_max_diagnostic(obj, min, view.max_replicas.as_ref(), max_value, rejects).admitted_by_keda(!rejects));
        }
    }
}
