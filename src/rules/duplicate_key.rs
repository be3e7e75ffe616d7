use super::{declare_rule, source_rule};

declare_rule! {
    /// ## What it does
    /// Reports a mapping that has the same key twice.
    ///
    /// ## Why is this bad?
    /// Kubernetes decodes manifests strictly on `kubectl apply --validate=strict` (the default) and
    /// rejects the object with `duplicate field`. Lenient decoders keep the last value silently, so
    /// the first one, which reviewers may have read, has no effect.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata:
    ///   name: worker
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   minReplicaCount: 1
    ///   minReplicaCount: 2
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
    ///   minReplicaCount: 2
    ///   triggers:
    ///     - type: cpu
    ///       metricType: Utilization
    ///       metadata: {value: "60"}
    /// ```
    ///
    /// ## References
    /// - sigs.k8s.io/yaml `UnmarshalStrict`; Kubernetes field validation, https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
    pub DuplicateKey {
        name: "duplicate-key",
        category: Correctness,
        kinds: [],
        summary: "a mapping defines the same key twice",
        since: "0.1.0",
        sources: ["https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation"],
    }
}
source_rule!(DuplicateKey);
