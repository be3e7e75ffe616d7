//! The whole-repository index: every file, every object, and the maps cross-object rules ask.
//!
//! Built once per run, then read-only and shared by all rules (which run in parallel). Scoped to
//! the whole run rather than per directory (kube-linter's choice), because ScaledObjects and their
//! Deployments often live in different folders. Lookups return ids in (file, position) order, so
//! "the first" is stable across runs.
//!
//! The index is built from each object's [`Analysis`], worked out while the object's tree was
//! fresh from the parser, not from the trees themselves: the engine drops a namespaced object's
//! tree right after its analysis and parses it again only while the rules check its namespace
//! (see [`RepoIndex::attach_trees`]). Holding every tree at once was most of a large run's
//! memory (at 50,000 workloads, 450 MB of trees for 67 MB of YAML).

use crate::model::{Kind, Object, ObjectId, ObjectKey};
use crate::schema::validate::{SchemaError, Schemas};
use crate::selector::{matches, Labels};
use crate::yaml::Node;
use crate::source::{FileId, SourceFile, Span};
use rayon::prelude::*;
use compact_str::CompactString;
use foldhash::{HashMap, HashMapExt, HashSet};
use std::collections::hash_map::Entry;

#[derive(Debug, Default)]
pub struct RepoIndex {
    pub files: Vec<SourceFile>,
    pub objects: Vec<Object>,
    /// Schema errors per object (empty for non-KEDA kinds), computed once while building.
    pub schema_errors: PerObject<SchemaError>,
    /// Cron triggers per object, validated and evaluated over the horizon once while building.
    pub cron: PerObject<crate::cron::analysis::CronTrigger>,
    /// Plaintext credentials per object (found once, for the `plaintext-secret` rule and for
    /// masking them in every report).
    pub secrets: PerObject<crate::secrets::Secret>,
    /// Objects with a `kedalint.io/ignore` annotation (see [`crate::suppress`]): its value and place.
    pub suppression_annotations: Vec<(ObjectId, crate::model::Spanned<String>)>,
    /// The start of the cron horizon.
    pub reference: i64,
    /// Identity: the hash of an object's key → (the first, the last) object with that hash;
    /// `next_same_hash` chains the others in id order. Keyed by a 64-bit hash rather than the
    /// key itself: the keys and a Vec per key made this map 56 MB at 50,000 workloads (a fifth
    /// of the heap), and a key repeats only for duplicates. Lookups compare the chained objects'
    /// identities, so keys that merely share a hash are told apart.
    by_key: HashMap<u64, (ObjectId, ObjectId)>,
    next_same_hash: Vec<ObjectId>,
    /// Per object, the first object with its identity (itself unless it is a duplicate): asked
    /// for every object, and a lookup by key in a map of 130,000 was a tenth of the rules' time.
    first_with_key: Vec<ObjectId>,
    maps: Maps,
    /// PodDisruptionBudget → the workloads in its namespace whose pods its selector selects.
    /// Computed once: several rules ask, and matching every PDB against every workload's labels
    /// from scratch was a tenth of a 10,000-workload run.
    pdb_selects: HashMap<ObjectId, Vec<ObjectId>>,
    /// The inverse: workload → the PodDisruptionBudgets selecting its pods.
    pdbs_of_workload: HashMap<ObjectId, Vec<ObjectId>>,
}

/// The index's maps other than identity, built together (on a thread of their own).
#[derive(Debug, Default)]
struct Maps {
    scalers_by_target: HashMap<ObjectKey, Vec<ObjectId>>,
    hpas_by_target: HashMap<ObjectKey, Vec<ObjectId>>,
    /// (Cluster)TriggerAuthentication → every trigger that references it.
    auth_uses: HashMap<ObjectKey, Vec<AuthUse>>,
    /// (namespace, HPA name KEDA will create) → ScaledObjects.
    scalers_by_hpa_name: HashMap<(CompactString, CompactString), Vec<ObjectId>>,
    /// kind → namespace → objects (LimitRanges, TriggerAuthentications, workloads per namespace).
    /// Nested rather than keyed by (namespace, kind), so that a lookup borrows the namespace.
    by_namespace_kind: HashMap<Kind, HashMap<CompactString, Vec<ObjectId>>>,
    /// (namespace, name) of every Secret the files define or produce (Secret, SealedSecret,
    /// ExternalSecret), so that a reference is one lookup rather than a scan of its namespace.
    produced_secrets: HashSet<(CompactString, CompactString)>,
    by_kind: HashMap<Kind, Vec<ObjectId>>,
}

