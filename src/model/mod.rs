//! The typed model of what kedalint reads, built leniently from the spanned tree.
//!
//! Two halves live here. [`crd`] holds KEDA's API as Rust types (kube's `CustomResource` derive +
//! schemars): it exists to generate the JSON Schemas every object is validated against. The rest
//! ([`Object`] and the views in [`views`]) is what rules read: each field keeps its span, and a
//! missing or mistyped field is simply absent (the schema rules report it), so building the model
//! never fails.

pub mod crd;
pub mod views;

use crate::source::{FileId, Span};
use crate::yaml::Node;
use compact_str::CompactString;
pub use views::{HpaView, ScaleTarget, ScaledView, TriggerView, WorkloadView};

pub type ObjectId = usize;

#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// What kind of object a document is, as far as kedalint cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    ScaledObject,
    ScaledJob,
    TriggerAuthentication,
    ClusterTriggerAuthentication,
    /// Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, Argo Rollout...: anything with a pod template.
    Workload,
    HorizontalPodAutoscaler,
    PodDisruptionBudget,
    Secret,
    LimitRange,
    /// Values for the kedacore `keda` Helm chart (see [`crate::keda_chart`]); not an API object.
    KedaValues,
    Other,
}

pub const KEDA_GROUP: &str = "keda.sh";
pub const KEDA_VERSION: &str = "v1alpha1";
/// Kinds without a namespace: KEDA's cluster-wide kinds and the usual built-in ones.
pub const CLUSTER_SCOPED_KINDS: &[&str] = &[
    "ClusterTriggerAuthentication", "ClusterCloudEventSource", "Namespace", "ClusterRole", "ClusterRoleBinding",
    "CustomResourceDefinition", "APIService", "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass",
    "RuntimeClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding", "CSIDriver", "Node", "ClusterIssuer",
];

/// What [`Kind::KedaValues`] objects call their kind.
pub const KEDA_VALUES_KIND: &str = "KEDA chart values";

pub const KEDA_KINDS: [&str; 4] = ["ScaledObject", "ScaledJob", "TriggerAuthentication", "ClusterTriggerAuthentication"];

impl Kind {
    pub fn is_keda(self) -> bool {
        matches!(self, Kind::ScaledObject | Kind::ScaledJob | Kind::TriggerAuthentication | Kind::ClusterTriggerAuthentication)
    }

    fn classify(group: &str, kind: &str) -> Kind {
        match kind {
            "ScaledObject" => Kind::ScaledObject,
            "ScaledJob" => Kind::ScaledJob,
            "TriggerAuthentication" => Kind::TriggerAuthentication,
            "ClusterTriggerAuthentication" => Kind::ClusterTriggerAuthentication,
            "HorizontalPodAutoscaler" if group == "autoscaling" => Kind::HorizontalPodAutoscaler,
            "PodDisruptionBudget" if group == "policy" => Kind::PodDisruptionBudget,
            "Secret" if group.is_empty() => Kind::Secret,
            "LimitRange" if group.is_empty() => Kind::LimitRange,
            "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" if group == "apps" => Kind::Workload,
            "Rollout" if group == "argoproj.io" => Kind::Workload,
            _ => Kind::Other,
        }
    }
}

/// (group, kind, namespace, name): how Kubernetes identifies an object. Compact strings: the
/// index holds keys of every object, and these parts are almost always short enough (24 bytes)
/// to need no allocation of their own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey {
    pub group: CompactString,
    pub kind: CompactString,
    pub namespace: CompactString,
    pub name: CompactString,
}

impl std::fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let g = if self.group.is_empty() { String::new() } else { format!(".{}", self.group) };
        if self.namespace.is_empty() {
            write!(f, "{}{}/{}", self.kind, g, self.name)
        } else {
            write!(f, "{}{} {}/{}", self.kind, g, self.namespace, self.name)
        }
    }
}

#[derive(Debug, Clone)]
pub struct Object {
    pub id: ObjectId,
    pub file: FileId,
    /// 0-based document index in the file.
    pub doc: usize,
    pub kind: Kind,
    // Compact strings here and in `namespace`: short enough not to allocate, for every object.
    pub api_version: Option<Spanned<CompactString>>,
    pub kind_name: Option<Spanned<CompactString>>,
    pub name: Option<Spanned<CompactString>>,
    /// `metadata.namespace`, or the configured default namespace when absent.
    pub namespace: CompactString,
    /// True when the manifest itself names no namespace.
    pub namespace_defaulted: bool,
    /// The object's mapping node.
    pub node: Node,
    /// Whether `node` stands in for a tree the engine dropped (see [`Object::detach_tree`]).
    pub tree_detached: bool,
}

/// The group of an `apiVersion` (`apps/v1` → `apps`, `v1` → ``).
pub fn group_of(api_version: &str) -> &str {
    match api_version.split_once('/') {
        Some((g, _)) => g,
        None => "",
    }
}

impl Object {
    /// Build an object from a document's root if it looks like a Kubernetes object: a mapping with
    /// `kind`, and `apiVersion` or a KEDA kind (so that a mistyped `apiVersion` key is still linted).
    pub fn from_node(node: &Node, file: FileId, doc: usize, default_namespace: &str) -> Option<Object> {
        Object::looks_like_object(node).then(|| Object::from_owned(node.clone(), file, doc, default_namespace).ok()).flatten()
    }

