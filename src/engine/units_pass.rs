//! The engine's passes for deployment units (see [`crate::units`]): the plan of a repository
//! from its Argo CD and Flux objects (else fallback alternatives), and the rules run once per
//! cluster, each over its own objects and files, with the findings merged back.

use super::RenderedMeta;
use crate::diagnostic::Diagnostic;
use crate::index::{Analysis, RepoIndex};
use crate::model::Object;
use crate::config::Config;
use crate::source::{FileId, SourceFile, Span};
use std::collections::HashMap;
use std::path::PathBuf;

/// The deployment units of the repository at `root` (see [`crate::units`]): declared by its Argo
/// CD and Flux objects and the configuration, else the fallback units of sibling directories.
pub(super) fn plan_units(root: &std::path::Path, declarations: Vec<crate::units::Declaration>, files: &[SourceFile], objects: &[Object], analyses: &[Analysis], metas: &[Option<RenderedMeta>], config: &Config) -> crate::units::Plan {
    let plain = |f: FileId| metas.get(f).is_none_or(Option::is_none);
    let file_paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    // The directories holding linted files, and theirs up to the repository's root. Files come
    // in path order, so a directory's files are neighbours: each directory is resolved once.
    let mut dirs = std::collections::BTreeSet::new();
    let mut last: Option<&std::path::Path> = None;
    for f in files.iter().enumerate().filter(|(id, _)| plain(*id)).map(|(_, f)| f) {
        let parent = f.path.parent();
        if parent == last {
            continue;
        }
        last = parent;
        let abs = crate::units::absolute(parent.unwrap_or(std::path::Path::new("")));
        for d in abs.ancestors() {
            if !d.starts_with(root) || !dirs.insert(d.to_owned()) {
                break;
            }
        }
    }
    let mut plan = crate::units::plan(root, declarations, &dirs, &file_paths, &config.units);
    if plan.is_empty() && config.units.declare.is_empty() {
        // What two definitions may conflict on: an object's identity, and the workload a
        // ScaledObject scales (two of them in sibling folders are alternatives too, else KEDA
        // rejects the second). Only keys seen in two files can make fallback units: found by
        // hash first, so that a repository without any (the usual one) builds no paths for them.
        let conflict_keys = |i: usize| {
            let o = &objects[i];
            let target = (o.kind == crate::model::Kind::ScaledObject).then(|| analyses[i].scale_target()).flatten().map(|t| crate::model::ObjectKey { group: format!("scale target {}", t.group).into(), ..t.clone() });
            std::iter::once(o.key()).chain(target)
        };
        let defined: Vec<usize> = (0..objects.len()).filter(|i| plain(objects[*i].file) && objects[*i].kind != crate::model::Kind::KedaValues).collect();
        let mut hashed: Vec<(u64, FileId)> = defined.iter().flat_map(|i| conflict_keys(*i).map(move |k| (crate::index::key_hash(&k), objects[*i].file))).collect();
        hashed.sort_unstable();
        let twice: std::collections::HashSet<u64> = hashed.chunk_by(|a, b| a.0 == b.0).filter(|run| run.iter().any(|(_, f)| *f != run[0].1)).map(|run| run[0].0).collect();
        if !twice.is_empty() {
            let repeated: Vec<(crate::model::ObjectKey, PathBuf)> = defined
                .iter()
                .flat_map(|i| conflict_keys(*i).map(move |k| (k, *i)))
                .filter(|(k, _)| twice.contains(&crate::index::key_hash(k)))
                .map(|(k, i)| (k, crate::units::absolute(&files[objects[i].file].path)))
                .collect();
            plan.units = crate::units::fallback::units(repeated.iter().map(|(k, p)| (k.clone(), p.as_path())), root);
            plan.fallback = !plan.units.is_empty();
        }
    }
    plan
}

