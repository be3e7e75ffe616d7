//! Rendering: Helm charts and kustomize overlays become manifests before anything is linted.
//!
//! GitOps repositories keep most objects in charts and overlays, which are not the YAML that
//! reaches the cluster. Rather than imitate Helm's template engine or kustomize's patching, this
//! module runs the real tools (`helm template`, `kustomize build` / `kubectl kustomize`) and hands
//! their output to the engine as *rendered sources*: virtual files that are parsed, indexed and
//! checked like any other, so cross-object rules see rendered and plain objects together.
//!
//! Each rendered source carries how to point back at what the user wrote ([`Attribution`]); the
//! engine moves findings there (see [`origin`]). Several renders of one chart (a values matrix) or
//! several overlays of one base are *variants*: alternatives, not objects that coexist. The engine
//! checks each variant against the plain files separately and says when a finding only shows up
//! in some variants.
//!
//! Failures never stop a run: a tool that fails becomes a `render-failed` finding with the tool's
//! own message; a tool that is missing (or `--no-render`) becomes a `render-skipped` note.

pub mod helm;
pub mod kustomize;
pub mod origin;

use crate::config::Config;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What the command line says about rendering.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// `--no-render`.
    pub disabled: bool,
    /// `--helm PATH`; else `helm` on PATH.
    pub helm: Option<PathBuf>,
    /// `--kustomize PATH` (a `kustomize` binary); else `kustomize`, then `kubectl kustomize`, on PATH.
    pub kustomize: Option<PathBuf>,
    /// `--release NAME` for every chart without one in the configuration.
    pub release: Option<String>,
    /// `--namespace NS` for every chart without one in the configuration.
    pub namespace: Option<String>,
    /// `--values FILE` (repeatable): added to every values set of every chart.
    pub values: Vec<PathBuf>,
    /// `--set K=V` (repeatable): added to every render of every chart.
    pub set: Vec<String>,
    /// `--keda-values FILE` (repeatable): values files for the KEDA chart, read as such.
    pub keda_values: Vec<PathBuf>,
}

/// How a rendered source's objects map back to the files the user wrote.
#[derive(Debug, Clone)]
pub enum Attribution {
    /// Helm: `# Source: <chart>/templates/<file>` heads each document. (offset of the comment,
    /// the template's path on disk), in text order; the paths must stay inside `chart`.
    SourceComments { chart: PathBuf, comments: Vec<(usize, PathBuf)> },
    /// kustomize: objects are matched to source documents by kind and name.
    ByIdentity(kustomize::SourceDocs),
}

/// Where one rendered object came from: a file and, when known, its document's byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub path: PathBuf,
    pub range: Option<std::ops::Range<usize>>,
    /// Other places that shaped the object (kustomize patches), searched for the exact line too.
    pub patches: Vec<(PathBuf, std::ops::Range<usize>)>,
    /// The directory `path` must resolve inside, when input named it (a chart's `# Source:`
    /// comment): kedalint never opens what a chart points at outside itself (see crate::files).
    pub within: Option<PathBuf>,
}

/// One successful render, ready to be parsed.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// A display path for the rendered text (it exists nowhere on disk), e.g.
    /// `charts/app (helm template -f prod.yaml)`.
    pub path: PathBuf,
    pub text: String,
    /// The chart or kustomization directory rendered (a deployment unit deploys it by this path).
    pub root: PathBuf,
    /// The namespace objects without one land in (Helm's `--namespace`).
    pub default_namespace: Option<String>,
    pub attribution: Attribution,
    pub variant: Variant,
}

/// Which alternative of which group a render is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub group: usize,
    pub index: usize,
    /// How many variants the group has.
    pub of: usize,
    /// For people: `-f values-prod.yaml`, `overlays/prod`.
    pub label: String,
}

/// A finding the rendering step makes itself (a tool failed, or was not run).
#[derive(Debug, Clone)]
pub struct RenderNote {
    pub rule: &'static str,
    /// The file the finding is about (Chart.yaml, kustomization.yaml, or the failing template).
    pub path: PathBuf,
    /// 1-based line and column in `path`, when the tool named one.
    pub at: Option<(usize, usize)>,
    /// The label under the primary span.
    pub label: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub note: Option<String>,
}

/// What to lint after rendering.
#[derive(Debug, Default)]
pub struct Rendering {
    /// Files to lint as they are.
    pub plain: Vec<PathBuf>,
    pub rendered: Vec<Rendered>,
    pub notes: Vec<RenderNote>,
    /// Files to read as KEDA chart values (`--keda-values`, umbrella charts' values.yaml).
    pub keda_values: Vec<(PathBuf, crate::engine::KedaValuesInput)>,
    /// The repository the linted paths are in, when they are files on disk: the paths of
    /// deployment units resolve against it (see [`crate::units`]). `None`: no units.
    pub repository: Option<PathBuf>,
}

