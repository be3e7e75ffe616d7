//! `kedalint units`: how a repository is read, as text for people and JSON for tools.

use crate::engine::Outcome;
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct ShownUnit<'a> {
    name: &'a str,
    origin: &'static str,
    cluster: &'a str,
    namespace: Option<&'a str>,
    paths: Vec<String>,
    /// `file:line` of the object that declares it.
    declared_at: Option<String>,
    files: usize,
    objects: usize,
}

#[derive(Serialize)]
struct Shown<'a> {
    repository: String,
    /// The units are fallback ones: nothing in the repository declares any.
    fallback: bool,
    units: Vec<ShownUnit<'a>>,
    /// Files with Kubernetes objects that no unit deploys (checked together, as one cluster).
    unassigned: Vec<String>,
}

fn relative(path: &Path, root: &Path) -> String {
    let abs = super::absolute(path);
    abs.strip_prefix(root).map_or_else(|_| path.display().to_string(), |r| r.display().to_string())
}

fn shown(outcome: &Outcome) -> Shown<'_> {
    let plan = &outcome.units;
    let index = &outcome.index;
    let member = |file: usize, unit: usize| plan.membership.get(file).is_some_and(|m| m.contains(&unit));
    let with_objects: std::collections::BTreeSet<usize> = index.objects.iter().map(|o| o.file).collect();
    let units = plan
        .units
        .iter()
        .enumerate()
        .map(|(u, unit)| ShownUnit {
            name: &unit.name,
            origin: unit.origin.name(),
            cluster: &unit.cluster,
            namespace: unit.namespace.as_deref(),
            paths: unit.dirs.iter().map(|d| relative(&d.path, &plan.root)).collect(),
            declared_at: unit.at.as_ref().map(|(f, span)| {
                let file = index.file(*f);
                format!("{}:{}", crate::report::display_path(Path::new(&relative(file.path(), &plan.root))), file.with_text().line_col(span.start).line)
            }),
            files: (0..index.files.len()).filter(|f| member(*f, u)).count(),
            objects: index.objects.iter().filter(|o| member(o.file, u)).count(),
        })
        .collect();
    let unassigned = with_objects
        .iter()
        .filter(|f| plan.membership.get(**f).is_none_or(Vec::is_empty))
        .map(|f| crate::report::display_path(Path::new(&relative(index.file(*f).path(), &plan.root))))
        .collect();
    Shown { repository: plan.root.display().to_string(), fallback: plan.fallback, units, unassigned }
}

pub fn json(outcome: &Outcome) -> String {
    serde_json::to_string_pretty(&shown(outcome)).expect("serializes") + "\n"
}

pub fn text(outcome: &Outcome) -> String {
    let s = shown(outcome);
    let mut out = String::new();
    if s.units.is_empty() {
        out.push_str("no deployment units: every file is checked as one cluster\n");
    } else if s.fallback {
        out.push_str("no Argo CD, Flux or configured units; sibling directories that define the same objects are read as alternatives:\n");
    }
    for u in &s.units {
        out.push_str(&format!("unit {} ({})\n", u.name, u.origin));
        out.push_str(&format!("  cluster:   {}\n", u.cluster));
        out.push_str(&format!("  namespace: {}\n", u.namespace.unwrap_or("(as each manifest says, else default)")));
        out.push_str(&format!("  paths:     {}\n", u.paths.join(", ")));
        if let Some(at) = &u.declared_at {
            out.push_str(&format!("  declared:  {at}\n"));
        }
        out.push_str(&format!("  {} file(s), {} object(s)\n", u.files, u.objects));
    }
    if !s.units.is_empty() && !s.unassigned.is_empty() {
        let how = if s.fallback { "seen with every unit" } else { "checked together" };
        out.push_str(&format!("in no unit ({how}):\n"));
        for f in &s.unassigned {
            out.push_str(&format!("  {f}\n"));
        }
    }
    out
}
