//! Deployment units: which manifests land together in one cluster, and in which namespace.
//!
//! A GitOps repository is not one cluster. It deploys the same apps to several clusters and
//! namespaces through Argo CD Applications and ApplicationSets or Flux Kustomizations and
//! HelmReleases, each of which names a directory of this repository, a cluster and a default
//! namespace. Those objects are read from the linted files themselves (plain or rendered: an
//! app-of-apps chart's Applications count), offline, and each becomes a *unit*:
//!
//! - Argo CD `Application`: every `source.path` / `sources[].path` (a directory, a kustomization
//!   or a chart), with `directory.recurse`, `include` and `exclude`; the cluster is
//!   `destination.name` or `destination.server`, the namespace `destination.namespace`.
//! - Argo CD `ApplicationSet`: its git directories and list generators, and matrix / merge of
//!   them, expanded into the Applications its template makes ([`appset`]); other generators need
//!   a cluster or an API, and are said to be so.
//! - Flux `Kustomization` (`spec.path`, `spec.targetNamespace`) and `HelmRelease` with a chart in
//!   this repository; the cluster is the one whose bootstrap Kustomization (`clusters/<name>`,
//!   syncing its own directory) reaches the file that defines them ([`flux`]).
//! - `.kedalint.yaml` `units:`, which declares units or overrides discovered ones by name.
//! - Where nothing declares units, sibling directories that define the same object are read as
//!   alternatives (units of their own, see [`fallback`]), not as one cluster with duplicates.
//!
//! The engine then checks the objects of each cluster together, an object without
//! `metadata.namespace` taking the namespace of its unit; objects in no unit are checked together
//! as before. Paths are matched against the linted tree (repository root: the git work tree of
//! the first linted path, else that path); a `repoURL` cannot be known offline, so a path that
//! exists is taken as this repository's, unless `units.repo-urls` lists this repository's URLs.

pub mod appset;
pub mod fallback;
pub mod flux;
pub mod show;
pub mod worlds;

use crate::config::UnitsConfig;
use crate::model::Object;
use crate::source::{FileId, Span};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// Where a unit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    Application,
    ApplicationSet,
    FluxKustomization,
    HelmRelease,
    Config,
    Fallback,
}

impl Origin {
    pub fn name(self) -> &'static str {
        match self {
            Origin::Application => "Application",
            Origin::ApplicationSet => "ApplicationSet",
            Origin::FluxKustomization => "Flux Kustomization",
            Origin::HelmRelease => "Flux HelmRelease",
            Origin::Config => "config",
            Origin::Fallback => "fallback",
        }
    }
}

/// A directory a unit deploys, as declared: repository-relative.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PathSpec {
    pub path: String,
    /// Files in subdirectories too (Argo CD's `directory.recurse`; always for Flux, which builds
    /// a kustomization of every manifest below its path).
    pub recurse: bool,
    /// Argo CD's `directory.include` / `exclude` globs, matched against the path below `path`.
    pub include: Option<String>,
    pub exclude: Option<String>,
    /// The source's `repoURL`, when it has one.
    pub repo_url: Option<String>,
}

/// A unit as an object or the configuration declares it, before it is found in the tree.
#[derive(Debug, Clone)]
pub struct Declared {
    pub origin: Origin,
    pub name: String,
    /// `None` for Flux objects: their cluster is the one that deploys the file defining them.
    pub cluster: Option<String>,
    pub namespace: Option<String>,
    pub paths: Vec<PathSpec>,
    /// The declaring object's file and the span of its name.
    pub at: Option<(FileId, Span)>,
    /// A Flux Kustomization of an `ExternalArtifact`: its paths are the artifact's, mapped to the
    /// repository by the ArtifactGenerator of its cluster (see [`flux::Artifacts`]).
    pub artifact: Option<String>,
}

/// A finding about the units themselves (an ApplicationSet generator that needs a cluster).
#[derive(Debug, Clone)]
pub struct UnitNote {
    pub file: FileId,
    pub span: Span,
    pub message: String,
    pub help: String,
}

/// What one object says about units: Argo CD and Flux objects declare them.
#[derive(Debug, Clone)]
pub enum Declaration {
    Unit(Declared),
    AppSet(appset::AppSet),
    /// A Flux ArtifactGenerator: which repository paths its artifacts hold.
    Artifacts(flux::Artifacts),
}

