use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Says that a TriggerAuthentication's `secretTargetRef` names a Secret that is not in the
    /// linted files. A SealedSecret (bitnami.com) or an ExternalSecret (external-secrets.io) that
    /// produces a Secret of that name in the namespace counts as the Secret.
    ///
    /// ## Why is this bad?
    /// Secrets usually live outside Git, so this is only worth knowing; but when the Secret is
    /// missing in the cluster, KEDA fails to resolve the authentication on every poll.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: TriggerAuthentication
    /// metadata: {name: rabbitmq-auth}
    /// spec:
    ///   secretTargetRef: [{parameter: host, name: rabbitmq, key: url}]
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: bitnami.com/v1alpha1
    /// kind: SealedSecret
    /// metadata: {name: rabbitmq}
    /// spec:
    ///   encryptedData: {url: AgBy3i4OJSWK+PiTySYZZA==}
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: TriggerAuthentication
    /// metadata: {name: rabbitmq-auth}
    /// spec:
    ///   secretTargetRef: [{parameter: host, name: rabbitmq, key: url}]
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/scaling/resolver/scale_resolvers.go (`secretTargetRef` resolution)
    pub DanglingSecretRef {
        name: "dangling-secret-ref",
        category: Notice,
        kinds: [TriggerAuthentication, ClusterTriggerAuthentication],
        summary: "a `secretTargetRef` names a Secret that is not in the linted files",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scaling/resolver/scale_resolvers.go"],
    }
}

impl Rule for DanglingSecretRef {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ta: &Object, cx: &mut RuleContext<'_>) {
        // A ClusterTriggerAuthentication reads Secrets from KEDA's own namespace, which the
        // repository does not say; only namespaced ones are checked.
        if ta.is_cluster_scoped() {
            return;
        }
        let Some(refs) = ta.spec().and_then(|s| s.get("secretTargetRef")).and_then(Node::as_seq) else { return };
        let mut seen = Vec::new();
        for r in refs {
            let Some(name) = r.get("name").filter(|n| n.text().is_some_and(|t| !t.is_empty())) else { continue };
            let n = name.text().unwrap_or_default();
            if seen.contains(&n) || cx.index.produces_secret(&ta.namespace, n) {
                continue;
            }
            seen.push(n);
            cx.report(
                Diagnostic::new(format!("the Secret `{n}` is not in the linted files"))
                    .primary(ta.file, name.span.clone(), "defined elsewhere?")
                    .help(format!("make sure Secret `{n}` exists in namespace `{}` (or lint its SealedSecret or ExternalSecret with this object)", ta.namespace)),
            );
        }
    }
}