    /// [`Object::from_node`] taking the tree, so that a parsed document becomes an object without
    /// a copy; a tree that is no object comes back as it was.
    pub fn from_owned(node: Node, file: FileId, doc: usize, default_namespace: &str) -> Result<Object, Node> {
        if !Object::looks_like_object(&node) {
            return Err(node);
        }
        let spanned = |n: &Node| n.text().map(|t| Spanned { value: CompactString::from(t), span: n.span.clone() });
        let Some(kind_name) = node.get("kind").and_then(spanned) else { return Err(node) };
        let api_version = node.get("apiVersion").and_then(spanned);
        let group = api_version.as_ref().map_or("", |a| group_of(&a.value));
        let kind = Kind::classify(group, &kind_name.value);
        let meta = node.get("metadata");
        let name = meta.and_then(|m| m.get("name")).and_then(spanned);
        let ns = meta.and_then(|m| m.get("namespace")).and_then(|n| n.text()).filter(|s| !s.is_empty());
        let namespace = ns.unwrap_or(default_namespace).into();
        let namespace_defaulted = ns.is_none();
        Ok(Object { id: 0, file, doc, kind, api_version, kind_name: Some(kind_name), name, namespace, namespace_defaulted, node, tree_detached: false })
    }

    /// A mapping with `kind`, and `apiVersion` or a KEDA kind.
    fn looks_like_object(node: &Node) -> bool {
        if node.as_map().is_none() {
            return false;
        }
        let Some(kind_name) = node.get("kind").and_then(Node::text) else { return false };
        node.get("apiVersion").and_then(Node::text).is_some() || KEDA_KINDS.iter().any(|k| k.eq_ignore_ascii_case(kind_name))
    }

    /// A values document for the KEDA chart, found as `how` says (for messages).
    pub fn keda_values(node: &Node, file: FileId, doc: usize, how: &str) -> Object {
        Object {
            id: 0,
            file,
            doc,
            kind: Kind::KedaValues,
            api_version: None,
            kind_name: Some(Spanned { value: KEDA_VALUES_KIND.into(), span: node.span.start..node.span.start }),
            name: Some(Spanned { value: how.into(), span: node.span.start..node.span.start }),
            namespace: CompactString::default(),
            namespace_defaulted: true,
            node: node.clone(),
            tree_detached: false,
        }
    }

    pub fn name(&self) -> &str {
        self.name.as_ref().map_or("<unnamed>", |n| n.value.as_str())
    }

    /// Drop the tree, keeping its span: the object reads as an empty mapping until the engine
    /// attaches the tree again ([`crate::index::RepoIndex::attach_trees`]). Its fields (kind,
    /// name, namespace) stay.
    pub fn detach_tree(&mut self) {
        self.node = Node::empty_map(self.node.span.clone());
        self.tree_detached = true;
    }

    /// Whether rules on objects of other namespaces may read this object's tree, so that it is
    /// held for the whole run: cluster-scoped objects (a ClusterTriggerAuthentication serves
    /// every namespace) and objects outside any namespace (KEDA chart values).
    pub fn held_throughout(&self) -> bool {
        self.namespace.is_empty() || self.is_cluster_scoped()
    }

    pub fn kind_str(&self) -> &str {
        self.kind_name.as_ref().map_or("<no kind>", |k| k.value.as_str())
    }

    pub fn group(&self) -> &str {
        self.api_version.as_ref().map_or("", |a| group_of(&a.value))
    }

    /// Whether the kind lives outside namespaces (the common built-in and KEDA ones).
    pub fn is_cluster_scoped(&self) -> bool {
        CLUSTER_SCOPED_KINDS.contains(&self.kind_str())
    }

    /// The identity key; cluster-scoped kinds have an empty namespace.
    pub fn key(&self) -> ObjectKey {
        let cluster_scoped = self.is_cluster_scoped();
        ObjectKey {
            group: self.group().into(),
            kind: self.kind_str().into(),
            namespace: if cluster_scoped { "" } else { self.namespace.as_str() }.into(),
            name: self.name().into(),
        }
    }

    /// Whether [`Object::key`] is `key`, without building it.
    pub fn has_key(&self, key: &ObjectKey) -> bool {
        let namespace = if self.is_cluster_scoped() { "" } else { self.namespace.as_str() };
        self.name() == key.name && self.kind_str() == key.kind && namespace == key.namespace && self.group() == key.group
    }

    /// Whether two objects have the same [`Object::key`].
    pub fn same_key(&self, other: &Object) -> bool {
        self.has_key(&other.key())
    }

    /// Span used when a finding concerns the object as a whole: its name, else its kind.
    pub fn head_span(&self) -> Span {
        self.name.as_ref().or(self.kind_name.as_ref()).map_or(self.node.span.clone(), |s| s.span.clone())
    }

    pub fn annotation(&self, key: &str) -> Option<&Node> {
        self.node.at(&["metadata", "annotations", key])
    }

    pub fn spec(&self) -> Option<&Node> {
        self.node.get("spec")
    }
}
