use super::{declare_rule, source_rule};

declare_rule! {
    /// ## What it does
    /// Notes a Helm chart or kustomization that was not rendered, because the tool is not
    /// installed (`helm`; `kustomize` or `kubectl`) or rendering is off (`--no-render`).
    ///
    /// ## Why is this bad?
    /// It is not wrong, but it is not checked: a chart's templates are not YAML until rendered,
    /// so they are not linted at all; a kustomization's resources are linted as plain files,
    /// without the patches, name prefixes and namespace the overlay applies. The note keeps a
    /// clean run from hiding that.
    ///
    /// ## Example
    /// ```text
    /// charts/app/Chart.yaml on a machine without helm
    /// ```
    ///
    /// Use instead:
    /// ```text
    /// install helm (or pass --helm PATH) and kubectl, or turn this note off in .kedalint.yaml
    /// ```
    ///
    /// ## References
    /// - Helm, installing, https://helm.sh/docs/intro/install/
    pub RenderSkipped {
        name: "render-skipped",
        category: Notice,
        kinds: [],
        summary: "a Helm chart or kustomization was not rendered",
        since: "0.2.0",
        sources: ["https://helm.sh/docs/intro/install/"],
    }
}
source_rule!(RenderSkipped);