/// Split the discovered files into charts, kustomizations and plain files, and render.
pub fn render(files: Vec<PathBuf>, config: &Config, opts: &RenderOptions) -> Rendering {
    let charts = helm::find_charts(&files);
    let kustomizations = kustomize::find(&files);
    let mut out = Rendering::default();
    let mut consumed: BTreeSet<PathBuf> = BTreeSet::new();
    let mut next_group = 0;

    let chart_roots: Vec<&Path> = charts.iter().map(PathBuf::as_path).collect();
    for root in &charts {
        consumed.extend(files.iter().filter(|f| f.starts_with(root)).cloned());
    }
    helm::render_all(&charts, config, opts, &mut next_group, &mut out);

    let kustomize_tool = if opts.disabled { None } else { kustomize::Tool::find(opts.kustomize.as_deref()) };
    let outside_charts: Vec<&PathBuf> = kustomizations.iter().filter(|k| !chart_roots.iter().any(|c| k.starts_with(c))).collect();
    let plan = kustomize::plan(&outside_charts);
    match &kustomize_tool {
        Some(tool) => {
            consumed.extend(plan.consumed.iter().cloned());
            kustomize::render_all(tool, &plan, config.max_file_size, &mut next_group, &mut out);
        }
        None => {
            // Without the tool, say what it would have refused: a resource that is not there.
            for (file, at, resource) in &plan.missing {
                out.notes.push(RenderNote {
                    rule: "render-failed",
                    path: file.clone(),
                    at: Some(*at),
                    label: "no such file",
                    message: format!("kustomization resource `{resource}` does not exist"),
                    help: Some("fix the path, or remove the entry; kustomize refuses to build a kustomization with a missing resource".into()),
                    note: None,
                });
            }
            for root in &plan.top {
                let why = if opts.disabled { "rendering is off (`--no-render`)" } else { "neither `kustomize` nor `kubectl` is on PATH" };
                out.notes.push(RenderNote {
                    rule: "render-skipped",
                    path: kustomize::file_of(root),
                    at: None,
                    label: "not rendered",
                    message: format!("kustomization `{}` was not rendered: {why}", root.display()),
                    help: Some(if opts.disabled { "drop `--no-render` to lint the rendered overlay".into() } else { "install kubectl (which includes kustomize) or pass `--kustomize PATH`".into() }),
                    note: Some("its resource files are linted as plain YAML, without the kustomization's patches, prefixes and namespace".into()),
                });
            }
        }
    }
    // Umbrella charts that depend on `keda`: their values.yaml holds the install's values.
    for root in &charts {
        if let Some(key) = helm::keda_dependency_key(root) {
            let values = root.join("values.yaml");
            if values.is_file() {
                consumed.remove(&values);
                let how = format!("`{key}:` values of chart `{}`, which depends on keda", root.display());
                out.keda_values.push((values, crate::engine::KedaValuesInput { subtree: Some(key), how }));
            }
        }
    }
    let mut plain: Vec<PathBuf> = files.into_iter().filter(|f| !consumed.contains(f) && !consumed.contains(&kustomize::normalize(f))).collect();
    for v in &opts.keda_values {
        // The file may also have been walked (`check . --keda-values values.yaml`, where the walk
        // found `./values.yaml`): one input, read as KEDA values, so each finding comes once.
        let real = std::fs::canonicalize(v).ok();
        let same = |p: &PathBuf| p == v || (p.file_name() == v.file_name() && real.is_some() && std::fs::canonicalize(p).ok() == real);
        let path = match plain.iter().find(|p| same(p)) {
            Some(walked) => walked.clone(),
            None => {
                plain.push(v.clone());
                v.clone()
            }
        };
        out.keda_values.push((path, crate::engine::KedaValuesInput { subtree: None, how: "values file named by `--keda-values`".into() }));
    }
    out.plain = plain;
    out
}

/// The first executable called `name` on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// Run a command and return stdout, or the tool's own message (stderr, else stdout) on failure.
/// Output over `max` bytes (a template can print without end) stops the tool and is a failure:
/// a render is read like a file, within the size limit.
pub(crate) fn run_tool(cmd: &mut std::process::Command, max: u64) -> Result<String, String> {
    use std::process::Stdio;
    let program = cmd.get_program().to_string_lossy().into_owned();
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().map_err(|e| format!("could not run `{program}`: {e}"))?;
    let stderr = child.stderr.take().map(|e| std::thread::spawn(move || crate::files::read_limited(e, 1 << 20, 0).unwrap_or_default()));
    let stdout = child.stdout.take().map(|o| crate::files::read_limited(o, max, 0));
    if let Some(Err(why)) = &stdout {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!("the output of `{program}` is too large: {why}"));
    }
    let status = child.wait().map_err(|e| format!("could not run `{program}`: {e}"))?;
    let stdout = stdout.and_then(Result::ok).unwrap_or_default();
    let stderr = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
    if status.success() {
        return String::from_utf8(stdout).map_err(|_| "the tool's output is not UTF-8".to_owned());
    }
    let stderr = String::from_utf8_lossy(&stderr);
    let msg = if stderr.trim().is_empty() { String::from_utf8_lossy(&stdout).into_owned() } else { stderr.into_owned() };
    Err(msg.trim().to_owned())
}

/// Union-find over groups of roots that share something (overlays sharing a base).
pub(crate) fn group_by_shared<K: Ord + Clone>(members: &[BTreeSet<K>]) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..members.len()).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while p[r] != r {
            r = p[r];
        }
        p[i] = r;
        r
    }
    let mut owner: BTreeMap<K, usize> = BTreeMap::new();
    for (i, set) in members.iter().enumerate() {
        for k in set {
            match owner.get(k) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    parent[a.max(b)] = a.min(b);
                }
                None => {
                    owner.insert(k.clone(), i);
                }
            }
        }
    }
    (0..members.len()).map(|i| find(&mut parent, i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_join_members_that_share() {
        let sets: Vec<BTreeSet<&str>> = vec![["a", "b"].into(), ["c"].into(), ["b", "d"].into(), ["d"].into(), [].into()];
        assert_eq!(group_by_shared(&sets), vec![0, 1, 0, 0, 4]);
    }
}
