use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

const LIMIT: usize = 63;

declare_rule! {
    /// ## What it does
    /// Reports a ScaledObject whose name is longer than 63 characters, or whose HPA name (the
    /// custom `advanced.horizontalPodAutoscalerConfig.name`, else `keda-hpa-<name>`) is: without
    /// a custom HPA name, a ScaledObject name may have at most 54 characters.
    ///
    /// ## Why is this bad?
    /// KEDA puts the name in the `scaledobject.keda.sh/name` label of the ScaledObject and its
    /// HPA, and label values are limited to 63 characters. KEDA 2.20's webhook rejects it
    /// (`scaledobject name ... must be no more than 63 characters`, `HPA name ... derived from
    /// scaledobject is 64 characters long`); older versions admit it and then fail to label.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: recommendation-engine-feature-store-online-inference-worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - {type: cpu, metricType: Utilization, metadata: {value: "60"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: recommendation-engine-feature-store-online-inference-worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   advanced:
    ///     horizontalPodAutoscalerConfig: {name: rec-engine-worker}
    ///   triggers:
    ///     - {type: cpu, metricType: Utilization, metadata: {value: "60"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go `verifyName` (kedacore/keda#7762)
    pub ScaledobjectNameTooLong {
        name: "scaledobject-name-too-long",
        category: Correctness,
        kinds: [ScaledObject],
        summary: "a ScaledObject's name or derived HPA name is longer than 63 characters",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go: verifyName"],
    }
}

impl Rule for ScaledobjectNameTooLong {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(name) = &so.name else { return };
        let n = name.value.chars().count();
        if n > LIMIT {
            cx.report(
                Diagnostic::new(format!("the ScaledObject name is {n} characters long; KEDA allows at most {LIMIT}"))
                    .primary(so.file, name.span.clone(), "used as the `scaledobject.keda.sh/name` label value")
                    .help("shorten the name"),
            );
            return;
        }
        let hpa = so.hpa_name();
        let h = hpa.value.chars().count();
        if h > LIMIT {
            let d = Diagnostic::new(format!("the HPA name `{}` is {h} characters long; KEDA allows at most {LIMIT}", hpa.value));
            let d = if so.has_custom_hpa_name() {
                d.primary(so.file, hpa.span, "custom HPA name").help("shorten the custom HPA name")
            } else {
                d.primary(so.file, name.span.clone(), "`keda-hpa-` + this name")
                    .help(format!("shorten the name to {} characters or fewer, or set a shorter `spec.advanced.horizontalPodAutoscalerConfig.name`", LIMIT - 9))
            };
            cx.report(d);
        }
    }
}
