use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Checks `spec.oauth2` (KEDA 2.20): `type` must be `clientCredentials`, `clientId` and
    /// `tokenUrl` are required, and `tokenUrl` must be an absolute `http` or `https` URL. The
    /// checks run even when `podIdentity` is `gcp`, `aws-eks` or `none`, where KEDA's webhook
    /// skips them by accident and the object then fails at runtime.
    ///
    /// ## Why is this bad?
    /// KEDA rejects the object (`oauth2.tokenUrl must be a valid http or https URL`), or cannot
    /// fetch a token at runtime.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: TriggerAuthentication
    /// metadata: {name: api}
    /// spec:
    ///   oauth2:
    ///     type: clientCredentials
    ///     clientId: keda
    ///     tokenUrl: auth.example.com/token
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: TriggerAuthentication
    /// metadata: {name: api}
    /// spec:
    ///   oauth2:
    ///     type: clientCredentials
    ///     clientId: keda
    ///     tokenUrl: https://auth.example.com/token
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/triggerauthentication_webhook.go `validateSpec` (kedacore/keda#7454)
    pub InvalidOauth2 {
        name: "invalid-oauth2",
        category: Correctness,
        kinds: [TriggerAuthentication, ClusterTriggerAuthentication],
        summary: "an `oauth2` block that KEDA rejects or cannot use",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/triggerauthentication_webhook.go: validateSpec"],
    }
}

/// Go's url.Parse plus KEDA's checks: a scheme of http/https and a host.
fn valid_token_url(u: &str) -> bool {
    let Some((scheme, rest)) = u.split_once("://") else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    matches!(scheme, "http" | "https") && !host.is_empty() && !u.contains(char::is_whitespace)
}

impl Rule for InvalidOauth2 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ta: &Object, cx: &mut RuleContext<'_>) {
        let Some(entry) = ta.spec().and_then(|s| s.entry("oauth2")) else { return };
        let o = &entry.value;
        if o.as_map().is_none() {
            return;
        }
        let text = |k: &str| o.get(k).and_then(Node::text).unwrap_or("");
        if let Some(t) = o.get("type").filter(|t| t.text() != Some("clientCredentials")) {
            cx.report(Diagnostic::new(format!("`oauth2.type` must be `clientCredentials`, found `{}`", t.text().unwrap_or(""))).primary(ta.file, t.span.clone(), "unsupported grant type").help("use `type: clientCredentials`"));
        }
        for key in ["clientId", "tokenUrl"] {
            if text(key).is_empty() {
                cx.report(Diagnostic::new(format!("`oauth2.{key}` is required")).primary(ta.file, o.get(key).map_or(entry.key.span.clone(), |n| n.span.clone()), "missing or empty").help(format!("set `oauth2.{key}`")));
            }
        }
        if let Some(u) = o.get("tokenUrl").filter(|u| u.text().is_some_and(|t| !t.is_empty() && !valid_token_url(t))) {
            cx.report(Diagnostic::new("`oauth2.tokenUrl` must be an absolute http or https URL").primary(ta.file, u.span.clone(), "not an http(s) URL with a host").help("write the full URL, e.g. `https://auth.example.com/oauth/token`"));
        }
    }
}
