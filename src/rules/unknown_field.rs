use super::schema_violation::schema_diagnostic;
use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::model::Object;
use crate::schema::validate::SchemaErrorKind;

declare_rule! {
    /// ## What it does
    /// Reports a field that KEDA's schema does not have, at its key, with the closest known field
    /// ("did you mean `minReplicaCount`?"). Also covers fields copied from one kind to another,
    /// such as `cooldownPeriod` or `schedule` on a ScaledJob.
    ///
    /// ## Why is this bad?
    /// `kubectl apply` (strict field validation, the default since Kubernetes 1.27) rejects the
    /// object; server-side apply without strict validation and most GitOps tools prune the field
    /// silently, so the setting the author meant never takes effect.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata:
    ///   name: worker
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   minReplicas: 1
    ///   triggers:
    ///     - type: cpu
    ///       metricType: Utilization
    ///       metadata: {value: "60"}
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
    ///   minReplicaCount: 1
    ///   triggers:
    ///     - type: cpu
    ///       metricType: Utilization
    ///       metadata: {value: "60"}
    /// ```
    ///
    /// ## Known problems
    /// Fields under `metadata` are checked against ObjectMeta's field list, which kedalint keeps
    /// itself (CRDs do not describe metadata).
    ///
    /// ## References
    /// - Kubernetes field validation and pruning, https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning
    /// - kedacore/keda v2.20.2 config/crd/bases/
    pub UnknownField {
        name: "unknown-field",
        category: Correctness,
        kinds: [ScaledObject, ScaledJob, TriggerAuthentication, ClusterTriggerAuthentication],
        summary: "a KEDA object sets a field that its kind does not have",
        since: "0.1.0",
        sources: ["https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning"],
    }
}

impl Rule for UnknownField {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        for e in &cx.index.schema_errors[obj.id] {
            if matches!(e.kind, SchemaErrorKind::UnknownField { .. }) {
                cx.report(schema_diagnostic(obj, e));
            }
        }
    }
}
