//! Typed, spanned views over the objects rules reason about. Each is computed on demand from the
//! object's node; a field that is missing or of the wrong type is `None`.

use super::{group_of, Object, ObjectKey, Spanned};
use crate::yaml::Node;

fn int(node: Option<&Node>) -> Option<Spanned<i64>> {
    let n = node?;
    Some(Spanned { value: n.as_i64()?, span: n.span.clone() })
}

fn borrowed(node: Option<&Node>) -> Option<Spanned<&str>> {
    let n = node?;
    Some(Spanned { value: n.as_str()?, span: n.span.clone() })
}

fn string(node: Option<&Node>) -> Option<Spanned<String>> {
    let n = node?;
    Some(Spanned { value: n.as_str()?.to_owned(), span: n.span.clone() })
}

/// Where a ScaledObject (or an HPA) points.
#[derive(Debug, Clone)]
pub struct ScaleTarget {
    pub api_version: Option<Spanned<String>>,
    pub kind: Option<Spanned<String>>,
    pub name: Spanned<String>,
}

impl ScaleTarget {
    fn from_node(n: &Node) -> Option<ScaleTarget> {
        Some(ScaleTarget { api_version: string(n.get("apiVersion")), kind: string(n.get("kind")), name: string(n.get("name"))? })
    }

    /// KEDA's defaults (gvkr.go `ParseGVKR`): empty apiVersion is `apps/v1`, empty kind `Deployment`.
    pub fn key(&self, namespace: &str) -> ObjectKey {
        let api = self.api_version.as_ref().map_or("apps/v1", |a| if a.value.is_empty() { "apps/v1" } else { a.value.as_str() });
        let kind = self.kind.as_ref().map_or("Deployment", |k| if k.value.is_empty() { "Deployment" } else { k.value.as_str() });
        ObjectKey { group: group_of(api).into(), kind: kind.into(), namespace: namespace.into(), name: self.name.value.as_str().into() }
    }
}

#[derive(Debug, Clone)]
pub struct TriggerView<'a> {
    pub index: usize,
    pub node: &'a Node,
    pub type_: Option<Spanned<&'a str>>,
    pub name: Option<Spanned<&'a str>>,
    pub metadata: Option<&'a Node>,
    pub auth_ref: Option<AuthRef<'a>>,
}

/// Views borrow from the tree: every rule asks for an object's triggers, and copying their
/// strings each time was a twentieth of a run.
#[derive(Debug, Clone)]
pub struct AuthRef<'a> {
    pub name: Spanned<&'a str>,
    /// `TriggerAuthentication` (the default) or `ClusterTriggerAuthentication`.
    pub kind: &'a str,
}

/// The fields ScaledObject and ScaledJob share.
#[derive(Debug, Clone)]
pub struct ScaledView<'a> {
    pub spec: &'a Node,
    pub min_replicas: Option<Spanned<i64>>,
    pub max_replicas: Option<Spanned<i64>>,
    pub idle_replicas: Option<Spanned<i64>>,
}

impl Object {
    pub fn scaled(&self) -> Option<ScaledView<'_>> {
        if !matches!(self.kind, super::Kind::ScaledObject | super::Kind::ScaledJob) {
            return None;
        }
        let spec = self.spec()?;
        Some(ScaledView {
            spec,
            min_replicas: int(spec.get("minReplicaCount")),
            max_replicas: int(spec.get("maxReplicaCount")),
            idle_replicas: int(spec.get("idleReplicaCount")),
        })
    }

    /// `spec.scaleTargetRef` of a ScaledObject or HPA.
    pub fn scale_target(&self) -> Option<ScaleTarget> {
        ScaleTarget::from_node(self.spec()?.get("scaleTargetRef")?)
    }

    pub fn triggers(&self) -> Vec<TriggerView<'_>> {
        let Some(items) = self.spec().and_then(|s| s.get("triggers")).and_then(Node::as_seq) else { return Vec::new() };
        items
            .iter()
            .enumerate()
            .map(|(index, node)| TriggerView {
                index,
                node,
                type_: borrowed(node.get("type")),
                name: borrowed(node.get("name")),
                metadata: node.get("metadata"),
                auth_ref: node.get("authenticationRef").and_then(|a| {
                    Some(AuthRef {
                        name: borrowed(a.get("name"))?,
                        kind: a.get("kind").and_then(Node::as_str).unwrap_or("TriggerAuthentication"),
                    })
                }),
            })
            .collect()
    }

    pub fn hpa(&self) -> Option<HpaView> {
        if self.kind != super::Kind::HorizontalPodAutoscaler {
            return None;
        }
        let owners = self
            .node
            .at(&["metadata", "ownerReferences"])
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|o| Some((o.get("kind")?.as_str()?.to_owned(), o.get("name")?.as_str()?.to_owned())))
            .collect();
        Some(HpaView { target: self.scale_target(), owners })
    }

    pub fn workload(&self) -> Option<WorkloadView<'_>> {
        if self.kind != super::Kind::Workload {
            return None;
        }
        let spec = self.spec()?;
        Some(WorkloadView { replicas: int(spec.get("replicas")), pod_spec: spec.at(&["template", "spec"]) })
    }
}

