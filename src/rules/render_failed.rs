use super::{declare_rule, source_rule};

declare_rule! {
    /// ## What it does
    /// Reports a Helm chart or kustomization that could not be rendered: `helm template`,
    /// `helm dependency build`, `kustomize build` or `kubectl kustomize` failed, and the finding
    /// carries the tool's own message. It points at the template and line the tool names when it
    /// names one, else at `Chart.yaml` or `kustomization.yaml`. When a chart fails only for some
    /// values sets of its `charts[].values` matrix, the message says which. Without a kustomize
    /// tool, a kustomization resource that does not exist is reported too, because kustomize
    /// refuses to build it.
    ///
    /// ## Why is this bad?
    /// Argo CD and Flux run the same tools: a chart that does not render does not sync, and
    /// nothing in it was linted. A chart whose dependencies are neither vendored in `charts/`
    /// nor reachable cannot be rendered offline; the finding says so rather than passing quietly.
    ///
    /// ## Example
    /// ```text
    /// templates/so.yaml: {{ .Values.worker.replicas }} with no `worker` in values.yaml
    /// → nil pointer evaluating interface {}.replicas
    /// ```
    ///
    /// Use instead:
    /// ```text
    /// give the value a default ({{ .Values.worker.replicas | default 1 }}), or set it in
    /// values.yaml; vendor dependencies with `helm dependency build` and commit charts/
    /// ```
    ///
    /// ## References
    /// - Helm, `helm template`, https://helm.sh/docs/helm/helm_template/
    /// - Helm, `helm dependency build`, https://helm.sh/docs/helm/helm_dependency_build/
    /// - kustomize, `kustomize build`, https://kubectl.docs.kubernetes.io/references/kustomize/cmd/build/
    pub RenderFailed {
        name: "render-failed",
        category: Correctness,
        kinds: [],
        summary: "a Helm chart or kustomization failed to render",
        since: "0.2.0",
        sources: ["https://helm.sh/docs/helm/helm_template/", "https://kubectl.docs.kubernetes.io/references/kustomize/cmd/build/"],
    }
}
source_rule!(RenderFailed);
