use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a ScaledObject whose HPA name (the custom
    /// `advanced.horizontalPodAutoscalerConfig.name`, else `keda-hpa-<name>`) equals the HPA name
    /// of another ScaledObject in the same namespace.
    ///
    /// ## Why is this bad?
    /// Both would manage one HPA. KEDA's webhook rejects the second (since v2.16); in v2.20.2,
    /// when the other ScaledObject has no custom name, the webhook even panics on this path and
    /// the request is denied with `runtime error: invalid memory address or nil pointer dereference`.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: first}
    /// spec:
    ///   scaleTargetRef: {name: a}
    ///   triggers:
    ///     - {type: cpu, metricType: Utilization, metadata: {value: "60"}}
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: second}
    /// spec:
    ///   scaleTargetRef: {name: b}
    ///   advanced:
    ///     horizontalPodAutoscalerConfig: {name: keda-hpa-first}
    ///   triggers:
    ///     - {type: cpu, metricType: Utilization, metadata: {value: "60"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: second}
    /// spec:
    ///   scaleTargetRef: {name: b}
    ///   advanced:
    ///     horizontalPodAutoscalerConfig: {name: b-hpa}
    ///   triggers:
    ///     - {type: cpu, metricType: Utilization, metadata: {value: "60"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go `verifyScaledObjects`, `getHpaName` (kedacore/keda#6198)
    pub DuplicateHpaName {
        name: "duplicate-hpa-name",
        category: Correctness,
        kinds: [ScaledObject],
        summary: "two ScaledObjects would create HPAs with the same name",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go: verifyScaledObjects"],
    }
}

impl Rule for DuplicateHpaName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        if cx.config.keda_version < (2, 16) {
            return;
        }
        let hpa = so.hpa_name();
        let first = cx.index.scalers_with_hpa_name(&so.namespace, &hpa.value).iter().map(|id| cx.index.object(*id)).find(|o| o.name() != so.name());
        if let Some(first) = first.filter(|f| f.id < so.id) {
            let label = if so.has_custom_hpa_name() { "custom HPA name set here" } else { "its generated HPA name comes from this name" };
            cx.report(
                Diagnostic::new(format!("the HPA `{}` would also be managed by ScaledObject `{}`", hpa.value, first.name()))
                    .primary(so.file, hpa.span.clone(), label)
                    .secondary(first.file, first.hpa_name().span, "the other ScaledObject's HPA name")
                    .help("give this ScaledObject another `advanced.horizontalPodAutoscalerConfig.name`"),
            );
        }
    }
}
