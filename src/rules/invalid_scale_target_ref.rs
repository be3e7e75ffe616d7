use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

/// Kinds KEDA commonly scales, as the API spells them.
const KNOWN_KINDS: &[(&str, &str)] = &[("Deployment", "apps/v1"), ("StatefulSet", "apps/v1"), ("ReplicaSet", "apps/v1"), ("Rollout", "argoproj.io/v1alpha1")];

declare_rule! {
    /// ## What it does
    /// Reports a `scaleTargetRef` that KEDA cannot resolve: an `apiVersion` with more than one
    /// `/`, a kind spelled in the wrong case (`deployment`), or an `apps` version other than `v1`
    /// (`apps/v`, `apps/v1beta1`).
    ///
    /// ## Why is this bad?
    /// Kinds are case-sensitive and go through the cluster's REST mapper: KEDA's webhook rejects
    /// the ScaledObject with the mapper's error (`no matches for kind "deployment" in group
    /// "apps"`), and a malformed apiVersion fails to parse (`unexpected GroupVersion string`).
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: deployment, name: web}
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "5"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "5"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/gvkr.go `ParseGVKR`, `getResource`
    pub InvalidScaleTargetRef {
        name: "invalid-scale-target-ref",
        category: Correctness,
        kinds: [ScaledObject],
        summary: "a `scaleTargetRef` whose apiVersion or kind KEDA cannot resolve",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/gvkr.go: ParseGVKR"],
    }
}

impl Rule for InvalidScaleTargetRef {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(t) = so.scale_target() else { return };
        if let (Err(e), Some(api)) = (t.gvk(), &t.api_version) {
            cx.report(
                Diagnostic::new(format!("`scaleTargetRef.apiVersion` `{}` is not a group/version", api.value))
                    .primary(so.file, api.span.clone(), "malformed")
                    .help("write `group/version`, e.g. `apps/v1`")
                    .note(format!("KEDA rejects it: `{e}`")),
            );
            return;
        }
        if let Some(kind) = &t.kind
            && let Some((right, api)) = KNOWN_KINDS.iter().find(|(k, _)| k.eq_ignore_ascii_case(&kind.value) && *k != kind.value) {
                cx.report(
                    Diagnostic::new(format!("kind `{}` is spelled `{right}`: kinds are case-sensitive", kind.value))
                        .primary(so.file, kind.span.clone(), "wrong case")
                        .help(format!("write `kind: {right}` (`apiVersion: {api}`)")),
                );
            }
        if let Some(api) = &t.api_version
            && let Some(version) = api.value.strip_prefix("apps/").filter(|v| *v != "v1") {
                cx.report(
                    Diagnostic::new(format!("`apps/{version}` is not served; Deployments and StatefulSets are `apps/v1`"))
                        .primary(so.file, api.span.clone(), "unknown version")
                        .help("write `apiVersion: apps/v1`"),
                );
            }
    }
}
