//! kustomize: directories with a `kustomization.yaml`, rendered with `kustomize build` or
//! `kubectl kustomize`.
//!
//! Only top-level kustomizations are rendered: one that another kustomization uses as a base
//! shows up through its overlays, and the files a kustomization uses (resources, patches) are not
//! linted again on their own, so nothing is reported twice. Overlays that share a base are
//! variants of one group: they are alternatives (dev, prod), not objects that coexist.
//!
//! kustomize writes no source comments, so rendered objects are matched back to the documents
//! they came from by kind and name (allowing a `namePrefix`/`nameSuffix`), and only when exactly
//! one source document fits; patches that touch the object are searched for the finding's line
//! first, because that is where an overlay changes things.

use super::{group_by_shared, run_tool, Attribution, Origin, RenderNote, Rendered, Rendering, Variant};
use crate::yaml::Node;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

const FILE_NAMES: [&str; 2] = ["kustomization.yaml", "kustomization.yml"];

/// Kustomization directories among the discovered files.
pub fn find(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> =
        files.iter().filter(|f| f.file_name().is_some_and(|n| FILE_NAMES.iter().any(|k| n == *k))).filter_map(|f| f.parent().map(Path::to_owned)).collect();
    out.sort();
    out.dedup();
    out
}

/// The kustomization file of a kustomization directory.
pub fn file_of(root: &Path) -> PathBuf {
    FILE_NAMES.iter().map(|n| root.join(n)).find(|p| p.is_file()).unwrap_or_else(|| root.join(FILE_NAMES[0]))
}

/// `a/b/../c` → `a/c`, without touching the file system (the paths may be relative).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some_and(|n| n != "..") => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// What one kustomization directory uses, transitively.
#[derive(Debug, Default, Clone)]
pub struct Uses {
    /// Resource files (objects that come out of the render).
    pub resources: BTreeSet<PathBuf>,
    /// Patch files.
    pub patches: BTreeSet<PathBuf>,
    /// Kustomization directories used as bases or components.
    pub bases: BTreeSet<PathBuf>,
    /// Every file read, kustomization files included.
    pub files: BTreeSet<PathBuf>,
    /// Local resources that do not exist: (kustomization file, 1-based line and column, as written).
    pub missing: Vec<(PathBuf, (usize, usize), String)>,
}

#[derive(Debug, Default)]
pub struct Plan {
    /// Kustomizations no other one uses: the ones to render.
    pub top: Vec<PathBuf>,
    pub uses: Vec<Uses>,
    /// Files some kustomization reads: not linted on their own when rendering runs.
    pub consumed: BTreeSet<PathBuf>,
    /// Resources named by some kustomization that do not exist (see [`Uses::missing`]).
    pub missing: Vec<(PathBuf, (usize, usize), String)>,
}

fn is_remote(s: &str) -> bool {
    s.contains("://") || s.starts_with("github.com/") || s.starts_with("git@") || s.contains("?ref=")
}

fn strings(n: Option<&Node>) -> Vec<String> {
    n.and_then(|n| n.as_seq()).unwrap_or_default().iter().filter_map(|i| i.text().map(str::to_owned)).collect()
}

fn collect(dir: &Path, uses: &mut Uses, seen: &mut BTreeSet<PathBuf>) {
    let dir = normalize(dir);
    if !seen.insert(dir.clone()) {
        return;
    }
    let file = normalize(&file_of(&dir));
    let text = crate::files::read_regular_text(&file, crate::config::DEFAULT_MAX_FILE_SIZE).unwrap_or_default();
    uses.files.insert(file.clone());
    let Some(root) = crate::yaml::load(&text).documents.into_iter().find_map(|d| d.root) else { return };
    let local = |s: &str| (!is_remote(s)).then(|| normalize(&dir.join(s)));
    let source = crate::source::SourceFile::new(file.clone(), text.as_str());
    for key in ["resources", "bases", "components"] {
        for node in root.get(key).and_then(|n| n.as_seq()).unwrap_or_default() {
            let Some(r) = node.text().and_then(local) else { continue };
            if !r.exists() {
                let lc = source.line_col(node.span.start);
                uses.missing.push((file.clone(), (lc.line as usize, lc.column as usize), node.text().unwrap_or_default().to_owned()));
            } else if r.is_dir() {
                uses.bases.insert(r.clone());
                collect(&r, uses, seen);
            } else {
                // kustomize reads only files inside the kustomization's directory (its default
                // load restrictor); kedalint reads no other to attribute findings.
                if crate::files::contained(&r, &dir).is_ok() {
                    uses.resources.insert(r.clone());
                }
                uses.files.insert(r);
            }
        }
    }
    let mut patch_files = strings(root.get("patchesStrategicMerge"));
    for key in ["patches", "patchesJson6902"] {
        for p in root.get(key).and_then(|n| n.as_seq()).unwrap_or_default() {
            if let Some(path) = p.get("path").and_then(|n| n.text()) {
                patch_files.push(path.to_owned());
            }
        }
    }
    for p in patch_files.iter().filter_map(|s| local(s)) {
        if crate::files::contained(&p, &dir).is_ok() {
            uses.patches.insert(p.clone());
        }
        uses.files.insert(p);
    }
    for c in strings(root.get("crds")).iter().filter_map(|s| local(s)) {
        uses.files.insert(c);
    }
}

