//! Flux: `Kustomization` (kustomize.toolkit.fluxcd.io) and `HelmRelease` (helm.toolkit.fluxcd.io)
//! objects as units, and the clusters they deploy to.
//!
//! A Flux Kustomization applies everything below `spec.path` of its source (Flux builds a
//! kustomization of every manifest there when the directory has none), in `targetNamespace`
//! when set. A HelmRelease whose chart is a path of a GitRepository installs that chart, into
//! `targetNamespace` or its own namespace. Neither names a cluster: a Flux object deploys to the
//! cluster that applies the file defining it. Flux's bootstrap layout makes that findable: each
//! cluster has a directory (`clusters/production`) that a Kustomization defined inside it syncs
//! (`flux-system`, path `./clusters/production`), so that Kustomization is the cluster's root,
//! named after its directory, and every Flux object reached from it belongs to that cluster.

use super::{Declared, Origin, PathSpec, Unit};
use crate::model::Object;
use crate::source::{FileId, Span};
use crate::yaml::Node;
use std::path::{Path, PathBuf};

fn text(n: Option<&Node>) -> Option<&str> {
    n.and_then(Node::text).filter(|s| !s.is_empty())
}

/// A Flux Kustomization's unit: `spec.path` (the source's root when empty), recursively.
pub fn kustomization(obj: &Object, at: Option<(FileId, Span)>) -> Option<Declared> {
    let spec = obj.spec()?;
    let path = text(spec.get("path")).unwrap_or("./").to_owned();
    let source = spec.get("sourceRef");
    let artifact = (text(source.and_then(|s| s.get("kind"))) == Some("ExternalArtifact")).then(|| text(source.and_then(|s| s.get("name"))).unwrap_or_default().to_owned());
    Some(Declared {
        artifact,
        origin: Origin::FluxKustomization,
        name: obj.name().to_owned(),
        cluster: None,
        namespace: text(spec.get("targetNamespace")).map(str::to_owned),
        paths: vec![PathSpec { path, recurse: true, include: None, exclude: None, repo_url: None }],
        at,
    })
}

/// A HelmRelease's unit, when its chart is a path in a GitRepository (a chart from a Helm
/// repository is not in this repository).
pub fn helm_release(obj: &Object, at: Option<(FileId, Span)>) -> Option<Declared> {
    let spec = obj.spec()?;
    let chart = spec.at(&["chart", "spec"])?;
    let from_git = text(chart.at(&["sourceRef", "kind"])) == Some("GitRepository");
    let path = text(chart.get("chart")).filter(|c| from_git && (c.starts_with('.') || c.contains('/')))?;
    let namespace = text(spec.get("targetNamespace")).map(str::to_owned).or_else(|| (!obj.namespace_defaulted).then(|| obj.namespace.to_string()));
    Some(Declared {
        origin: Origin::HelmRelease,
        name: obj.name().to_owned(),
        cluster: None,
        namespace,
        paths: vec![PathSpec { path: path.to_owned(), recurse: false, include: None, exclude: None, repo_url: None }],
        at,
        artifact: None,
    })
}

/// A Flux ArtifactGenerator (source.extensions.fluxcd.io): for each artifact it generates, the
/// repository paths it copies and where they land in the artifact.
#[derive(Debug, Clone)]
pub struct Artifacts {
    /// The file that defines it (its cluster is the one that deploys that file).
    pub file: FileId,
    /// Artifact name → (repository prefix, artifact prefix) of each `copy`.
    pub copies: Vec<(String, Vec<(String, String)>)>,
}

/// `@monorepo/apps/base/**` → `apps/base`; `@artifact/base/` → `base`.
fn copy_prefix(spec: &str) -> String {
    let rest = spec.strip_prefix('@').and_then(|s| s.split_once('/')).map_or("", |(_, r)| r);
    rest.trim_end_matches("**").trim_end_matches('*').trim_matches('/').to_owned()
}

pub fn artifacts(obj: &Object) -> Option<Artifacts> {
    let list = obj.spec()?.get("artifacts")?.as_seq()?;
    let copies = list
        .iter()
        .filter_map(|a| {
            let name = text(a.get("name"))?.to_owned();
            let copy = a.get("copy").and_then(Node::as_seq).unwrap_or_default().iter().filter_map(|c| Some((copy_prefix(text(c.get("from"))?), copy_prefix(text(c.get("to"))?)))).collect();
            Some((name, copy))
        })
        .collect();
    Some(Artifacts { file: obj.file, copies })
}

