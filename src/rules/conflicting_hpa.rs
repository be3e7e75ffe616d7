use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

pub const HPA_OWNERSHIP: &str = "validations.keda.sh/hpa-ownership";
pub const TRANSFER_OWNERSHIP: &str = "scaledobject.keda.sh/transfer-hpa-ownership";

declare_rule! {
    /// ## What it does
    /// Reports a ScaledObject whose workload is already the target of a HorizontalPodAutoscaler
    /// in the repository that the ScaledObject does not own (no `ownerReferences` entry of kind
    /// `ScaledObject` with its name), unless the HPA carries `validations.keda.sh/hpa-ownership:
    /// "false"` or the ScaledObject takes the HPA over with `scaledobject.keda.sh/transfer-hpa-ownership:
    /// "true"` and names it in `advanced.horizontalPodAutoscalerConfig.name`.
    ///
    /// ## Why is this bad?
    /// KEDA's webhook rejects it (`the workload '<name>' of type '<gvk>' is already managed by the
    /// hpa '<hpa>'`), or, with the transfer annotation but no matching name, `the existing hpa
    /// '<hpa>' ... must be specified by name in advanced settings to enable ownership transfer`.
    /// Two autoscalers on one workload overwrite each other's replica count.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 1
    ///   maxReplicas: 5
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   triggers:
    ///     - {type: cpu, metricType: Utilization, metadata: {value: "60"}}
    /// ```
    ///
    /// Use instead (take the existing HPA over):
    /// ```yaml,pass
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 1
    ///   maxReplicas: 5
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata:
    ///   name: web
    ///   annotations: {scaledobject.keda.sh/transfer-hpa-ownership: "true"}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   advanced:
    ///     horizontalPodAutoscalerConfig: {name: web}
    ///   triggers:
    ///     - {type: cpu, metricType: Utilization, metadata: {value: "60"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go `verifyHpas`
    /// - KEDA docs, operate/admission-webhooks.md
    pub ConflictingHpa {
        name: "conflicting-hpa",
        category: Correctness,
        kinds: [ScaledObject],
        summary: "a ScaledObject targets a workload that an HPA it does not own already scales",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go: verifyHpas"],
    }
}

impl Rule for ConflictingHpa {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let (Some(target), Some(gvk)) = (so.scale_target(), so.target_gvk_string()) else { return };
        let version = cx.config.keda_version;
        for id in cx.index.hpas_of(&target.key(&so.namespace)) {
            let hpa = cx.index.object(*id);
            if version >= (2, 14) && hpa.annotation_str(HPA_OWNERSHIP) == Some("false") {
                continue;
            }
            let Some(view) = hpa.hpa() else { continue };
            if hpa.target_gvk_string().is_none_or(|g| g != gvk) {
                continue;
            }
            if view.owners.iter().any(|(k, n)| k == "ScaledObject" && n == so.name()) {
                continue;
            }
            let transfer = so.annotation_str(TRANSFER_OWNERSHIP) == Some("true");
            let custom = so.has_custom_hpa_name().then(|| so.hpa_name());
            if transfer && custom.as_ref().is_some_and(|c| c.value == hpa.name()) {
                continue;
            }
            let d = if transfer {
                let d = Diagnostic::new(format!(
                    "the existing HPA `{}` must be named in `advanced.horizontalPodAutoscalerConfig.name` to transfer its ownership",
                    hpa.name()
                ))
                .primary(so.file, custom.map_or(so.head_span(), |c| c.span), "the transfer annotation needs the HPA's name here");
                d.help(format!("set `spec.advanced.horizontalPodAutoscalerConfig.name: {}`", hpa.name()))
            } else {
                Diagnostic::new(format!("workload `{}` ({gvk}) is already scaled by HPA `{}`", target.name.value, hpa.name()))
                    .primary(so.file, target.name.span.clone(), "this workload has an HPA KEDA does not own")
                    .help(format!(
                        "delete the HPA, or let KEDA adopt it: annotate the ScaledObject `{TRANSFER_OWNERSHIP}: \"true\"` and set `advanced.horizontalPodAutoscalerConfig.name: {}`",
                        hpa.name()
                    ))
            };
            cx.report(d.secondary(hpa.file, hpa.head_span(), "HPA defined here"));
        }
    }
}