/// Which kustomizations to render, and which files they use.
pub fn plan(roots: &[&PathBuf]) -> Plan {
    let all: Vec<(PathBuf, Uses)> = roots
        .iter()
        .map(|r| {
            let mut u = Uses::default();
            collect(r, &mut u, &mut BTreeSet::new());
            (normalize(r), u)
        })
        .collect();
    let used_as_base: BTreeSet<&PathBuf> = all.iter().flat_map(|(_, u)| u.bases.iter()).collect();
    let mut plan = Plan::default();
    for (root, uses) in &all {
        plan.consumed.extend(uses.files.iter().cloned());
        for m in &uses.missing {
            if !plan.missing.contains(m) {
                plan.missing.push(m.clone());
            }
        }
        if !used_as_base.contains(root) {
            plan.top.push(root.clone());
            plan.uses.push(uses.clone());
        }
    }
    plan
}

/// The program that renders kustomizations.
#[derive(Debug, Clone)]
pub enum Tool {
    Kustomize(PathBuf),
    Kubectl(PathBuf),
}

impl Tool {
    /// `--kustomize PATH`, else `kustomize` on PATH, else `kubectl` (which embeds kustomize).
    pub fn find(explicit: Option<&Path>) -> Option<Tool> {
        if let Some(p) = explicit {
            return Some(Tool::Kustomize(p.to_owned()));
        }
        super::which("kustomize").map(Tool::Kustomize).or_else(|| super::which("kubectl").map(Tool::Kubectl))
    }

    fn command(&self, dir: &Path) -> Command {
        match self {
            Tool::Kustomize(p) => {
                let mut c = Command::new(p);
                c.arg("build").arg(dir);
                c
            }
            Tool::Kubectl(p) => {
                let mut c = Command::new(p);
                c.arg("kustomize").arg(dir);
                c
            }
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Tool::Kustomize(_) => "kustomize build",
            Tool::Kubectl(_) => "kubectl kustomize",
        }
    }
}

/// A document in a file a kustomization reads, by kind and name.
#[derive(Debug, Clone)]
struct SourceDoc {
    kind: String,
    name: String,
    path: PathBuf,
    range: std::ops::Range<usize>,
    patch: bool,
}

/// The documents a rendered kustomization came from.
#[derive(Debug, Clone, Default)]
pub struct SourceDocs(Vec<SourceDoc>);

impl SourceDocs {
    fn read(uses: &Uses, max: u64) -> SourceDocs {
        let mut docs = Vec::new();
        for (files, patch) in [(&uses.resources, false), (&uses.patches, true)] {
            for path in files {
                let text = crate::files::read_regular_text(path, max).unwrap_or_default();
                for d in crate::yaml::load(&text).documents {
                    let Some(root) = d.root else { continue };
                    let (Some(kind), Some(name)) = (root.get("kind").and_then(|k| k.text()), root.at(&["metadata", "name"]).and_then(|n| n.text())) else { continue };
                    docs.push(SourceDoc { kind: kind.to_owned(), name: name.to_owned(), path: path.clone(), range: d.span.clone(), patch });
                }
            }
        }
        SourceDocs(docs)
    }

