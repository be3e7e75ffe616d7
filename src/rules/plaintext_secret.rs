use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports credentials written in plain text: trigger metadata whose key names a credential
    /// (`password`, `apiKey`, `token`, `connection`, ...), URLs with a password
    /// (`amqp://user:password@host`), connection strings with a key (`SharedAccessKey=`), and
    /// well-known token formats (AWS access key ids, GitHub and Slack tokens, private keys); and an
    /// inline Vault token in a TriggerAuthentication. The secret is masked (`****`) in every
    /// output kedalint writes.
    ///
    /// ## Why is this bad?
    /// Everyone who can read the repository, or `kubectl get scaledobject -o yaml`, can read the
    /// credential, and it is in Git history forever. KEDA reads credentials from Secrets through a
    /// TriggerAuthentication, or from the workload's environment with `<name>FromEnv`.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - type: rabbitmq
    ///       metadata: {queueName: q, mode: QueueLength, value: "5", host: "amqp://keda:hunter2@rabbitmq:5672/"}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: TriggerAuthentication
    /// metadata: {name: rabbitmq-auth}
    /// spec:
    ///   secretTargetRef: [{parameter: host, name: rabbitmq, key: url}]
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - type: rabbitmq
    ///       metadata: {queueName: q, mode: QueueLength, value: "5"}
    ///       authenticationRef: {name: rabbitmq-auth}
    /// ```
    ///
    /// ## References
    /// - KEDA docs, concepts/authentication.md ("Re-use credentials and delegate auth with TriggerAuthentication")
    pub PlaintextSecret {
        name: "plaintext-secret",
        category: Correctness,
        kinds: [ScaledObject, ScaledJob, TriggerAuthentication, ClusterTriggerAuthentication],
        summary: "a credential is written in plain text",
        since: "0.1.0",
        sources: ["https://keda.sh/docs/2.20/concepts/authentication/"],
    }
}

impl Rule for PlaintextSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        for s in cx.index.secrets[obj.id].iter().filter(|s| s.reported) {
            cx.report(
                Diagnostic::new(format!("`{}` holds {} in plain text", s.key, s.what))
                    .primary(obj.file, s.value_span.clone(), "plaintext secret (redacted)")
                    .help("store it in a Secret and reference it from a TriggerAuthentication (`secretTargetRef`), or read it from the workload's environment with `<name>FromEnv`; then rotate the credential, it is in Git history"),
            );
        }
    }
}