/// The Kustomization `d` of an ExternalArtifact with its path in the repository, by the
/// ArtifactGenerator deployed to the same cluster as `d` (`None` while that cluster is unknown).
pub fn map_artifact(d: &Declared, generators: &[Artifacts], units: &[Unit], file_paths: &[PathBuf]) -> Option<Declared> {
    let name = d.artifact.as_deref()?;
    let file = d.at.as_ref().and_then(|(f, _)| file_paths.get(*f)).map(|p| super::absolute(p))?;
    let cluster_of = |file: &Path| units.iter().filter(|u| !u.cluster.is_empty()).find(|u| u.dirs.iter().any(|dir| dir.holds_file(file))).map(|u| u.cluster.clone());
    let cluster = cluster_of(&file)?;
    let generator = generators.iter().find(|g| {
        file_paths.get(g.file).map(|p| super::absolute(p)).is_some_and(|f| cluster_of(&f).as_deref() == Some(cluster.as_str())) && g.copies.iter().any(|(n, _)| n == name)
    })?;
    let copies = &generator.copies.iter().find(|(n, _)| n == name)?.1;
    let mut mapped = d.clone();
    mapped.artifact = None;
    mapped.cluster = Some(cluster);
    for p in &mut mapped.paths {
        let path = p.path.trim_start_matches("./").trim_end_matches('/');
        let (from, to) = copies.iter().find(|(_, to)| to.is_empty() || path == to || path.starts_with(&format!("{to}/")))?;
        let rest = path.strip_prefix(to.as_str()).unwrap_or(path).trim_start_matches('/');
        p.path = [from.as_str(), rest].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("/");
    }
    Some(mapped)
}

/// Flux's bootstrap layout when the repository holds only its placeholders: a directory with a
/// `flux-system/gotk-sync.yaml` or `flux-system/gotk-components.yaml` (which `flux bootstrap`
/// writes, and which syncs the directory that holds `flux-system`) is a cluster of its own,
/// unless a Kustomization in `declared` already deploys it. `dirs` are the linted directories.
pub fn bootstrap_roots(root: &Path, dirs: &std::collections::BTreeSet<PathBuf>, declared: &[Declared]) -> Vec<Declared> {
    let mut out: Vec<Declared> = Vec::new();
    for cluster_dir in dirs {
        let flux_system = cluster_dir.join("flux-system");
        if !["gotk-sync.yaml", "gotk-components.yaml"].iter().any(|f| flux_system.join(f).is_file()) {
            continue;
        }
        let Ok(rel) = cluster_dir.strip_prefix(root) else { continue };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let known = |d: &Declared| d.paths.iter().any(|p| p.path.trim_start_matches("./").trim_end_matches('/') == rel);
        if declared.iter().any(known) {
            continue;
        }
        let cluster = cluster_dir.file_name().map_or_else(|| "flux".to_owned(), |n| n.to_string_lossy().into_owned());
        out.push(Declared {
            origin: Origin::FluxKustomization,
            name: "flux-system".into(),
            cluster: Some(cluster),
            namespace: None,
            paths: vec![PathSpec { path: rel, recurse: true, include: None, exclude: None, repo_url: None }],
            at: None,
            artifact: None,
        });
    }
    out
}

/// Give the Flux units (no cluster yet) theirs: a bootstrap root (a Kustomization whose
/// directory holds its own definition) is the cluster named after its directory; a unit defined
/// in a file that another unit deploys is in that unit's cluster; what nothing reaches is in a
/// cluster named after the directory of the file that defines it.
pub fn assign_clusters(units: &mut [Unit], file_paths: &[PathBuf]) {
    let defined_in = |u: &Unit| u.at.as_ref().and_then(|(f, _)| file_paths.get(*f)).map(|p| super::absolute(p));
    let holds = |u: &Unit, file: &Path| u.dirs.iter().any(|d| d.holds_file(file));
    for i in 0..units.len() {
        let root = units[i].cluster.is_empty() && units[i].origin == Origin::FluxKustomization && defined_in(&units[i]).is_some_and(|f| holds(&units[i], &f));
        if root {
            units[i].cluster = units[i].dirs[0].path.file_name().map_or_else(|| "flux".to_owned(), |n| n.to_string_lossy().into_owned());
        }
    }
    // Reach the rest from the roots; each round settles at least one unit or ends.
    loop {
        let mut changed = false;
        for i in 0..units.len() {
            if !units[i].cluster.is_empty() {
                continue;
            }
            let Some(file) = defined_in(&units[i]) else { continue };
            if let Some(cluster) = units.iter().filter(|o| !o.cluster.is_empty()).find(|o| holds(o, &file)).map(|o| o.cluster.clone()) {
                units[i].cluster = cluster;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// The Flux units nothing reaches: in a cluster named after the directory of the file that
/// defines them (after every round of [`assign_clusters`]).
pub fn name_unreached(units: &mut [Unit], file_paths: &[PathBuf]) {
    for u in units.iter_mut().filter(|u| u.cluster.is_empty()) {
        let file = u.at.as_ref().and_then(|(f, _)| file_paths.get(*f)).map(|p| super::absolute(p));
        let dir = file.and_then(|f| f.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned()));
        u.cluster = format!("flux {}", dir.unwrap_or_default());
    }
}