impl Maps {
    /// Add object `o`'s keys.
    fn insert(&mut self, o: &Object, id: ObjectId, c: Option<Box<MapKeys>>) {
        self.by_kind.entry(o.kind).or_default().push(id);
        // Looked up before inserting: `entry` would copy the namespace for every object.
        let by_namespace = self.by_namespace_kind.entry(o.kind).or_default();
        match by_namespace.get_mut(o.namespace.as_str()) {
            Some(ids) => ids.push(id),
            None => drop(by_namespace.insert(o.namespace.clone(), vec![id])),
        }
        let Some(c) = c else { return };
        let MapKeys { produced_secret, target, hpa_name, auths } = *c;
        if let Some(name) = produced_secret {
            self.produced_secrets.insert((o.namespace.clone(), name.into()));
        }
        if let Some(target) = target {
            let by_target = if o.kind == Kind::ScaledObject { &mut self.scalers_by_target } else { &mut self.hpas_by_target };
            by_target.entry(target).or_default().push(id);
        }
        if let Some(hpa) = hpa_name {
            self.scalers_by_hpa_name.entry((o.namespace.clone(), hpa.into())).or_default().push(id);
        }
        for (key, trigger_type) in auths {
            self.auth_uses.entry(key).or_default().push(AuthUse { user: id, trigger_type });
        }
    }
}

impl RepoIndex {
    /// Index `objects` (already in file order) from their analyses (`analyses[i]` is
    /// `objects[i]`'s).
    pub fn build(files: Vec<SourceFile>, objects: Vec<Object>, analyses: Vec<Analysis>, reference: i64) -> RepoIndex {
        crate::timings::phase("index", || Self::build_timed(files, objects, analyses, reference))
    }

    fn build_timed(files: Vec<SourceFile>, mut objects: Vec<Object>, analyses: Vec<Analysis>, reference: i64) -> RepoIndex {
        assert_eq!(objects.len(), analyses.len(), "one analysis per object");
        for (i, o) in objects.iter_mut().enumerate() {
            o.id = i;
        }
        let t = std::time::Instant::now();
        let n = objects.len();
        let mut idx = RepoIndex { files, objects, reference, ..Default::default() };
        let scalers = analyses.iter().filter(|a| a.map_keys.as_ref().is_some_and(|m| m.hpa_name.is_some())).count();
        // The serial part: moving the results in and inserting the keys, the identity map on
        // one thread and the others on a second (at 50,000 workloads this was a quarter second).
        // The tables are sized exactly first: growing one copies what it holds.
        for table in [&mut idx.schema_errors.starts, &mut idx.cron.starts, &mut idx.secrets.starts] {
            table.reserve_exact(n);
        }
        let found = || analyses.iter().filter_map(|a| a.findings.as_deref());
        idx.schema_errors.items.reserve_exact(found().map(|f| f.schema_errors.len()).sum());
        idx.cron.items.reserve_exact(found().map(|f| f.cron.len()).sum());
        idx.secrets.items.reserve_exact(found().map(|f| f.secrets.len()).sum());
        let mut key_hashes = Vec::with_capacity(n);
        let mut rest = Vec::with_capacity(n);
        let mut selection = Vec::with_capacity(n);
        for (id, a) in analyses.into_iter().enumerate() {
            let Found { schema_errors, cron, secrets } = a.findings.map_or_else(Found::default, |f| *f);
            idx.schema_errors.push(schema_errors);
            idx.cron.push(cron);
            idx.secrets.push(secrets);
            if let Some(s) = a.suppression_annotation {
                idx.suppression_annotations.push((id, *s));
            }
            key_hashes.push(a.key_hash);
            rest.push(a.map_keys);
            selection.push(a.selection);
        }
        // Sized up front: growing a map rehashes every key it holds, several times over. Only
        // now, with the analyses' list freed, so that the two are never held at once.
        idx.by_key.reserve(n);
        idx.maps.scalers_by_target.reserve(scalers);
        idx.maps.scalers_by_hpa_name.reserve(scalers);
        let RepoIndex { objects, by_key, next_same_hash, first_with_key, maps, .. } = &mut idx;
        first_with_key.reserve_exact(n);
        *next_same_hash = vec![NONE; n];
        rayon::join(
            || {
                for (id, hash) in key_hashes.into_iter().enumerate() {
                    let first = match by_key.entry(hash) {
                        Entry::Vacant(e) => {
                            e.insert((id, id));
                            id
                        }
                        Entry::Occupied(mut e) => {
                            let (head, tail) = *e.get();
                            next_same_hash[tail] = id;
                            e.get_mut().1 = id;
                            chain(next_same_hash, head).find(|c| objects[*c].same_key(&objects[id])).unwrap_or(id)
                        }
                    };
                    first_with_key.push(first);
                }
            },
            || {
                for (id, c) in rest.into_iter().enumerate() {
                    maps.insert(&objects[id], id, c);
                }
            },
        );
        crate::timings::since("index.maps", t);
        idx.pdb_selects = crate::timings::phase("index.pdb", || idx.select_pdb_workloads(&selection));
        for (pdb, workloads) in &idx.pdb_selects {
            for w in workloads {
                idx.pdbs_of_workload.entry(*w).or_default().push(*pdb);
            }
        }
        idx.pdbs_of_workload.values_mut().for_each(|v| v.sort_unstable());
        idx
    }

