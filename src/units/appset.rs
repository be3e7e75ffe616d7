//! Argo CD ApplicationSets, expanded offline into the Applications they make.
//!
//! What resolves from the repository alone is expanded as Argo CD's ApplicationSet controller
//! does: the git directories generator (`directories[].path` globs over this repository's
//! directories, `exclude: true` entries removed), the list generator, and matrix and merge of
//! those. Each set of parameters fills the template: fasttemplate's `{{path}}`,
//! `{{path.basename}}`, `{{path[1]}}`, `{{cluster}}`, or with `goTemplate: true` Go's
//! `{{.path.path}}`, `{{.path.basename}}`, `{{index .path.segments 1}}`, `{{.cluster}}` (a
//! pipeline after the value, `| lower`, is not applied). A generator that needs Argo CD's
//! cluster list or an API (clusters, SCM providers, pull requests, plugins, cluster decisions)
//! and the git files generator stand for one set of no parameters, and a note says so.

use super::{application_spec, Declared, Origin, UnitNote};
use crate::model::Object;
use crate::source::{FileId, Span};
use crate::yaml::{Node, NodeKind};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Params = BTreeMap<String, String>;

#[derive(Debug, Clone)]
enum Generator {
    /// `(path glob, exclude)` entries.
    GitDirectories(Vec<(String, bool)>),
    List(Vec<Params>),
    Matrix(Vec<Generator>),
    Merge { keys: Vec<String>, generators: Vec<Generator> },
    /// One that needs more than the repository: its kind, and where it is written.
    Unresolved(String, Span),
}

/// An ApplicationSet as read from its object.
#[derive(Debug, Clone)]
pub struct AppSet {
    name: String,
    at: Option<(FileId, Span)>,
    generators: Vec<Generator>,
    template: Node,
    go_template: bool,
}

/// Read an ApplicationSet object (`None` without generators or a template).
pub fn read(obj: &Object, at: Option<(FileId, Span)>) -> Option<AppSet> {
    let spec = obj.spec()?;
    let generators: Vec<Generator> = spec.get("generators")?.as_seq()?.iter().map(generator).collect();
    Some(AppSet {
        name: obj.name().to_owned(),
        at,
        generators,
        template: spec.get("template")?.clone(),
        go_template: spec.get("goTemplate").and_then(Node::text) == Some("true"),
    })
}

/// Flatten a list element's values into `a`, `a.b` keys.
fn flatten(prefix: &str, node: &Node, out: &mut Params) {
    match &node.kind {
        NodeKind::Map(entries) => {
            for e in entries {
                let key = e.key.text().unwrap_or_default();
                let full = if prefix.is_empty() { key.to_owned() } else { format!("{prefix}.{key}") };
                flatten(&full, &e.value, out);
            }
        }
        NodeKind::Scalar(s) => {
            out.insert(prefix.to_owned(), s.text.to_string());
        }
        NodeKind::Seq(_) => {}
    }
}

fn generator(node: &Node) -> Generator {
    let Some((kind, body, key)) = node.as_map().and_then(|m| m.iter().find(|e| e.key.text() != Some("selector"))).map(|e| (e.key.text().unwrap_or_default(), &e.value, e.key.span.clone())) else {
        return Generator::Unresolved("unknown".into(), node.span.clone());
    };
    let inner = || body.get("generators").and_then(Node::as_seq).unwrap_or_default().iter().map(generator).collect();
    match kind {
        "git" if body.get("directories").is_some() => Generator::GitDirectories(
            body.get("directories")
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .filter_map(|d| Some((d.get("path")?.text()?.to_owned(), d.get("exclude").and_then(Node::text) == Some("true"))))
                .collect(),
        ),
        "git" => Generator::Unresolved("git files".into(), key),
        "list" => Generator::List(
            body.get("elements")
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .map(|e| {
                    let mut p = Params::new();
                    flatten("", e, &mut p);
                    p
                })
                .collect(),
        ),
        "matrix" => Generator::Matrix(inner()),
        "merge" => Generator::Merge { keys: body.get("mergeKeys").and_then(Node::as_seq).unwrap_or_default().iter().filter_map(Node::text).map(str::to_owned).collect(), generators: inner() },
        other => Generator::Unresolved(other.to_owned(), key),
    }
}

/// What a git directories generator gives for directory `rel` (repository-relative, `/`-separated).
fn directory_params(rel: &str) -> Params {
    let segments: Vec<&str> = rel.split('/').collect();
    let base = segments.last().copied().unwrap_or_default();
    let normalized: String = base.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c.to_ascii_lowercase() } else { '-' }).collect();
    let mut p = Params::new();
    p.insert("path".into(), rel.to_owned());
    p.insert("path.path".into(), rel.to_owned());
    p.insert("path.basename".into(), base.to_owned());
    p.insert("path.basenameNormalized".into(), normalized);
    for (i, s) in segments.iter().enumerate() {
        p.insert(format!("path[{i}]"), (*s).to_owned());
        p.insert(format!("path.segments[{i}]"), (*s).to_owned());
    }
    p
}

