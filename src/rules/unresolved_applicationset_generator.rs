use super::{declare_rule, source_rule};

declare_rule! {
    /// ## What it does
    /// Notes an Argo CD ApplicationSet generator that kedalint cannot expand from the repository
    /// alone: the clusters generator (Argo CD's cluster list), SCM provider, pull request,
    /// cluster decision resource and plugin generators (an API), and the git files generator.
    /// kedalint expands the set as if that generator gave one set of no parameters, and says so.
    ///
    /// ## Why is this bad?
    /// The ApplicationSet's Applications decide which directories of the repository land in
    /// which cluster and namespace (see "GitOps repositories" in the README). What kedalint
    /// cannot expand, it cannot split into deployment units: the directories those Applications
    /// deploy may be checked together, or in no unit, and a placeholder such as `{{name}}` may
    /// stand for a cluster's name.
    ///
    /// ## Example
    /// In a repository (units are read from files on disk, not from stdin):
    /// ```yaml
    /// apiVersion: argoproj.io/v1alpha1
    /// kind: ApplicationSet
    /// metadata: {name: workers, namespace: argocd}
    /// spec:
    ///   generators:
    ///     - clusters: {selector: {matchLabels: {env: prod}}}
    ///   template:
    ///     metadata: {name: '{{name}}-workers'}
    ///     spec:
    ///       project: default
    ///       source: {repoURL: https://github.com/org/gitops.git, path: workers}
    ///       destination: {server: '{{server}}', namespace: jobs}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// # .kedalint.yaml: say which clusters the set deploys to
    /// units:
    ///   declare:
    ///     - {name: workers-prod, cluster: prod, namespace: jobs, paths: [workers]}
    /// ```
    ///
    /// ## References
    /// - Argo CD, ApplicationSet generators, https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators/
    pub UnresolvedApplicationsetGenerator {
        name: "unresolved-applicationset-generator",
        category: Notice,
        kinds: [],
        summary: "an ApplicationSet generator needs Argo CD's cluster list or an API",
        since: "0.3.0",
        sources: ["https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators/"],
    }
}
source_rule!(UnresolvedApplicationsetGenerator);
