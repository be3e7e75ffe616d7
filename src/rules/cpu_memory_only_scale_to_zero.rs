use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a ScaledObject for an `apps/v1` Deployment or StatefulSet whose triggers are all
    /// `cpu` or `memory` while `minReplicaCount` is unset or 0.
    ///
    /// ## Why is this bad?
    /// With no pods there is no CPU or memory to measure, so nothing could ever scale the
    /// workload back up. KEDA's webhook rejects it: `scaledobject has only cpu/memory triggers
    /// AND minReplica is 0 (scale to zero doesn't work in this case)`.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   triggers:
    ///     - {type: cpu, metricType: Utilization, metadata: {value: "60"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   minReplicaCount: 1
    ///   triggers:
    ///     - {type: cpu, metricType: Utilization, metadata: {value: "60"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go `verifyCPUMemoryScalers` (kedacore/keda#4346)
    pub CpuMemoryOnlyScaleToZero {
        name: "cpu-memory-only-scale-to-zero",
        category: Correctness,
        kinds: [ScaledObject],
        summary: "only cpu/memory triggers with a minimum of 0 replicas",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go: verifyCPUMemoryScalers"],
    }
}

impl Rule for CpuMemoryOnlyScaleToZero {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let triggers = so.triggers();
        if triggers.is_empty() || !triggers.iter().all(|t| t.is_cpu_or_memory()) {
            return;
        }
        if !so.scale_target().and_then(|t| t.gvk().ok()).is_some_and(|g| g.is_apps_v1_workload()) {
            return;
        }
        let Some(v) = so.scaled() else { return };
        if v.min_replicas.as_ref().is_none_or(|m| m.value == 0) {
            let span = v.min_replicas.as_ref().map_or(so.head_span(), |m| m.span.clone());
            let label = if v.min_replicas.is_some() { "minimum of 0" } else { "`minReplicaCount` unset: the minimum is 0" };
            cx.report(
                Diagnostic::new("only cpu/memory triggers, but `minReplicaCount` is 0: nothing could scale the workload up from zero")
                    .primary(so.file, span, label)
                    .help("set `minReplicaCount: 1`, or add a trigger that can activate from zero (a queue, Prometheus, cron)"),
            );
        }
    }
}
