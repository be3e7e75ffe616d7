//! Worlds: the passes of the rules, one per cluster (and rendered variant), each over the objects
//! that meet in that cluster, an object without `metadata.namespace` in its unit's namespace.

use super::Plan;
use crate::model::Object;
use compact_str::CompactString;

/// Which alternative of which render group an object's file is (see [`crate::render::Variant`]).
#[derive(Debug, Clone, Copy)]
pub struct VariantOf {
    pub group: usize,
    pub index: usize,
}

/// One pass of the rules.
#[derive(Debug, Clone)]
pub struct World {
    /// The cluster's place in [`Plan::clusters`]; `None` for the objects in no unit.
    pub cluster: Option<usize>,
    /// Objects (by index) and the namespace each takes here when its own is defaulted.
    pub members: Vec<(usize, Option<CompactString>)>,
}

/// The worlds of a run: per cluster and variant, then the objects in no unit (for a fallback
/// plan, those are seen in every world instead). `units[i]` are the units of object `i`,
/// `variants[i]` its file's variant when rendered.
pub fn worlds(plan: &Plan, objects: &[Object], units: &[Vec<usize>], variants: &[Option<VariantOf>]) -> Vec<World> {
    let clusters = plan.clusters();
    let mut out = Vec::new();
    // The variants of each render group present among `members`: a cluster deploys some of a
    // group's alternatives (one overlay of two), and its worlds go through those only.
    let present = |members: &[usize]| {
        let mut by_group: std::collections::BTreeMap<usize, std::collections::BTreeSet<usize>> = Default::default();
        for v in members.iter().filter_map(|i| variants[*i]) {
            by_group.entry(v.group).or_default().insert(v.index);
        }
        by_group.into_iter().map(|(g, set)| (g, set.into_iter().collect::<Vec<usize>>())).collect::<std::collections::BTreeMap<usize, Vec<usize>>>()
    };
    let passes = |present: &std::collections::BTreeMap<usize, Vec<usize>>| present.values().map(Vec::len).max().unwrap_or(1);
    let in_variant = |present: &std::collections::BTreeMap<usize, Vec<usize>>, i: usize, k: usize| {
        variants[i].is_none_or(|v| present.get(&v.group).is_some_and(|ix| ix[k.min(ix.len() - 1)] == v.index))
    };
    // The objects of each cluster, in object order, in one pass over the objects.
    let cluster_of: Vec<usize> = plan.units.iter().map(|u| clusters.binary_search(&u.cluster.as_str()).unwrap_or_default()).collect();
    let mut in_cluster: Vec<Vec<usize>> = vec![Vec::new(); clusters.len()];
    for (i, object_units) in units.iter().enumerate().take(objects.len()) {
        if plan.fallback && object_units.is_empty() {
            in_cluster.iter_mut().for_each(|c| c.push(i));
            continue;
        }
        let mut cs: Vec<usize> = object_units.iter().map(|u| cluster_of[*u]).collect();
        cs.sort_unstable();
        cs.dedup();
        for c in cs {
            in_cluster[c].push(i);
        }
    }
    for ((c, cluster), here) in clusters.iter().enumerate().zip(in_cluster) {
        let groups = present(&here);
        for k in 0..passes(&groups) {
            let mut members = Vec::new();
            for &i in here.iter().filter(|i| in_variant(&groups, **i, k)) {
                let mut namespaces: Vec<Option<CompactString>> = units[i]
                    .iter()
                    .map(|u| &plan.units[*u])
                    .filter(|u| u.cluster == *cluster)
                    .map(|u| u.namespace.as_deref().filter(|_| objects[i].namespace_defaulted).map(CompactString::from))
                    .collect();
                namespaces.sort();
                namespaces.dedup();
                if namespaces.is_empty() {
                    namespaces.push(None);
                }
                members.extend(namespaces.into_iter().map(|ns| (i, ns)));
            }
            out.push(World { cluster: Some(c), members });
        }
    }
    if !plan.fallback {
        let lone: Vec<usize> = (0..objects.len()).filter(|i| units[*i].is_empty()).collect();
        if !lone.is_empty() {
            let groups = present(&lone);
            for k in 0..passes(&groups) {
                out.push(World { cluster: None, members: lone.iter().filter(|i| in_variant(&groups, **i, k)).map(|i| (*i, None)).collect() });
            }
        }
    }
    out
}