    /// Every PDB's selection. A selector with `matchLabels` is matched only against the workloads
    /// that carry one of its label pairs (an inverted index): matching each PDB against every
    /// workload of its namespace grew with the square of a namespace's size.
    fn select_pdb_workloads(&self, selection: &[Selection]) -> HashMap<ObjectId, Vec<ObjectId>> {
        let labels = |id: ObjectId| match &selection[id] {
            Selection::PodLabels(l) => Some(l.iter()),
            _ => None,
        };
        // (namespace, label, value) → workloads; a label whose value is unknown matches any value.
        let mut by_pair: HashMap<(&str, &str, Option<&str>), Vec<ObjectId>> = HashMap::new();
        for w in self.objects.iter().filter(|o| o.kind == Kind::Workload) {
            for (k, v) in labels(w.id).into_iter().flatten() {
                by_pair.entry((&w.namespace, k, v.as_deref())).or_default().push(w.id);
            }
        }
        self.objects
            .par_iter()
            .filter(|o| o.kind == Kind::PodDisruptionBudget)
            .map(|pdb| {
                let Selection::Selector(Some(sel)) = &selection[pdb.id] else { return (pdb.id, Vec::new()) };
                let sel: &Node = sel;
                let pair = sel.get("matchLabels").and_then(Node::as_map).and_then(|m| m.first()).and_then(|e| Some((e.key.text()?, e.value.text()?)));
                let selects = |id: &ObjectId| labels(*id).is_some_and(|l| matches(sel, &l.cloned().collect::<Labels>()));
                let mut selected: Vec<ObjectId> = match pair {
                    Some((k, v)) => {
                        let known = by_pair.get(&(pdb.namespace.as_str(), k, Some(v))).into_iter().flatten();
                        let unknown = by_pair.get(&(pdb.namespace.as_str(), k, None)).into_iter().flatten();
                        known.chain(unknown).copied().filter(selects).collect()
                    }
                    None => self.in_namespace(&pdb.namespace, Kind::Workload).map(|w| w.id).filter(selects).collect(),
                };
                selected.sort_unstable();
                selected.dedup();
                (pdb.id, selected)
            })
            .collect()
    }

    /// Parse the files of objects `ids` (in id order) again and give those objects their trees
    /// back. Parsing is deterministic, so each tree is found again by its span. Returns the
    /// texts read again (of released files), while they are at hand.
    pub fn attach_trees(&mut self, ids: &[ObjectId]) -> Vec<FileText> {
        let by_file = ids.chunk_by(|a, b| self.objects[*a].file == self.objects[*b].file);
        let groups: Vec<&[ObjectId]> = by_file.collect();
        let (trees, texts): (Vec<Vec<Node>>, Vec<FileText>) = groups
            .par_iter()
            .map(|ids| {
                let file = self.objects[ids[0]].file;
                let spans: Vec<&Span> = ids.iter().map(|id| &self.objects[*id].node.span).collect();
                let text = self.files[file].current_text();
                (trees_at(crate::yaml::load(&text).documents, &spans), (file, text))
            })
            .unzip();
        for (ids, trees) in groups.iter().zip(trees) {
            for (id, tree) in ids.iter().zip(trees) {
                self.objects[*id].node = tree;
                self.objects[*id].tree_detached = false;
            }
        }
        texts.into_iter().filter(|(file, _)| self.files[*file].is_released()).collect()
    }

