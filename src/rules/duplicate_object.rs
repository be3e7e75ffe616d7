use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports an object whose kind, namespace and name are already defined by another object in
    /// the repository. The later definition is reported; the first is shown as a secondary label.
    ///
    /// ## Why is this bad?
    /// Only one object can exist under a name: whichever is applied last silently replaces the
    /// other, and Argo CD reports the application as out of sync forever ("shared resource").
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: TriggerAuthentication
    /// metadata:
    ///   name: rabbitmq-auth
    /// spec:
    ///   secretTargetRef:
    ///     - {parameter: host, name: rabbitmq, key: url}
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: TriggerAuthentication
    /// metadata:
    ///   name: rabbitmq-auth
    /// spec:
    ///   secretTargetRef:
    ///     - {parameter: host, name: rabbitmq-v2, key: url}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: TriggerAuthentication
    /// metadata:
    ///   name: rabbitmq-auth
    /// spec:
    ///   secretTargetRef:
    ///     - {parameter: host, name: rabbitmq-v2, key: url}
    /// ```
    ///
    /// ## Known problems
    /// Objects without `metadata.namespace` are placed in `default-namespace` from the
    /// configuration. Repositories that keep one folder per cluster define the same object once
    /// per cluster: lint each cluster's folder on its own, or exclude the others.
    ///
    /// ## References
    /// - Kubernetes object names, https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
    pub DuplicateObject {
        name: "duplicate-object",
        category: Correctness,
        kinds: [ScaledObject, ScaledJob, TriggerAuthentication, ClusterTriggerAuthentication, Workload, HorizontalPodAutoscaler, PodDisruptionBudget, Secret, LimitRange, Other],
        summary: "the same kind, namespace and name is defined twice",
        since: "0.1.0",
        sources: ["https://kubernetes.io/docs/concepts/overview/working-with-objects/names/"],
    }
}

fn duplicate_object_diagnostic(obj: &Object, first: &Object, name_span: std::ops::Range<usize>) -> Diagnostic {
    let where_ = if obj.is_cluster_scoped() { String::new() } else { format!(" in namespace `{}`", obj.namespace) };
    Diagnostic::new(format!("the {} `{}` is defined more than once{where_}", obj.kind_str(), obj.name()))
        .primary(obj.file, name_span, "defined again here")
        .secondary(first.file, first.head_span(), "first defined here")
        .help("keep one definition; if both are meant for different clusters, lint each cluster's folder separately")
}

impl Rule for DuplicateObject {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let Some(name) = &obj.name else { return };
        let first = cx.index.first_with_same_key(obj.id);
        if first != obj.id {
            cx.report(duplicate_object_diagnostic(obj, cx.index.object(first), name.span.clone()));
        }
    }
}
