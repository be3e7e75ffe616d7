use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Checks `spec.podIdentity` of TriggerAuthentications and ClusterTriggerAuthentications as
    /// KEDA's webhook does, reporting every problem where KEDA stops at the first:
    /// - `azure-workload`: `identityId` present but empty; `identityAuthorityHost` set without a
    ///   non-empty `identityTenantId`; `identityTenantId` present but empty;
    /// - `aws`: `roleArn` with `identityOwner: workload`; `externalID` without `roleArn` (2.20).
    ///
    /// ## Why is this bad?
    /// KEDA rejects the object, e.g. `roleArn of PodIdentity can't be set if KEDA isn't
    /// identityOwner`.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: TriggerAuthentication
    /// metadata: {name: aws}
    /// spec:
    ///   podIdentity:
    ///     provider: aws
    ///     roleArn: arn:aws:iam::123456789012:role/keda
    ///     identityOwner: workload
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: TriggerAuthentication
    /// metadata: {name: aws}
    /// spec:
    ///   podIdentity:
    ///     provider: aws
    ///     roleArn: arn:aws:iam::123456789012:role/keda
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/triggerauthentication_webhook.go `validateSpec`
    pub InvalidPodIdentity {
        name: "invalid-pod-identity",
        category: Correctness,
        kinds: [TriggerAuthentication, ClusterTriggerAuthentication],
        summary: "a `podIdentity` that KEDA's webhook rejects",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/triggerauthentication_webhook.go: validateSpec"],
    }
}

fn empty_present<'a>(pi: &'a Node, key: &str) -> Option<&'a Node> {
    pi.get(key).filter(|v| v.text() == Some(""))
}

impl Rule for InvalidPodIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ta: &Object, cx: &mut RuleContext<'_>) {
        let Some(pi) = ta.spec().and_then(|s| s.get("podIdentity")) else { return };
        let text = |k: &str| pi.get(k).and_then(Node::text).unwrap_or("");
        let v220 = cx.config.keda_version >= (2, 20);
        let mut report = |node: &Node, message: &str, help: &str| {
            cx.report(Diagnostic::new(message.to_owned()).primary(ta.file, node.span.clone(), "here").help(help.to_owned()));
        };
        match text("provider") {
            "azure-workload" => {
                if let Some(n) = empty_present(pi, "identityId") {
                    report(n, "`identityId` must not be empty when set", "remove `identityId` to use the default identity, or set it");
                }
                if let Some(host) = pi.get("identityAuthorityHost").filter(|h| h.text().is_some_and(|t| !t.is_empty())) {
                    if text("identityTenantId").is_empty() {
                        report(host, "`identityAuthorityHost` requires a non-empty `identityTenantId`", "set `identityTenantId`");
                    }
                } else if let Some(n) = empty_present(pi, "identityTenantId") {
                    report(n, "`identityTenantId` must not be empty when set", "remove `identityTenantId` or set it");
                }
            }
            "aws" => {
                if let Some(role) = pi.get("roleArn").filter(|r| r.text().is_some_and(|t| !t.is_empty()))
                    && text("identityOwner") == "workload" {
                        report(role, "`roleArn` cannot be set when `identityOwner` is `workload`", "remove `roleArn` (the workload's own role is used) or remove `identityOwner: workload`");
                    }
                if v220
                    && let Some(ext) = pi.get("externalID").filter(|r| r.text().is_some_and(|t| !t.is_empty()))
                        && text("roleArn").is_empty() {
                            report(ext, "`externalID` requires `roleArn`", "set `roleArn` to the role the external ID is for");
                        }
            }
            _ => {}
        }
    }
}
