use super::{declare_rule, source_rule};

declare_rule! {
    /// ## What it does
    /// Reports a suppression that suppresses nothing: a `# kedalint: ignore[rule]` comment, an
    /// `ignore-file` comment or a `kedalint.io/ignore` annotation whose rule did not fire where it
    /// applies, or that names a rule that does not exist.
    ///
    /// ## Why is this bad?
    /// Stale suppressions hide future findings of the same rule and mislead readers about what
    /// is wrong with the object.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata:
    ///   name: worker
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   # kedalint: ignore[min-replicas-above-max] fixed long ago
    ///   minReplicaCount: 1
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
    /// Whether a suppression is used does not depend on which rules are enabled: the rules that
    /// suppressions name run even when the configuration turns them off, only to decide this
    /// (their findings are not reported). So a stale `ignore[x]` is reported even with `x` off,
    /// as ruff's `unused-noqa` reports directives for rules that are not enabled.
    ///
    /// ## References
    /// - ruff `unused-noqa` (RUF100), the model for this rule
    pub UnusedSuppression {
        name: "unused-suppression",
        category: Suspicious,
        kinds: [],
        summary: "a suppression comment or annotation suppresses nothing",
        since: "0.1.0",
        sources: ["https://docs.astral.sh/ruff/rules/unused-noqa/"],
    }
}
source_rule!(UnusedSuppression);