impl AppSet {
    /// The parameter sets of `g` over the repository's directories `rels`, and the generators
    /// that could not be resolved.
    fn params(g: &Generator, rels: &[String], unresolved: &mut BTreeMap<String, Span>) -> Vec<Params> {
        match g {
            Generator::GitDirectories(entries) => {
                let glob = |p: &str| globset::GlobBuilder::new(p.trim_start_matches("./").trim_end_matches('/')).literal_separator(true).build().ok().map(|g| g.compile_matcher());
                let included: Vec<_> = entries.iter().filter(|(_, ex)| !ex).filter_map(|(p, _)| glob(p)).collect();
                let excluded: Vec<_> = entries.iter().filter(|(_, ex)| *ex).filter_map(|(p, _)| glob(p)).collect();
                rels.iter().filter(|r| included.iter().any(|g| g.is_match(r.as_str())) && !excluded.iter().any(|g| g.is_match(r.as_str()))).map(|r| directory_params(r)).collect()
            }
            Generator::List(elements) => elements.clone(),
            Generator::Matrix(gens) => gens.iter().fold(vec![Params::new()], |acc, g| {
                let next = Self::params(g, rels, unresolved);
                acc.iter().flat_map(|a| next.iter().map(move |b| a.iter().chain(b).map(|(k, v)| (k.clone(), v.clone())).collect())).collect()
            }),
            Generator::Merge { keys, generators } => {
                let mut sets = generators.iter().map(|g| Self::params(g, rels, unresolved));
                let mut base = sets.next().unwrap_or_default();
                for other in sets {
                    for b in &mut base {
                        let matching: Vec<&Params> = other.iter().filter(|o| keys.iter().all(|k| o.get(k) == b.get(k))).collect();
                        for o in matching {
                            b.extend(o.iter().map(|(k, v)| (k.clone(), v.clone())));
                        }
                    }
                }
                base
            }
            Generator::Unresolved(kind, span) => {
                unresolved.entry(kind.clone()).or_insert_with(|| span.clone());
                vec![Params::new()]
            }
        }
    }

    /// The Applications this set makes in the repository at `root` (whose directories are
    /// `dirs`), and a note for each generator that needs more than the repository.
    pub fn expand(&self, root: &Path, dirs: &BTreeSet<PathBuf>) -> (Vec<Declared>, Vec<UnitNote>) {
        let rels: Vec<String> = dirs.iter().filter_map(|d| d.strip_prefix(root).ok()).filter(|r| !r.as_os_str().is_empty()).map(|r| r.to_string_lossy().replace('\\', "/")).collect();
        let mut unresolved = BTreeMap::new();
        let sets: Vec<Params> = self.generators.iter().flat_map(|g| Self::params(g, &rels, &mut unresolved)).collect();
        let mut units = Vec::new();
        let mut seen = BTreeSet::new();
        for params in &sets {
            let filled = fill(&self.template, params, self.go_template);
            let name = filled.at(&["metadata", "name"]).and_then(Node::text).unwrap_or(&self.name).to_owned();
            if let Some(spec) = filled.get("spec")
                && let Some(unit) = application_spec(spec, Origin::ApplicationSet, name, self.at.clone())
                && seen.insert((unit.name.clone(), unit.paths.clone()))
            {
                units.push(unit);
            }
        }
        let notes = match &self.at {
            Some((file, _)) => unresolved
                .iter()
                .map(|(kind, span)| UnitNote {
                    file: *file,
                    span: span.clone(),
                    message: format!("the `{kind}` generator of ApplicationSet `{}` needs {}: kedalint read it as one set of no parameters", self.name, needs(kind)),
                    help: "declare the units its Applications make in `.kedalint.yaml` (`units: {declare: [...]}`), with their clusters and namespaces".into(),
                })
                .collect(),
            None => Vec::new(),
        };
        (units, notes)
    }
}

/// What a generator kedalint does not expand needs.
fn needs(kind: &str) -> &'static str {
    match kind {
        "clusters" | "clusterDecisionResource" => "Argo CD's cluster list",
        "git files" => "the parameter files it reads (not expanded yet)",
        _ => "an API",
    }
}

/// The template with every `{{ ... }}` it can resolve from `params` filled in.
fn fill(node: &Node, params: &Params, go: bool) -> Node {
    let kind = match &node.kind {
        NodeKind::Scalar(s) => {
            let mut s = s.clone();
            s.text = substitute(&s.text, params, go).into();
            NodeKind::Scalar(s)
        }
        NodeKind::Map(entries) => NodeKind::Map(entries.iter().map(|e| crate::yaml::Entry { key: e.key.clone(), value: fill(&e.value, params, go) }).collect()),
        NodeKind::Seq(items) => NodeKind::Seq(items.iter().map(|i| fill(i, params, go)).collect()),
    };
    Node { span: node.span.clone(), kind }
}

/// `text` with its `{{ x }}` placeholders replaced where `params` has `x`.
fn substitute(text: &str, params: &Params, go: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}").map(|c| open + c) else { break };
        out.push_str(&rest[..open]);
        let expr = rest[open + 2..close].trim().trim_start_matches('-').trim_end_matches('-').trim();
        let value = lookup(expr, params, go);
        match value {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[open..close + 2]),
        }
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    out
}

fn lookup(expr: &str, params: &Params, go: bool) -> Option<String> {
    let head = expr.split('|').next().unwrap_or_default().trim();
    if go {
        // `index .path.segments 1`
        if let Some(args) = head.strip_prefix("index ") {
            let mut parts = args.split_whitespace();
            let (field, i) = (parts.next()?.trim_start_matches('.'), parts.next()?);
            return params.get(&format!("{field}[{i}]")).cloned();
        }
        return params.get(head.strip_prefix('.')?).cloned();
    }
    params.get(head).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fill_in_both_syntaxes() {
        let p = directory_params("apps/guest_book");
        assert_eq!(substitute("{{path.basename}}-{{ path[0] }}", &p, false), "guest_book-apps");
        assert_eq!(substitute("{{.path.basenameNormalized}}/{{index .path.segments 1}}", &p, true), "guest-book/guest_book");
        assert_eq!(substitute("{{.unknown}} {{path}}", &p, true), "{{.unknown}} {{path}}");
    }
}
