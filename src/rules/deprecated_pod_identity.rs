use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports the deprecated `podIdentity.provider: aws-eks`, and the providers KEDA 2.15 removed
    /// (`azure`, AAD Pod Identity; `aws-kiam`) with what replaces them.
    ///
    /// ## Why is this bad?
    /// `aws-eks` still works but logs `AWS EKS Identity has been deprecated in favor of AWS
    /// Identity and will be removed from KEDA on v3`; removed providers are rejected by the CRD.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: TriggerAuthentication
    /// metadata: {name: aws}
    /// spec:
    ///   podIdentity: {provider: aws-eks}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: TriggerAuthentication
    /// metadata: {name: aws}
    /// spec:
    ///   podIdentity: {provider: aws, identityOwner: workload}
    /// ```
    ///
    /// ## References
    /// - KEDA docs, authentication-providers/aws-eks.md; kedacore/keda v2.20.2 pkg/scaling/scalers_builder.go
    /// - KEDA CHANGELOG v2.15.0 "AAD-Pod-Identity and AWS-KIAM auths have been removed"
    pub DeprecatedPodIdentity {
        name: "deprecated-pod-identity",
        category: Suspicious,
        kinds: [TriggerAuthentication, ClusterTriggerAuthentication],
        summary: "a deprecated or removed pod identity provider",
        since: "0.1.0",
        sources: ["https://keda.sh/docs/2.20/authentication-providers/aws-eks/"],
    }
}

impl Rule for DeprecatedPodIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ta: &Object, cx: &mut RuleContext<'_>) {
        let Some(p) = ta.spec().and_then(|s| s.at(&["podIdentity", "provider"])) else { return };
        let (message, help) = match p.text().unwrap_or("") {
            "aws-eks" => ("pod identity provider `aws-eks` is deprecated and will be removed in KEDA v3", "use `provider: aws` (with `identityOwner: workload` to keep using the workload's role)"),
            "azure" if cx.config.keda_version >= (2, 15) => ("pod identity provider `azure` (AAD Pod Identity) was removed in KEDA 2.15", "use `provider: azure-workload` (Azure Workload Identity)"),
            "aws-kiam" if cx.config.keda_version >= (2, 15) => ("pod identity provider `aws-kiam` was removed in KEDA 2.15", "use `provider: aws`"),
            _ => return,
        };
        cx.report(Diagnostic::new(message).primary(ta.file, p.span.clone(), "provider").help(help));
    }
}
