use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::{Kind, Object};

declare_rule! {
    /// ## What it does
    /// Reports `spec.filePath` on a namespaced TriggerAuthentication (only
    /// ClusterTriggerAuthentication supports it), and a `filePath` that is absolute or contains `..`.
    ///
    /// ## Why is this bad?
    /// KEDA admits the object, then fails every time it resolves the authentication:
    /// `filePath is only supported for ClusterTriggerAuthentication, got kind:
    /// TriggerAuthentication`, or `filePath must be relative and not contain '..'`.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: TriggerAuthentication
    /// metadata: {name: files}
    /// spec:
    ///   filePath: credentials/rabbitmq.json
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ClusterTriggerAuthentication
    /// metadata: {name: files}
    /// spec:
    ///   filePath: credentials/rabbitmq.json
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/scaling/resolver/scale_resolvers.go `ResolveAuthRefAndPodIdentity`, `readAuthParamsFromFile` (kedacore/keda#7082)
    pub InvalidAuthFilePath {
        name: "invalid-auth-file-path",
        category: Correctness,
        kinds: [TriggerAuthentication, ClusterTriggerAuthentication],
        summary: "`filePath` on a namespaced TriggerAuthentication, or a path KEDA refuses",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scaling/resolver/scale_resolvers.go: ResolveAuthRefAndPodIdentity"],
    }
}

impl Rule for InvalidAuthFilePath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ta: &Object, cx: &mut RuleContext<'_>) {
        let Some(fp) = ta.spec().and_then(|s| s.get("filePath")) else { return };
        let path = fp.text().unwrap_or("");
        if path.is_empty() {
            return;
        }
        if ta.kind == Kind::TriggerAuthentication {
            cx.report(
                Diagnostic::new("`filePath` is only supported on a ClusterTriggerAuthentication")
                    .primary(ta.file, fp.span.clone(), "ignored on a namespaced TriggerAuthentication")
                    .help("make this a ClusterTriggerAuthentication, or use `secretTargetRef`"),
            );
        }
        if path.starts_with('/') || path.split('/').any(|p| p == "..") {
            cx.report(
                Diagnostic::new(format!("`filePath` `{path}` must be relative and must not contain `..`"))
                    .primary(ta.file, fp.span.clone(), "refused by KEDA")
                    .help("give the path relative to the operator's `--filepath-auth-root-path`"),
            );
        }
    }
}