    /// Drop the trees of objects `ids`, in id order (see [`Object::detach_tree`]). In parallel:
    /// freeing a batch's trees on one thread was a third of the batch's time.
    pub fn detach_trees(&mut self, ids: &[ObjectId]) {
        let (Some(first), Some(last)) = (ids.first(), ids.last()) else { return };
        let mut wanted = vec![false; last - first + 1];
        ids.iter().for_each(|id| wanted[id - first] = true);
        self.objects[*first..=*last].par_iter_mut().zip(wanted).filter(|(_, w)| *w).for_each(|(o, _)| o.detach_tree());
    }

    /// The PodDisruptionBudgets (in file order) whose selectors select a workload's pods.
    pub fn pdbs_selecting(&self, workload: ObjectId) -> impl Iterator<Item = &Object> {
        self.pdbs_of_workload.get(&workload).into_iter().flatten().map(|id| self.object(*id))
    }

    /// Whether the files define or produce the Secret `name` in `namespace`.
    pub fn produces_secret(&self, namespace: &str, name: &str) -> bool {
        self.maps.produced_secrets.contains(&(namespace.into(), name.into()))
    }

    /// Objects of `kind`, in file order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Object> {
        self.maps.by_kind.get(&kind).into_iter().flatten().map(|id| self.object(*id))
    }

    /// The workloads in a PodDisruptionBudget's namespace whose pods its selector selects.
    pub fn workloads_selected_by(&self, pdb: ObjectId) -> impl Iterator<Item = &Object> {
        self.pdb_selects.get(&pdb).into_iter().flatten().map(|id| self.object(*id))
    }

    pub fn object(&self, id: ObjectId) -> &Object {
        &self.objects[id]
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    /// A file as reports show it, every plaintext secret in it masked: a held text was masked
    /// at the end of the run; a released one is read again and masked here.
    pub fn shown(&self, id: FileId) -> std::borrow::Cow<'_, SourceFile> {
        let f = &self.files[id];
        if !f.is_released() {
            return std::borrow::Cow::Borrowed(f);
        }
        // Objects are in file order: the file's objects are one run of them.
        let first = self.objects.partition_point(|o| o.file < id);
        let secrets: Vec<Span> = self.objects[first..]
            .iter()
            .take_while(|o| o.file == id)
            .flat_map(|o| self.secrets[o.id].iter().map(|s| s.span.clone()))
            .collect();
        std::borrow::Cow::Owned(SourceFile::new(f.path.clone(), crate::secrets::masked(&f.current_text(), &secrets)))
    }

    /// Objects with this identity, in file order (more than one is a duplicate definition).
    pub fn objects_with_key<'a>(&'a self, key: &'a ObjectKey) -> impl Iterator<Item = ObjectId> + 'a {
        let head = self.by_key.get(&key_hash(key)).map_or(NONE, |(head, _)| *head);
        chain(&self.next_same_hash, head).filter(|id| self.objects[*id].has_key(key))
    }

    /// The first object (in file order) with the same identity as object `id`.
    pub fn first_with_same_key(&self, id: ObjectId) -> ObjectId {
        self.first_with_key[id]
    }

    /// ScaledObjects whose `scaleTargetRef` resolves to `target`.
    pub fn scalers_of(&self, target: &ObjectKey) -> &[ObjectId] {
        self.maps.scalers_by_target.get(target).map_or(&[], Vec::as_slice)
    }

    /// HorizontalPodAutoscalers whose `scaleTargetRef` resolves to `target`.
    pub fn hpas_of(&self, target: &ObjectKey) -> &[ObjectId] {
        self.maps.hpas_by_target.get(target).map_or(&[], Vec::as_slice)
    }

    /// The triggers (of ScaledObjects and ScaledJobs, in file order) that reference this
    /// (Cluster)TriggerAuthentication. Read from the index rather than from the users' trees: a
    /// ClusterTriggerAuthentication's users live in any namespace, so their trees are not at hand.
    pub fn uses_of_auth(&self, auth: &ObjectKey) -> &[AuthUse] {
        self.maps.auth_uses.get(auth).map_or(&[], Vec::as_slice)
    }

    /// ScaledObjects in `namespace` whose KEDA-created HPA is called `hpa_name`.
    pub fn scalers_with_hpa_name(&self, namespace: &str, hpa_name: &str) -> &[ObjectId] {
        self.maps.scalers_by_hpa_name.get(&(namespace.into(), hpa_name.into())).map_or(&[], Vec::as_slice)
    }

    /// Objects of `kind` in `namespace`.
    pub fn in_namespace(&self, namespace: &str, kind: Kind) -> impl Iterator<Item = &Object> {
        self.maps.by_namespace_kind.get(&kind).and_then(|m| m.get(namespace)).into_iter().flatten().map(|id| self.object(*id))
    }

    /// The first object with this identity.
    pub fn get(&self, key: &ObjectKey) -> Option<&Object> {
        self.objects_with_key(key).next().map(|id| self.object(id))
    }

    /// The ScaledObjects (in file order) that scale the same workload as `so` and have cron
    /// triggers, `so` included when it has any.
    pub fn cron_scalers_like(&self, so: &Object) -> Vec<&Object> {
        let Some(target) = so.scale_target() else { return Vec::new() };
        self.scalers_of(&target.key(&so.namespace)).iter().map(|id| self.object(*id)).filter(|o| !self.cron[o.id].is_empty()).collect()
    }
}

