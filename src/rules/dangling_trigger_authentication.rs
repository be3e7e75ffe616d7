use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::{Kind, Object, ObjectKey};

declare_rule! {
    /// ## What it does
    /// Says that a trigger's `authenticationRef` names a TriggerAuthentication (in the object's
    /// namespace) or ClusterTriggerAuthentication that is not in the linted files, when the
    /// repository holds no other authentication of that kind there: it probably lives elsewhere.
    /// When it does hold others, `unknown-trigger-authentication` reports a likely typo instead.
    ///
    /// ## Why is this bad?
    /// KEDA admits the ScaledObject, then fails to build its scalers while the authentication
    /// is missing (`error resolving auth params`), and the ScaledObject is not ready.
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
    ///       metadata: {queueName: q, mode: QueueLength, value: "5"}
    ///       authenticationRef: {name: rabbitmq-auth}
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
    /// - kedacore/keda v2.20.2 pkg/scaling/resolver/scale_resolvers.go `ResolveAuthRefAndPodIdentity`
    pub DanglingTriggerAuthentication {
        name: "dangling-trigger-authentication",
        category: Notice,
        kinds: [ScaledObject, ScaledJob],
        summary: "an `authenticationRef` names an authentication that is not in the linted files",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scaling/resolver/scale_resolvers.go: ResolveAuthRefAndPodIdentity"],
    }
}

declare_rule! {
    /// ## What it does
    /// Reports a trigger's `authenticationRef` that names a TriggerAuthentication or
    /// ClusterTriggerAuthentication that does not exist, when the repository defines others of
    /// that kind in the same namespace: most likely a misspelling (the help names the closest).
    ///
    /// ## Why is this bad?
    /// KEDA admits the ScaledObject, then fails to resolve the authentication on every poll and
    /// the ScaledObject is not ready.
    ///
    /// ## Example
    /// ```yaml,fail
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
    ///       authenticationRef: {name: rabbitmq-auht}
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
    /// - kedacore/keda v2.20.2 pkg/scaling/resolver/scale_resolvers.go `ResolveAuthRefAndPodIdentity`
    pub UnknownTriggerAuthentication {
        name: "unknown-trigger-authentication",
        category: Suspicious,
        kinds: [ScaledObject, ScaledJob],
        summary: "an `authenticationRef` names an authentication that does not exist beside others",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scaling/resolver/scale_resolvers.go: ResolveAuthRefAndPodIdentity"],
    }
}

/// The authentications a reference could have meant (same kind, same namespace for namespaced).
fn candidates<'a>(cx: &RuleContext<'a>, obj: &Object, cluster: bool) -> Vec<&'a str> {
    let (ns, kind) = if cluster { ("", Kind::ClusterTriggerAuthentication) } else { (obj.namespace.as_str(), Kind::TriggerAuthentication) };
    let index = cx.index;
    let mut names: Vec<&'a str> = if cluster {
        index.of_kind(kind).map(|o| o.name()).collect()
    } else {
        index.in_namespace(ns, kind).map(|o| o.name()).collect()
    };
    names.dedup();
    names
}

/// Shared by both rules: `Some(candidates)` for each reference that resolves to nothing.
fn missing_refs<'a>(obj: &'a Object, cx: &RuleContext<'a>) -> Vec<(crate::model::views::AuthRef<'a>, Vec<&'a str>)> {
    let mut out = Vec::new();
    for t in obj.triggers() {
        let Some(r) = t.auth_ref else { continue };
        let cluster = r.kind == "ClusterTriggerAuthentication";
        let key = ObjectKey { group: "keda.sh".into(), kind: r.kind.into(), namespace: if cluster { "" } else { obj.namespace.as_str() }.into(), name: r.name.value.into() };
        if cx.index.get(&key).is_none() {
            out.push((r, candidates(cx, obj, cluster)));
        }
    }
    out
}

impl Rule for DanglingTriggerAuthentication {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        for (r, others) in missing_refs(obj, cx) {
            if others.is_empty() {
                cx.report(
                    Diagnostic::new(format!("referenced {} `{}` is not in the linted files", r.kind, r.name.value))
                        .primary(obj.file, r.name.span.clone(), "defined elsewhere?")
                        .help("lint it together with this object, or make sure it exists in the cluster before this object is applied"),
                );
            }
        }
    }
}

impl Rule for UnknownTriggerAuthentication {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        for (r, others) in missing_refs(obj, cx) {
            if others.is_empty() {
                continue;
            }
            let where_ = if r.kind == "ClusterTriggerAuthentication" { String::new() } else { format!(" in namespace `{}`", obj.namespace) };
            let help = match crate::schema::validate::did_you_mean(r.name.value, others.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("defined{where_}: {}", others.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")),
            };
            cx.report(
                Diagnostic::new(format!("no {} `{}`{where_}", r.kind, r.name.value))
                    .primary(obj.file, r.name.span.clone(), "unknown authentication")
                    .help(help),
            );
        }
    }
}