    /// The one source document a rendered `kind`/`name` came from (exact name first, else the
    /// longest source name the rendered one contains), with the patches that target it.
    pub fn origin(&self, kind: &str, name: &str) -> Option<Origin> {
        let fits = |d: &&SourceDoc| d.kind == kind && (d.name == name || name.contains(&d.name));
        let sources: Vec<&SourceDoc> = self.0.iter().filter(|d| !d.patch).filter(fits).collect();
        let best = sources.iter().map(|d| if d.name == name { usize::MAX } else { d.name.len() }).max()?;
        let mut winners = sources.iter().filter(|d| (if d.name == name { usize::MAX } else { d.name.len() }) == best);
        let source = winners.next()?;
        if winners.next().is_some() {
            return None;
        }
        let patches = self.0.iter().filter(|d| d.patch).filter(fits).map(|d| (d.path.clone(), d.range.clone())).collect();
        Some(Origin { path: source.path.clone(), range: Some(source.range.clone()), patches, within: None })
    }
}

/// Render every top-level kustomization with `tool`.
pub fn render_all(tool: &Tool, plan: &Plan, max: u64, next_group: &mut usize, out: &mut Rendering) {
    let shared: Vec<BTreeSet<PathBuf>> = plan.uses.iter().map(|u| u.bases.iter().chain(&u.resources).cloned().collect()).collect();
    let groups = group_by_shared(&shared);
    let mut group_ids = std::collections::BTreeMap::new();
    for g in &groups {
        let len = group_ids.len();
        group_ids.entry(*g).or_insert_with(|| *next_group + len);
    }
    *next_group += group_ids.len();
    let results: Vec<Result<Rendered, RenderNote>> = plan
        .top
        .par_iter()
        .zip(plan.uses.par_iter())
        .enumerate()
        .map(|(i, (root, uses))| {
            let members: Vec<usize> = (0..groups.len()).filter(|j| groups[*j] == groups[i]).collect();
            let variant = Variant {
                group: group_ids[&groups[i]],
                index: members.iter().position(|j| *j == i).unwrap_or(0),
                of: members.len(),
                label: format!("overlay {}", root.display()),
            };
            match run_tool(&mut tool.command(root), max) {
                Ok(text) => Ok(Rendered {
                    path: PathBuf::from(format!("{} [{}]", root.display(), tool.name())),
                    text,
                    root: root.clone(),
                    default_namespace: None,
                    attribution: Attribution::ByIdentity(SourceDocs::read(uses, max)),
                    variant,
                }),
                Err(msg) => Err(RenderNote {
                    rule: "render-failed",
                    path: file_of(root),
                    at: None,
                    label: "rendering failed",
                    message: format!("`{}` failed for `{}`: {}", tool.name(), root.display(), msg.lines().next().unwrap_or("").trim_start_matches("error: ")),
                    help: Some(format!("run `{} {}` to see the same error, and fix the kustomization", tool.name(), root.display())),
                    note: (msg.lines().count() > 1).then(|| msg.clone()),
                }),
            }
        })
        .collect();
    for r in results {
        match r {
            Ok(rendered) => out.rendered.push(rendered),
            Err(n) => out.notes.push(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_parent_components_lexically() {
        assert_eq!(normalize(Path::new("a/overlays/prod/../../base/x.yaml")), PathBuf::from("a/base/x.yaml"));
        assert_eq!(normalize(Path::new("../base")), PathBuf::from("../base"));
        assert_eq!(normalize(Path::new("./a/./b")), PathBuf::from("a/b"));
    }

    #[test]
    fn origins_need_one_fitting_source() {
        let doc = |kind: &str, name: &str, path: &str, patch| SourceDoc { kind: kind.into(), name: name.into(), path: path.into(), range: 0..1, patch };
        let docs = SourceDocs(vec![
            doc("Deployment", "web", "base/d.yaml", false),
            doc("ScaledObject", "web", "base/so.yaml", false),
            doc("ScaledObject", "web", "prod/patch.yaml", true),
            doc("Deployment", "api", "base/a.yaml", false),
            doc("Deployment", "api", "base/b.yaml", false),
        ]);
        let o = docs.origin("ScaledObject", "prod-web").unwrap();
        assert_eq!(o.path, PathBuf::from("base/so.yaml"));
        assert_eq!(o.patches.len(), 1);
        assert!(docs.origin("Deployment", "api").is_none(), "two sources fit: ambiguous");
        assert!(docs.origin("Service", "web").is_none());
    }
}