/// Every cluster of `plan` checked on its own (see [`crate::units::worlds`]), and the same finding
/// from several clusters reported once, saying where it was found when that is not everywhere
/// its file goes.
pub(super) fn check_units(
    plan: &crate::units::Plan,
    files: &[SourceFile],
    objects: &[Object],
    analyses: &[Analysis],
    metas: &[Option<RenderedMeta>],
    reference: i64,
    check: &dyn Fn(&mut RepoIndex) -> Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    use crate::units::worlds::{worlds, VariantOf};
    let units_of_file = &plan.membership;
    let units: Vec<Vec<usize>> = objects.iter().map(|o| units_of_file[o.file].clone()).collect();
    let variants: Vec<Option<VariantOf>> = objects.iter().map(|o| metas.get(o.file).and_then(Option::as_ref).map(|m| VariantOf { group: m.variant.group, index: m.variant.index })).collect();
    let clusters = plan.clusters();
    let mut found: Vec<(Option<usize>, Diagnostic)> = Vec::new();
    for world in worlds(plan, objects, &units, &variants) {
        // A world's index holds only its own files (renumbered; findings are numbered back), so
        // that a repository of many small clusters costs what its files cost, not clusters x files.
        let mut used: Vec<FileId> = world.members.iter().map(|(i, _)| objects[*i].file).collect();
        used.sort_unstable();
        used.dedup();
        let local = |file: FileId| used.binary_search(&file).unwrap_or_default();
        let (world_objects, world_analyses): (Vec<Object>, Vec<Analysis>) = world
            .members
            .iter()
            .map(|(i, ns)| {
                let (mut o, a) = match ns {
                    Some(ns) if *ns != objects[*i].namespace => {
                        let mut o = objects[*i].clone();
                        o.namespace = ns.clone();
                        let a = analyses[*i].in_namespace(&objects[*i].namespace, &o);
                        (o, a)
                    }
                    _ => (objects[*i].clone(), analyses[*i].clone()),
                };
                o.file = local(o.file);
                (o, a)
            })
            .unzip();
        let world_files: Vec<SourceFile> = used.iter().map(|f| files[*f].clone()).collect();
        let mut index = RepoIndex::build(world_files, world_objects, world_analyses, reference);
        found.extend(check(&mut index).into_iter().map(|mut d| {
            d.labels.iter_mut().for_each(|l| l.file = used[l.file]);
            (world.cluster, d)
        }));
    }
    // One finding per place: merged across clusters, with the clusters it was found in.
    let mut merged: HashMap<(&'static str, FileId, Span, std::sync::Arc<str>), usize> = HashMap::new();
    let mut out: Vec<(Diagnostic, std::collections::BTreeSet<usize>)> = Vec::new();
    for (cluster, d) in found {
        let p = d.primary_label();
        let key = (d.rule, p.file, p.span.clone(), d.message.clone());
        let at = *merged.entry(key).or_insert_with(|| {
            out.push((d, std::collections::BTreeSet::new()));
            out.len() - 1
        });
        out[at].1.extend(cluster);
    }
    let cluster_of = |u: &usize| clusters.iter().position(|c| *c == plan.units[*u].cluster);
    out.into_iter()
        .map(|(mut d, found_in)| {
            let file_units = &units_of_file[d.file()];
            let everywhere: std::collections::BTreeSet<usize> = file_units.iter().filter_map(cluster_of).collect();
            let names: Vec<std::sync::Arc<str>> = file_units.iter().filter(|u| cluster_of(u).is_some_and(|c| found_in.contains(&c))).map(|u| plan.units[*u].name.as_str().into()).collect();
            if !names.is_empty() {
                d.units = Some(names.into());
            }
            if !found_in.is_empty() && found_in.len() < everywhere.len() {
                let which: Vec<String> = found_in.iter().map(|c| format!("`{}`", clusters[*c])).collect();
                let what = if plan.fallback { "" } else { "cluster " };
                d.message = format!("{} (only in {what}{})", d.message, which.join(", ")).into();
            }
            d
        })
        .collect()
}