#[derive(Debug, Clone)]
pub struct HpaView {
    pub target: Option<ScaleTarget>,
    /// `(kind, name)` of each owner reference.
    pub owners: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct WorkloadView<'a> {
    pub replicas: Option<Spanned<i64>>,
    pub pod_spec: Option<&'a Node>,
}

/// KEDA's reading of a `scaleTargetRef` (apis/keda/v1alpha1/gvkr.go `ParseGVKR`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gvk {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl Gvk {
    /// `group/version.Kind` as KEDA's webhook formats it (`apps/v1.Deployment`, `/v1.Kind`).
    pub fn keda_string(&self) -> String {
        format!("{}/{}.{}", self.group, self.version, self.kind)
    }

    /// Deployments and StatefulSets of `apps/v1`: the only targets whose pods KEDA's webhook inspects.
    pub fn is_apps_v1_workload(&self) -> bool {
        self.group == "apps" && self.version == "v1" && matches!(self.kind.as_str(), "Deployment" | "StatefulSet")
    }
}

impl ScaleTarget {
    /// KEDA's GVK for this target; `Err` when the apiVersion does not parse (two or more `/`).
    pub fn gvk(&self) -> Result<Gvk, String> {
        let api = self.api_version.as_ref().map_or("", |a| a.value.as_str());
        let (group, version) = if api.is_empty() {
            ("apps".to_owned(), "v1".to_owned())
        } else {
            match api.split('/').collect::<Vec<_>>().as_slice() {
                [v] => (String::new(), (*v).to_owned()),
                [g, v] => ((*g).to_owned(), (*v).to_owned()),
                _ => return Err(format!("unexpected GroupVersion string: {api}")),
            }
        };
        let kind = self.kind.as_ref().map_or("", |k| k.value.as_str());
        Ok(Gvk { group, version, kind: if kind.is_empty() { "Deployment".into() } else { kind.into() } })
    }
}

impl Object {
    /// The name of the HPA KEDA creates for a ScaledObject (`getHpaName`): the custom name in
    /// `advanced.horizontalPodAutoscalerConfig.name`, else `keda-hpa-<name>`.
    pub fn hpa_name(&self) -> Spanned<String> {
        let custom = self.spec().and_then(|s| s.at(&["advanced", "horizontalPodAutoscalerConfig", "name"]));
        match custom.and_then(|n| n.as_str().filter(|s| !s.is_empty()).map(|s| (s, n))) {
            Some((s, n)) => Spanned { value: s.to_owned(), span: n.span.clone() },
            None => Spanned { value: format!("keda-hpa-{}", self.name()), span: self.head_span() },
        }
    }

    /// KEDA's `group/version.Kind` string of the scale target, when it parses.
    pub fn target_gvk_string(&self) -> Option<String> {
        self.scale_target()?.gvk().ok().map(|g| g.keda_string())
    }

    pub fn has_custom_hpa_name(&self) -> bool {
        self.spec().and_then(|s| s.at(&["advanced", "horizontalPodAutoscalerConfig", "name"])).and_then(Node::as_str).is_some_and(|s| !s.is_empty())
    }

    /// An annotation's string value.
    pub fn annotation_str(&self, key: &str) -> Option<&str> {
        self.annotation(key).and_then(Node::text)
    }
}

impl TriggerView<'_> {
    pub fn type_str(&self) -> &str {
        self.type_.as_ref().map_or("", |t| t.value)
    }

    pub fn is_cpu_or_memory(&self) -> bool {
        matches!(self.type_str(), "cpu" | "memory")
    }

    /// A metadata value as a string (metadata values are strings by schema).
    pub fn meta(&self, key: &str) -> Option<&Node> {
        self.metadata?.get(key)
    }

    pub fn span(&self) -> crate::source::Span {
        self.type_.as_ref().map_or(self.node.span.clone(), |t| t.span.clone())
    }
}
