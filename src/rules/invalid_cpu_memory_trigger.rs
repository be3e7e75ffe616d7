use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Checks the trigger-level `metricType` of `cpu` and `memory` triggers: since KEDA 2.18 it
    /// is required and must be `Utilization` or `AverageValue`, and the old `metadata.type` is
    /// rejected. With `keda-version` below 2.18, `metadata.type` is accepted (deprecated) and only
    /// a `metricType` of `Value` is reported (the HPA cannot use it for resource metrics).
    ///
    /// ## Why is this bad?
    /// KEDA fails to build the scaler (`The 'type' setting is DEPRECATED and is removed in v2.18
    /// - Use 'metricType' instead`), so the ScaledObject never becomes ready.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   minReplicaCount: 1
    ///   triggers:
    ///     - {type: cpu, metadata: {type: Utilization, value: "60"}}
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
    /// - kedacore/keda v2.20.2 pkg/scalers/cpu_memory_scaler.go (kedacore/keda#6698)
    /// - KEDA docs, scalers/cpu.md and scalers/memory.md
    pub InvalidCpuMemoryTrigger {
        name: "invalid-cpu-memory-trigger",
        category: Correctness,
        kinds: [ScaledObject],
        summary: "a cpu or memory trigger without a valid trigger-level `metricType`",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scalers/cpu_memory_scaler.go"],
    }
}

impl Rule for InvalidCpuMemoryTrigger {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let strict = cx.config.keda_version >= (2, 18);
        for t in so.triggers().iter().filter(|t| t.is_cpu_or_memory()) {
            let res = t.type_str();
            let legacy = t.metadata.and_then(|m| m.entry("type"));
            let metric_type = t.node.get("metricType");
            if let Some(e) = legacy.filter(|_| strict) {
                let v = e.value.text().unwrap_or("Utilization");
                cx.report(
                    Diagnostic::new(format!("`metadata.type` was removed from the {res} scaler in KEDA 2.18"))
                        .primary(so.file, e.key.span.clone(), "removed setting")
                        .help(format!("move it to the trigger: `metricType: {v}` next to `type: {res}`")),
                );
            }
            match metric_type {
                None if strict && legacy.is_none() => cx.report(
                    Diagnostic::new(format!("the {res} trigger needs `metricType: Utilization` or `metricType: AverageValue`"))
                        .primary(so.file, t.span(), "no `metricType`")
                        .help("add `metricType: Utilization` (percent of the request) or `metricType: AverageValue` (absolute value per pod)"),
                ),
                Some(m) if !matches!(m.text(), Some("Utilization" | "AverageValue")) => cx.report(
                    Diagnostic::new(format!("`metricType` of a {res} trigger must be `Utilization` or `AverageValue`, found `{}`", m.text().unwrap_or("")))
                        .primary(so.file, m.span.clone(), "not a resource metric type")
                        .help("use `Utilization` or `AverageValue`"),
                ),
                _ => {}
            }
        }
    }
}
