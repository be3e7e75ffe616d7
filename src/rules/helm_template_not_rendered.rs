use super::{declare_rule, source_rule};

declare_rule! {
    /// ## What it does
    /// Reports, once per file, a YAML file that contains Helm template syntax (`{{ ... }}`).
    ///
    /// ## Why is this bad?
    /// A Helm template is not YAML until it is rendered: linting it as YAML gives wrong answers.
    /// kedalint skips the file and says so, so that a clean run never hides unlinted objects.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata:
    ///   name: {{ .Release.Name }}-worker
    /// ```
    ///
    /// Use instead: render the chart (`helm template`) and lint the output, for example
    /// `helm template my-release ./chart | kedalint check -`.
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata:
    ///   name: prod-worker
    /// spec:
    ///   scaleTargetRef: {name: prod-worker}
    ///   triggers:
    ///     - type: cpu
    ///       metricType: Utilization
    ///       metadata: {value: "60"}
    /// ```
    ///
    /// ## References
    /// - Helm, `helm template`, https://helm.sh/docs/helm/helm_template/
    pub HelmTemplateNotRendered {
        name: "helm-template-not-rendered",
        category: Notice,
        kinds: [],
        summary: "a file holds Helm template syntax and was not linted",
        since: "0.1.0",
        sources: ["https://helm.sh/docs/helm/helm_template/"],
    }
}
source_rule!(HelmTemplateNotRendered);