/// The units `obj` declares (nothing for most objects).
pub fn declared_by(obj: &Object) -> Vec<Declaration> {
    let span = obj.name.as_ref().map_or(obj.node.span.start..obj.node.span.start, |n| n.span.clone());
    let at = Some((obj.file, span));
    match (obj.group(), obj.kind_str()) {
        ("argoproj.io", "Application") => application(obj, at).into_iter().map(Declaration::Unit).collect(),
        ("argoproj.io", "ApplicationSet") => appset::read(obj, at).into_iter().map(Declaration::AppSet).collect(),
        ("kustomize.toolkit.fluxcd.io", "Kustomization") => flux::kustomization(obj, at).into_iter().map(Declaration::Unit).collect(),
        ("helm.toolkit.fluxcd.io", "HelmRelease") => flux::helm_release(obj, at).into_iter().map(Declaration::Unit).collect(),
        ("source.extensions.fluxcd.io", "ArtifactGenerator") => flux::artifacts(obj).into_iter().map(Declaration::Artifacts).collect(),
        _ => Vec::new(),
    }
}

/// Argo CD's names for the cluster it runs in: `in-cluster` is `https://kubernetes.default.svc`.
pub fn cluster_name(name: Option<&str>, server: Option<&str>) -> String {
    match (name, server) {
        (Some(n), _) if !n.is_empty() => n.to_owned(),
        (_, Some("https://kubernetes.default.svc" | "https://kubernetes.default.svc/")) => "in-cluster".to_owned(),
        (_, Some(s)) if !s.is_empty() => s.to_owned(),
        _ => "in-cluster".to_owned(),
    }
}

/// An Application's unit, from its spec (or an ApplicationSet template's `spec`).
pub fn application_spec(spec: &crate::yaml::Node, origin: Origin, name: String, at: Option<(FileId, Span)>) -> Option<Declared> {
    use crate::yaml::Node;
    let text = |n: Option<&Node>| n.and_then(Node::text).map(str::to_owned).filter(|s| !s.is_empty());
    let mut sources: Vec<&Node> = spec.get("source").into_iter().collect();
    sources.extend(spec.get("sources").and_then(Node::as_seq).unwrap_or_default());
    let paths: Vec<PathSpec> = sources
        .iter()
        .filter_map(|s| {
            let path = text(s.get("path"))?;
            let dir = s.get("directory");
            Some(PathSpec {
                path,
                recurse: dir.and_then(|d| d.get("recurse")).and_then(Node::text) == Some("true"),
                include: text(dir.and_then(|d| d.get("include"))),
                exclude: text(dir.and_then(|d| d.get("exclude"))),
                repo_url: text(s.get("repoURL")),
            })
        })
        .collect();
    if paths.is_empty() {
        return None;
    }
    let dest = spec.get("destination");
    let cluster = cluster_name(dest.and_then(|d| d.get("name")).and_then(Node::text), dest.and_then(|d| d.get("server")).and_then(Node::text));
    Some(Declared { origin, name, cluster: Some(cluster), namespace: text(dest.and_then(|d| d.get("namespace"))), paths, at, artifact: None })
}

fn application(obj: &Object, at: Option<(FileId, Span)>) -> Option<Declared> {
    application_spec(obj.spec()?, Origin::Application, obj.name().to_owned(), at)
}

/// `a/./b/../c` → `a/c`, lexically (paths may not exist).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A path as an absolute, lexically normal one (for comparing paths the walk and the
/// declarations spell differently).
pub fn absolute(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    normalize(&cwd.join(path))
}

/// The repository a run lints: the git work tree holding `start`, else `start` itself (its
/// directory, for a file).
pub fn repository_root(start: &Path) -> PathBuf {
    let start = absolute(start);
    let dir = if start.is_dir() { start.clone() } else { start.parent().map_or(start.clone(), Path::to_owned) };
    dir.ancestors().find(|d| d.join(".git").exists()).map_or(dir.clone(), Path::to_owned)
}

/// A unit found in the tree.
#[derive(Debug, Clone)]
pub struct Unit {
    pub origin: Origin,
    pub name: String,
    pub cluster: String,
    pub namespace: Option<String>,
    /// Absolute directories with their rules.
    pub dirs: Vec<Dir>,
    pub at: Option<(FileId, Span)>,
}

#[derive(Debug, Clone)]
pub struct Dir {
    pub path: PathBuf,
    pub recurse: bool,
    include: Option<globset::GlobMatcher>,
    exclude: Option<globset::GlobMatcher>,
    /// Subdirectories that are not part of it (nested fallback units).
    pub except: Vec<PathBuf>,
}

