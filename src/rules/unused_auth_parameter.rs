use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::{Object, ObjectKey};
use crate::scalers::{Catalogue, From};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a parameter that a TriggerAuthentication provides (`secretTargetRef`, `env`,
    /// `configMapTargetRef`, ...) but that no scaler using it reads from an authentication, for
    /// triggers whose scaler is catalogued in full (rules/scalers.yaml).
    ///
    /// ## Why is this bad?
    /// KEDA ignores it, so the credential never reaches the scaler: `connectionString` where the
    /// scaler reads `connection`, or `host` given to a scaler that only reads it from metadata.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: TriggerAuthentication
    /// metadata: {name: sb-auth}
    /// spec:
    ///   secretTargetRef: [{parameter: connectionString, name: servicebus, key: connection}]
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: orders}
    /// spec:
    ///   scaleTargetRef: {name: orders}
    ///   triggers:
    ///     - type: azure-servicebus
    ///       metadata: {queueName: orders}
    ///       authenticationRef: {name: sb-auth}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: TriggerAuthentication
    /// metadata: {name: sb-auth}
    /// spec:
    ///   secretTargetRef: [{parameter: connection, name: servicebus, key: connection}]
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: orders}
    /// spec:
    ///   scaleTargetRef: {name: orders}
    ///   triggers:
    ///     - type: azure-servicebus
    ///       metadata: {queueName: orders}
    ///       authenticationRef: {name: sb-auth}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/scalers/scalersconfig/typed_config.go (`authParams` lookup)
    /// - the catalogue, rules/scalers.yaml
    pub UnusedAuthParameter {
        name: "unused-auth-parameter",
        category: Suspicious,
        kinds: [TriggerAuthentication, ClusterTriggerAuthentication],
        summary: "an authentication provides a parameter no scaler using it reads",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scalers/scalersconfig/typed_config.go"],
    }
}

impl Rule for UnusedAuthParameter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ta: &Object, cx: &mut RuleContext<'_>) {
        let catalogue = Catalogue::get();
        let key = ta.key();
        let key = ObjectKey { group: "keda.sh".into(), ..key };
        // The scalers of every trigger that uses this authentication; any uncatalogued one means
        // the parameter might be read there, so nothing is said.
        let mut scalers = Vec::new();
        for used in cx.index.uses_of_auth(&key) {
            match catalogue.scaler(&used.trigger_type).filter(|s| !s.partial) {
                Some(s) => scalers.push((used.trigger_type.clone(), s)),
                None => return,
            }
        }
        if scalers.is_empty() {
            return;
        }
        let Some(spec) = ta.spec() else { return };
        for list in ["secretTargetRef", "env", "configMapTargetRef", "boundServiceAccountToken"] {
            for item in spec.get(list).and_then(Node::as_seq).unwrap_or_default() {
                let Some(p) = item.get("parameter") else { continue };
                let name = p.text().unwrap_or_default();
                if scalers.iter().any(|(_, s)| s.param(name).is_some_and(|q| q.reads(From::Auth))) {
                    continue;
                }
                let types: Vec<String> = scalers.iter().map(|(t, _)| format!("`{t}`")).collect();
                let readable: Vec<&str> = scalers.iter().flat_map(|(_, s)| s.params.iter().filter(|q| q.reads(From::Auth)).map(|q| q.name.as_str())).collect();
                let help = crate::schema::validate::did_you_mean(name, readable.iter().copied()).map_or_else(
                    || "remove it, or give it to the scaler in the way it reads it (metadata or `<name>FromEnv`)".to_owned(),
                    |s| format!("did you mean `{s}`?"),
                );
                cx.report(
                    Diagnostic::new(format!("parameter `{name}` is not read from an authentication by the {} scaler", types.join(", ")))
                        .primary(ta.file, p.span.clone(), "ignored by KEDA")
                        .help(help),
                );
            }
        }
    }
}