/// The nodes with these spans in a file's parsed documents (objects are mappings: a document's
/// root, an item of a `List`, or a values subtree). A root is moved out; a node inside another is
/// copied, since the object around it may be asked for too. A span not found (which a
/// deterministic parser never causes) gives an empty mapping.
fn trees_at(mut documents: Vec<crate::yaml::Document>, spans: &[&Span]) -> Vec<Node> {
    // Roots found by their span in a map, and the rest (items of a `kind: List`) in the document
    // holding them: looking each up among all documents was quadratic in a file's documents (a
    // 20,000-object stream spent 0.7 s here).
    let by_span: HashMap<(usize, usize), usize> = documents.iter().enumerate().filter_map(|(i, d)| d.root.as_ref().map(|r| ((r.span.start, r.span.end), i))).collect();
    let roots: Vec<Option<usize>> = spans.iter().map(|s| by_span.get(&(s.start, s.end)).copied()).collect();
    let inside = |docs: &[crate::yaml::Document], span: &Span| -> Option<Node> {
        let at = docs.partition_point(|d| d.span.end < span.start);
        let near = docs.get(at..).unwrap_or_default().iter().take(2);
        near.chain(docs.iter()).filter_map(|d| d.root.as_ref()).find_map(|r| r.find_map_at(span)).cloned()
    };
    let mut trees: Vec<Node> = spans
        .iter()
        .zip(&roots)
        .map(|(span, root)| match root {
            Some(_) => Node::empty_map((*span).clone()),
            None => inside(&documents, span).unwrap_or_else(|| Node::empty_map((*span).clone())),
        })
        .collect();
    // A root asked for more than once (it cannot be, but then the earlier ones get copies).
    let mut asked = vec![0usize; documents.len()];
    roots.iter().flatten().for_each(|d| asked[*d] += 1);
    for (i, root) in roots.iter().enumerate() {
        if let Some(d) = *root {
            asked[d] -= 1;
            let tree = if asked[d] > 0 { documents[d].root.clone() } else { documents[d].root.take() };
            if let Some(tree) = tree {
                trees[i] = tree;
            }
        }
    }
    trees
}

/// A list per object, most of them empty (schema errors, cron triggers, secrets), as one list
/// of items and where each object's start: a `Vec` per object was 24 bytes each even when
/// empty, 9 MB at 50,000 workloads for three such tables. `table[id]` is object `id`'s slice.
#[derive(Debug, Clone)]
pub struct PerObject<T> {
    items: Vec<T>,
    /// `starts[id]..starts[id + 1]` are object `id`'s items.
    starts: Vec<u32>,
}

impl<T> Default for PerObject<T> {
    fn default() -> Self {
        PerObject { items: Vec::new(), starts: vec![0] }
    }
}

impl<T> PerObject<T> {
    /// The next object's items.
    pub fn push(&mut self, items: Vec<T>) {
        self.items.extend(items);
        self.starts.push(u32::try_from(self.items.len()).expect("fewer than 4 billion items"));
    }
}