impl Dir {
    pub(crate) fn new(path: PathBuf, spec: &PathSpec) -> Dir {
        let glob = |g: &Option<String>| g.as_ref().and_then(|g| globset::GlobBuilder::new(g).literal_separator(false).build().ok()).map(|g| g.compile_matcher());
        Dir { path, recurse: spec.recurse, include: glob(&spec.include), exclude: glob(&spec.exclude), except: Vec::new() }
    }

    /// Whether the file at absolute `path` is deployed from this directory.
    pub fn holds_file(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.path) else { return false };
        if self.except.iter().any(|e| path.starts_with(e)) {
            return false;
        }
        let direct = rel.components().count() == 1;
        (self.recurse || direct)
            && self.include.as_ref().is_none_or(|g| g.is_match(rel) || rel.file_name().is_some_and(|n| g.is_match(n)))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(rel) || rel.file_name().is_some_and(|n| g.is_match(n)))
    }

    /// Whether a rendered source rooted at absolute `root` (a chart or kustomization) is this
    /// directory's: the directory itself, or one below it when recursing.
    pub fn holds_root(&self, root: &Path) -> bool {
        (root == self.path || (self.recurse && root.starts_with(&self.path))) && !self.except.iter().any(|e| root.starts_with(e))
    }
}

/// How the repository is read: its units and where they come from.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub root: PathBuf,
    pub units: Vec<Unit>,
    pub notes: Vec<UnitNote>,
    /// The units are fallback ones (nothing declared any): files in no unit are seen with each.
    pub fallback: bool,
    /// The units of each linted file, by file id (filled in by the engine, which knows which
    /// files are renders of which chart or kustomization).
    pub membership: Vec<Vec<usize>>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The units of each linted file: `files[f]` is the path of file `f` as the walk spelled it,
    /// and `render_roots[f]` the chart or kustomization it is a render of. A file can only be in
    /// a unit whose directory holds it, so each file looks up its own ancestors in a map of the
    /// units' directories: the cost follows files x depth, not files x units.
    pub fn membership(&self, files: &[&Path], render_roots: &[Option<&Path>]) -> Vec<Vec<usize>> {
        let mut by_dir: std::collections::HashMap<&Path, Vec<(usize, &Dir)>> = std::collections::HashMap::new();
        for (u, unit) in self.units.iter().enumerate() {
            for d in &unit.dirs {
                by_dir.entry(d.path.as_path()).or_default().push((u, d));
            }
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        files
            .iter()
            .zip(render_roots)
            .map(|(path, root)| {
                let abs = normalize(&cwd.join(root.unwrap_or(path)));
                let mut units: Vec<usize> = abs
                    .ancestors()
                    .filter_map(|a| by_dir.get(a))
                    .flatten()
                    .filter(|(_, d)| if root.is_some() { d.holds_root(&abs) } else { d.holds_file(&abs) })
                    .map(|(u, _)| *u)
                    .collect();
                units.sort_unstable();
                units.dedup();
                units
            })
            .collect()
    }

    /// The clusters, in order.
    pub fn clusters(&self) -> Vec<&str> {
        let set: BTreeSet<&str> = self.units.iter().map(|u| u.cluster.as_str()).collect();
        set.into_iter().collect()
    }
}

