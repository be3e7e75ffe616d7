use super::{declare_rule, source_rule};

declare_rule! {
    /// ## What it does
    /// Reports a file that is not valid YAML, or a document that kedalint refuses to expand:
    /// nesting deeper than 200 levels, or aliases that expand to more than 100,000 nodes.
    ///
    /// ## Why is this bad?
    /// `kubectl apply`, Argo CD and Flux cannot read the file, so nothing in it reaches the
    /// cluster. The finding points at the exact position where the parser stopped; documents
    /// before it in the same file are still linted.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata:
    ///   name: worker
    /// spec:
    ///   scaleTargetRef: {name: worker
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
    ///     - type: cpu
    ///       metricType: Utilization
    ///       metadata: {value: "60"}
    /// ```
    ///
    /// ## References
    /// - YAML 1.2.2 specification, https://yaml.org/spec/1.2.2/
    pub InvalidYaml {
        name: "invalid-yaml",
        category: Correctness,
        kinds: [],
        summary: "the file is not valid YAML, or nests or expands beyond safe bounds",
        since: "0.1.0",
        sources: ["https://yaml.org/spec/1.2.2/"],
    }
}
source_rule!(InvalidYaml);