impl<T> std::ops::Index<ObjectId> for PerObject<T> {
    type Output = [T];
    fn index(&self, id: ObjectId) -> &[T] {
        &self.items[self.starts[id] as usize..self.starts[id + 1] as usize]
    }
}

/// A file's text read again, with the file's id.
pub type FileText = (FileId, std::sync::Arc<String>);

/// No object: the end of a `next_same_hash` chain.
const NONE: ObjectId = ObjectId::MAX;

/// The objects of a `next_same_hash` chain from `head` on.
fn chain(next: &[ObjectId], head: ObjectId) -> impl Iterator<Item = ObjectId> + '_ {
    std::iter::successors((head != NONE).then_some(head), |id| Some(next[*id]).filter(|n| *n != NONE))
}

/// An identity's hash: the same for every run and thread (a fixed seed), since it is computed
/// where objects are analysed and where rules look keys up.
pub(crate) fn key_hash(key: &ObjectKey) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x6b65_6461).hash_one(key)
}

/// A trigger that references a (Cluster)TriggerAuthentication.
#[derive(Debug, Clone)]
pub struct AuthUse {
    /// The ScaledObject or ScaledJob.
    pub user: ObjectId,
    pub trigger_type: String,
}

/// What the index needs of one object, worked out from its tree in one pass (the engine runs it
/// in parallel, right after parsing the object's file).
#[derive(Debug, Clone)]
pub struct Analysis {
    /// `None` when the object has no schema error, cron trigger or secret (most objects): three
    /// empty `Vec`s were 72 of an analysis's 120 bytes.
    findings: Option<Box<Found>>,
    // The rare and the kind-specific parts are boxed: an analysis per object waits for the index
    // (at 50,000 workloads, 130,000 of them), and inline they made it 424 bytes.
    suppression_annotation: Option<Box<crate::model::Spanned<String>>>,
    /// Its identity, for the identity map.
    key_hash: u64,
    /// `None` when the object adds nothing to the maps but its kind and namespace.
    map_keys: Option<Box<MapKeys>>,
    selection: Selection,
}

/// What an object's analysis found for the index's per-object tables.
#[derive(Debug, Clone, Default)]
struct Found {
    schema_errors: Vec<SchemaError>,
    cron: Vec<crate::cron::analysis::CronTrigger>,
    secrets: Vec<crate::secrets::Secret>,
}

/// What PodDisruptionBudget selection needs of an object.
#[derive(Debug, Clone)]
enum Selection {
    None,
    /// A workload's pod template labels, as pairs: a `BTreeMap` of one label takes a whole
    /// B-tree node (~550 bytes), for each of 50,000 workloads until the index is built.
    PodLabels(Box<[(String, Option<String>)]>),
    /// A PodDisruptionBudget's `spec.selector`.
    Selector(Option<Box<Node>>),
}

impl Analysis {
    /// Schema errors (for KEDA kinds, against `schemas`), cron windows from `reference`,
    /// plaintext secrets in `source` (the object's file), and the object's keys in the maps.
    pub fn of(o: &Object, source: &str, schemas: &Schemas, reference: i64) -> Analysis {
        let scaled = matches!(o.kind, Kind::ScaledObject | Kind::ScaledJob);
        let found = Found {
            schema_errors: if o.kind.is_keda() { schemas.validate(o.kind_str(), &o.node) } else { Vec::new() },
            cron: if scaled { crate::cron::analysis::analyze(o, reference) } else { Vec::new() },
            secrets: crate::secrets::find(o, source),
        };
        let nothing = found.schema_errors.is_empty() && found.cron.is_empty() && found.secrets.is_empty();
        Analysis {
            findings: (!nothing).then(|| Box::new(found)),
            suppression_annotation: crate::suppress::annotation_of(o).map(Box::new),
            key_hash: key_hash(&o.key()),
            map_keys: Some(MapKeys::of(o)).filter(|m| !m.is_empty()).map(Box::new),
            selection: match o.kind {
                Kind::Workload => Selection::PodLabels(crate::keda_chart::pod_labels_of(o).into_iter().collect()),
                Kind::PodDisruptionBudget => Selection::Selector(o.spec().and_then(|s| s.get("selector")).cloned().map(Box::new)),
                _ => Selection::None,
            },
        }
    }
}