/// Resolve the declarations against the linted tree at `root` whose directories are `dirs`
/// (absolute), with the configuration's units and repository URLs. `file_paths[f]` is the path
/// of file `f` (for the Flux objects' clusters).
pub fn plan(root: &Path, declarations: Vec<Declaration>, dirs: &BTreeSet<PathBuf>, file_paths: &[PathBuf], config: &UnitsConfig) -> Plan {
    let mut declared = Vec::new();
    let mut notes = Vec::new();
    let mut artifacts = Vec::new();
    for d in declarations {
        match d {
            Declaration::Unit(u) => declared.push(u),
            Declaration::AppSet(set) => {
                let (units, set_notes) = set.expand(root, dirs);
                declared.extend(units);
                notes.extend(set_notes);
            }
            Declaration::Artifacts(a) => artifacts.push(a),
        }
    }
    let roots = flux::bootstrap_roots(root, dirs, &declared);
    declared.extend(roots);
    // The configuration declares units, and overrides discovered ones with the same name.
    for c in &config.declare {
        let paths: Vec<PathSpec> = c.paths.iter().map(|p| PathSpec { path: p.clone(), recurse: true, include: None, exclude: None, repo_url: None }).collect();
        match declared.iter_mut().find(|d| d.name == c.name) {
            Some(found) => {
                found.origin = Origin::Config;
                if !paths.is_empty() {
                    found.paths = paths;
                    found.artifact = None;
                }
                found.cluster = c.cluster.clone().or(found.cluster.take());
                found.namespace = c.namespace.clone().or(found.namespace.take());
            }
            None => declared.push(Declared { origin: Origin::Config, name: c.name.clone(), cluster: c.cluster.clone(), namespace: c.namespace.clone(), paths, at: None, artifact: None }),
        }
    }
    let ours = |spec: &PathSpec| match (&spec.repo_url, config.repo_urls.is_empty()) {
        (Some(url), false) => config.repo_urls.iter().any(|u| same_repo(u, url)),
        _ => true,
    };
    let resolve = |d: &Declared| -> Option<Unit> {
        let found: Vec<Dir> = d
            .paths
            .iter()
            .filter(|p| ours(p))
            .filter_map(|p| {
                let abs = normalize(&root.join(p.path.trim_start_matches("./")));
                (dirs.contains(&abs) || abs.is_dir()).then(|| Dir::new(abs, p))
            })
            .collect();
        (!found.is_empty()).then(|| Unit { origin: d.origin, name: d.name.clone(), cluster: d.cluster.clone().unwrap_or_default(), namespace: d.namespace.clone(), dirs: found, at: d.at.clone() })
    };
    let (mut waiting, direct): (Vec<Declared>, Vec<Declared>) = declared.into_iter().partition(|d| d.artifact.is_some());
    let mut units: Vec<Unit> = direct.iter().filter_map(resolve).collect();
    flux::assign_clusters(&mut units, file_paths);
    // Kustomizations of Flux artifacts, once the cluster that holds them is known, through the
    // ArtifactGenerator of that cluster; each round may place more.
    loop {
        let before = waiting.len();
        waiting.retain(|d| {
            let Some(mapped) = flux::map_artifact(d, &artifacts, &units, file_paths) else { return true };
            if let Some(unit) = resolve(&mapped) {
                units.push(unit);
            }
            false
        });
        flux::assign_clusters(&mut units, file_paths);
        if waiting.len() == before {
            break;
        }
    }
    flux::name_unreached(&mut units, file_paths);
    units.sort_by(|a, b| (&a.cluster, &a.name, a.origin).cmp(&(&b.cluster, &b.name, b.origin)));
    Plan { root: root.to_owned(), units, notes, fallback: false, membership: Vec::new() }
}

/// Whether two repository URLs name one repository (`.git`, a trailing `/` and the scheme aside).
fn same_repo(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim().trim_end_matches('/').trim_end_matches(".git");
        let s = s.split_once("://").map_or(s, |(_, rest)| rest);
        let s = s.strip_prefix("git@").map_or(s.to_owned(), |r| r.replacen(':', "/", 1));
        s.to_ascii_lowercase()
    };
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_urls_compare_by_repository() {
        assert!(same_repo("https://github.com/org/repo.git", "git@github.com:org/repo"));
        assert!(same_repo("https://github.com/Org/Repo/", "ssh://github.com/org/repo.git"));
        assert!(!same_repo("https://github.com/org/repo", "https://github.com/org/other"));
    }

    #[test]
    fn directories_hold_their_files_as_argo_cd_reads_them() {
        let spec = |recurse, include: Option<&str>, exclude: Option<&str>| PathSpec { path: "apps".into(), recurse, include: include.map(Into::into), exclude: exclude.map(Into::into), repo_url: None };
        let d = Dir::new(PathBuf::from("/r/apps"), &spec(false, None, None));
        assert!(d.holds_file(Path::new("/r/apps/a.yaml")) && !d.holds_file(Path::new("/r/apps/sub/b.yaml")) && !d.holds_file(Path::new("/r/other/a.yaml")));
        let d = Dir::new(PathBuf::from("/r/apps"), &spec(true, Some("*.yaml"), Some("*secret*")));
        assert!(d.holds_file(Path::new("/r/apps/sub/b.yaml")) && !d.holds_file(Path::new("/r/apps/sub/b.json")) && !d.holds_file(Path::new("/r/apps/my-secret.yaml")));
        assert!(d.holds_root(Path::new("/r/apps/chart")));
    }
}
