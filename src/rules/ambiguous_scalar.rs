use super::schema_violation::schema_diagnostic;
use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::schema::validate::SchemaErrorKind;
use crate::yaml::{Node, NodeKind, Resolved};

declare_rule! {
    /// ## What it does
    /// Reports a plain (unquoted) YAML scalar that Kubernetes reads differently from how it reads:
    /// `yes`, `no`, `on`, `off`, `y`, `n` are booleans, and `0755` or `0o17` are octal integers,
    /// because Kubernetes decodes manifests as YAML 1.1 (sigs.k8s.io/yaml). Where a string is
    /// required (trigger metadata, names, annotations) the object is rejected; where an integer
    /// is expected (`minReplicaCount: 010`) the value silently changes.
    ///
    /// ## Why is this bad?
    /// `enabled: on` in trigger metadata is rejected by the API server with "must be string", a
    /// surprise to anyone who reads the manifest as YAML 1.2; `maxReplicaCount: 010` means 8.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata:
    ///   name: worker
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - type: rabbitmq
    ///       metadata:
    ///         queueName: jobs
    ///         value: "20"
    ///         unsafeSsl: yes
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata:
    ///   name: worker
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - type: rabbitmq
    ///       metadata:
    ///         queueName: jobs
    ///         value: "20"
    ///         unsafeSsl: "true"
    /// ```
    ///
    /// ## References
    /// - sigs.k8s.io/yaml (go-yaml v2 resolution: YAML 1.1 booleans and octal)
    /// - YAML 1.1 boolean type, https://yaml.org/type/bool.html
    pub AmbiguousScalar {
        name: "ambiguous-scalar",
        category: Correctness,
        kinds: [ScaledObject, ScaledJob, TriggerAuthentication, ClusterTriggerAuthentication],
        summary: "an unquoted value means something else to Kubernetes than it seems to",
        since: "0.1.0",
        sources: ["https://yaml.org/type/bool.html", "https://yaml.org/type/int.html"],
    }
}

fn octal_diagnostic(obj: &Object, node: &Node, text: &str, value: i64) -> Diagnostic {
    Diagnostic::new(format!("`{text}` is read by Kubernetes as the integer `{value}`"))
        .primary(obj.file, node.span.clone(), format!("YAML 1.1 reads this as {value}"))
        .help(format!("write `{}` without the prefix or leading zero if you meant decimal", text.trim_start_matches('0').trim_start_matches('o')))
}

/// Integers written with a leading zero or `0o`, anywhere in the object.
fn find_octal<'a>(node: &'a Node, out: &mut Vec<(&'a Node, i64)>) {
    match &node.kind {
        NodeKind::Map(entries) => entries.iter().for_each(|e| find_octal(&e.value, out)),
        NodeKind::Seq(items) => items.iter().for_each(|n| find_octal(n, out)),
        NodeKind::Scalar(s) => {
            let t = s.text.trim_start_matches(['+', '-']);
            if s.is_plain() && t.len() > 1 && t.starts_with('0') && !t.starts_with("0x") && !t.starts_with("0b")
                && let Resolved::Int(v) = s.resolve() {
                    out.push((node, v));
                }
        }
    }
}

impl Rule for AmbiguousScalar {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let errors = &cx.index.schema_errors[obj.id];
        for e in errors {
            if matches!(e.kind, SchemaErrorKind::Ambiguous { .. }) {
                cx.report(schema_diagnostic(obj, e));
            }
        }
        let mut octal = Vec::new();
        find_octal(&obj.node, &mut octal);
        for (node, value) in octal {
            // Already reported above when the position requires a string.
            if errors.iter().any(|e| e.span == node.span) {
                continue;
            }
            cx.report(octal_diagnostic(obj, node, node.text().unwrap_or_default(), value));
        }
    }
}