impl Analysis {
    /// The workload a ScaledObject (or an HPA) scales, as the index keys it.
    pub fn scale_target(&self) -> Option<&ObjectKey> {
        self.map_keys.as_ref()?.target.as_ref()
    }

    /// This analysis for `obj`, the same object in another namespace than `old` (a deployment
    /// unit's, see [`crate::units`]): its identity and the keys that resolve in its namespace
    /// (its scale target, its TriggerAuthentications) move with it; the rest does not depend on
    /// the namespace.
    pub fn in_namespace(&self, old: &str, obj: &Object) -> Analysis {
        let mut a = self.clone();
        a.key_hash = key_hash(&obj.key());
        if let Some(keys) = a.map_keys.as_mut() {
            let moved = |k: &mut ObjectKey| {
                if k.namespace == old {
                    k.namespace = obj.namespace.clone();
                }
            };
            keys.target.iter_mut().for_each(moved);
            keys.auths.iter_mut().for_each(|(k, _)| moved(k));
        }
        a
    }
}

/// An object's keys in [`Maps`].
#[derive(Debug, Clone)]
struct MapKeys {
    produced_secret: Option<String>,
    /// Where a ScaledObject or an HPA points.
    target: Option<ObjectKey>,
    /// The HPA a ScaledObject makes KEDA create.
    hpa_name: Option<String>,
    /// The (Cluster)TriggerAuthentications its triggers reference, with each trigger's type.
    auths: Vec<(ObjectKey, String)>,
}

impl MapKeys {
    fn is_empty(&self) -> bool {
        self.produced_secret.is_none() && self.target.is_none() && self.hpa_name.is_none() && self.auths.is_empty()
    }

    fn of(o: &Object) -> MapKeys {
        let scales = matches!(o.kind, Kind::ScaledObject | Kind::HorizontalPodAutoscaler);
        MapKeys {
            produced_secret: produced_secret_name(o).map(str::to_owned),
            target: if scales { o.scale_target().map(|t| t.key(&o.namespace)) } else { None },
            hpa_name: (o.kind == Kind::ScaledObject).then(|| o.hpa_name().value),
            auths: o
                .triggers()
                .into_iter()
                .filter_map(|t| {
                    let a = t.auth_ref.as_ref()?;
                    let ns = if a.kind == "ClusterTriggerAuthentication" { "" } else { o.namespace.as_str() };
                    let key = ObjectKey { group: "keda.sh".into(), kind: a.kind.into(), namespace: ns.into(), name: a.name.value.into() };
                    Some((key, t.type_str().to_owned()))
                })
                .collect(),
        }
    }
}

/// The name of the Secret an object defines or produces: a Secret itself, a Bitnami SealedSecret
/// (its template's name, else its own), an External Secrets ExternalSecret (its target's name, else
/// its own).
fn produced_secret_name(o: &Object) -> Option<&str> {
    match (o.group(), o.kind_str()) {
        ("", "Secret") => Some(o.name()),
        ("bitnami.com", "SealedSecret") => Some(o.node.at(&["spec", "template", "metadata", "name"]).and_then(Node::text).unwrap_or(o.name())),
        ("external-secrets.io", "ExternalSecret") => Some(o.node.at(&["spec", "target", "name"]).and_then(Node::text).unwrap_or(o.name())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Objects are found again whether they are a document's root, an item of a `List`, or a
    /// mapping inside another requested object (which then is copied, not moved).
    #[test]
    fn trees_are_found_again_by_span() {
        let text = "kind: List\nitems:\n  - {kind: A, n: 1}\n  - kind: B\n    inner: {x: 1}\n---\nkind: C\n";
        let parsed = || crate::yaml::load(text).documents;
        let docs = parsed();
        let list = docs[0].root.as_ref().unwrap();
        let items = list.get("items").unwrap().as_seq().unwrap();
        let (a, b) = (&items[0], &items[1]);
        let inner = b.get("inner").unwrap();
        let c = docs[1].root.as_ref().unwrap();
        let spans = [&b.span, &inner.span, &c.span, &a.span];
        let trees = trees_at(parsed(), &spans);
        assert_eq!(trees, vec![b.clone(), inner.clone(), c.clone(), a.clone()]);
        // A span that is no mapping of the file gives an empty mapping there.
        let missing = 3..5;
        assert_eq!(trees_at(parsed(), &[&missing]), vec![Node::empty_map(missing.clone())]);
    }
}
