use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::views::TriggerView;
use crate::model::{Object, ObjectKey};
use crate::scalers::{Catalogue, From, Param};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a trigger that lacks a parameter its scaler requires, for the scalers catalogued in
    /// full (rules/scalers.yaml). A parameter counts as given when it is in `metadata` with a
    /// non-blank value, or (where the scaler reads it so) as `<name>FromEnv`, or from the
    /// referenced TriggerAuthentication: when that authentication is in the repository its
    /// `secretTargetRef`, `env`, `configMapTargetRef`, vault and secret-manager entries must name
    /// the parameter; when it is not, it is assumed to provide it.
    ///
    /// ## Why is this bad?
    /// KEDA admits the ScaledObject and then fails to build the scaler on every reconcile
    /// (`missing required parameter "queueName" in [triggerMetadata]`).
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - {type: prometheus, metadata: {serverAddress: "http://prometheus:9090", threshold: "10"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - {type: prometheus, metadata: {serverAddress: "http://prometheus:9090", query: "sum(rate(jobs_total[1m]))", threshold: "10"}}
    /// ```
    ///
    /// ## Known problems
    /// Parameters required only in combination (postgresql's `host`/`port`/... when there is no
    /// `connection`) are not checked.
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/scalers/scalersconfig/typed_config.go (`missing required parameter`)
    /// - the catalogue, rules/scalers.yaml
    pub MissingTriggerParameter {
        name: "missing-trigger-parameter",
        category: Correctness,
        kinds: [ScaledObject, ScaledJob],
        summary: "a trigger lacks a parameter its scaler requires",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scalers/scalersconfig/typed_config.go"],
    }
}

/// Parameters a (Cluster)TriggerAuthentication provides, or `None` when that cannot be known
/// (not in the repository, or resolved at runtime through a file or pod identity).
pub fn auth_parameters(obj: &Object, t: &TriggerView<'_>, cx: &RuleContext<'_>) -> Option<Vec<String>> {
    let r = t.auth_ref.as_ref()?;
    let cluster = r.kind == "ClusterTriggerAuthentication";
    let key = ObjectKey { group: "keda.sh".into(), kind: r.kind.into(), namespace: if cluster { "" } else { obj.namespace.as_str() }.into(), name: r.name.value.into() };
    let ta = cx.index.get(&key)?;
    let spec = ta.spec()?;
    if spec.get("filePath").is_some() || spec.get("podIdentity").is_some() {
        return None;
    }
    let mut out = Vec::new();
    let lists = [
        &["secretTargetRef"][..],
        &["env"],
        &["configMapTargetRef"],
        &["boundServiceAccountToken"],
        &["hashiCorpVault", "secrets"],
        &["azureKeyVault", "secrets"],
        &["gcpSecretManager", "secrets"],
        &["awsSecretManager", "secrets"],
    ];
    for path in lists {
        for item in spec.at(path).and_then(Node::as_seq).unwrap_or_default() {
            if let Some(p) = item.get("parameter").and_then(Node::text) {
                out.push(p.to_owned());
            }
        }
    }
    Some(out)
}

/// Whether the trigger gives `p` in any place KEDA would read it.
pub fn given(p: &Param, t: &TriggerView<'_>, auth: &Option<Vec<String>>, has_auth_ref: bool) -> bool {
    let meta = |k: &str| {
        t.metadata.and_then(Node::as_map).unwrap_or_default().iter().any(|e| e.key.text().is_some_and(|key| crate::scalers::names(k, key)) && e.value.text().is_some_and(|v| !v.trim().is_empty()))
    };
    (p.reads(From::Metadata) && meta(&p.name))
        || (p.reads(From::Env) && meta(&format!("{}FromEnv", p.name)))
        || (p.reads(From::Auth) && has_auth_ref && auth.as_ref().is_none_or(|a| a.contains(&p.name)))
}

impl Rule for MissingTriggerParameter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let catalogue = Catalogue::get();
        for t in obj.triggers() {
            let Some(scaler) = catalogue.scaler(t.type_str()).filter(|s| !s.partial) else { continue };
            let auth = auth_parameters(obj, &t, cx);
            let has_ref = t.auth_ref.is_some();
            let mut groups_done: Vec<&str> = Vec::new();
            for p in &scaler.params {
                let Some(req) = p.required.as_deref() else { continue };
                let members: Vec<&Param> = if req == "true" { vec![p] } else { scaler.params.iter().filter(|q| q.required.as_deref() == Some(req)).collect() };
                if req != "true" {
                    if groups_done.contains(&req) {
                        continue;
                    }
                    groups_done.push(req);
                }
                if members.iter().any(|m| given(m, &t, &auth, has_ref)) {
                    continue;
                }
                let names = members.iter().map(|m| format!("`{}`", m.name)).collect::<Vec<_>>().join(" or ");
                let places: Vec<&str> = [(From::Metadata, "`metadata`"), (From::Env, "`<name>FromEnv`"), (From::Auth, "the TriggerAuthentication")]
                    .iter()
                    .filter(|(f, _)| p.reads(*f))
                    .map(|(_, s)| *s)
                    .collect();
                let label = t.node.entry("metadata").map_or(t.span(), |e| e.key.span.clone());
                let mut d = Diagnostic::new(format!("the `{}` trigger needs {names}", t.type_str()))
                    .primary(obj.file, label, format!("no {names} here"))
                    .help(format!("set it in {}", places.join(", or in ")));
                if let Some(r) = &t.auth_ref
                    && auth.is_some() && p.reads(From::Auth) {
                        d = d.secondary(obj.file, r.name.span.clone(), "this TriggerAuthentication does not provide it either");
                    }
                cx.report(d);
            }
        }
    }
}
