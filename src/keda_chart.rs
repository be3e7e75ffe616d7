//! The kedacore `keda` Helm chart, as kedalint knows it: its values keys (`rules/keda-chart.yaml`),
//! what its values mean for each component, and the pod labels it renders (chart 2.20.2; the labels
//! are the same since chart 2.14). Values documents become objects of kind
//! [`Kind::KedaValues`](crate::model::Kind::KedaValues), checked by the `keda-*` rules.
//!
//! How a values document is found: named with `--keda-values`, the `values.yaml` of a chart that
//! depends on `keda` (its `keda:` or alias subtree), an Argo CD Application's or Flux
//! HelmRelease's inline values for the `keda` chart, a file an Argo CD Application names in
//! `helm.valueFiles`, or a mapping whose keys only the KEDA chart has ([`looks_like_values`]).
//! tests/keda_chart.rs checks the keys and labels against a real render of the chart.

use crate::selector::Labels;
use crate::yaml::Node;
use std::sync::OnceLock;

/// The chart version the knowledge was written down from.
pub fn chart_version() -> &'static str {
    knowledge().1.as_str()
}

fn knowledge() -> &'static (Node, String) {
    static K: OnceLock<(Node, String)> = OnceLock::new();
    K.get_or_init(|| {
        let root = crate::yaml::load(include_str!("../rules/keda-chart.yaml")).documents.into_iter().find_map(|d| d.root).expect("rules/keda-chart.yaml parses");
        let version = root.get("chart-version").and_then(Node::text).expect("chart-version").to_owned();
        (root.get("values").expect("values").clone(), version)
    })
}

/// What the chart makes of a values key path.
#[derive(Debug, PartialEq, Eq)]
pub enum KeyStatus {
    /// The chart reads it (and maybe keys under it).
    Known,
    /// The chart reads it as a value or free-form content: keys under it are not checked.
    Open,
    /// Segment `at` of the path is not a key of the chart; `siblings` are the keys that are.
    Unknown { siblings: Vec<String> },
}

/// Look a values key path up in the chart's keys.
pub fn key_status(path: &[&str]) -> KeyStatus {
    let mut node = &knowledge().0;
    for seg in path {
        if node.is_null() {
            return KeyStatus::Open;
        }
        match node.get(seg) {
            Some(n) => node = n,
            None => {
                let siblings = node.as_map().unwrap_or_default().iter().filter_map(|e| e.key.text().map(str::to_owned)).collect();
                return KeyStatus::Unknown { siblings };
            }
        }
    }
    if node.is_null() { KeyStatus::Open } else { KeyStatus::Known }
}

/// Every key path the chart knows (leaves and inner keys), dotted: for tests.
pub fn all_keys() -> Vec<String> {
    fn walk(n: &Node, prefix: &str, out: &mut Vec<String>) {
        for e in n.as_map().unwrap_or_default() {
            let k = e.key.text().unwrap_or_default();
            let p = if prefix.is_empty() { k.to_owned() } else { format!("{prefix}.{k}") };
            out.push(p.clone());
            walk(&e.value, &p, out);
        }
    }
    let mut out = Vec::new();
    walk(&knowledge().0, "", &mut out);
    out
}

/// Whether a mapping is, beyond doubt, values for the KEDA chart: it uses a key spelling only that
/// chart has (`metricServer`, `metricsAdapter`, `image.keda`, `image.metricsApiServer`), or sets
/// `metricsServer` together with `operator` or `webhooks`, and every top-level key is the chart's.
pub fn looks_like_values(root: &Node) -> bool {
    let Some(entries) = root.as_map() else { return false };
    if root.get("kind").is_some() || root.get("apiVersion").is_some() {
        return false;
    }
    let has = |path: &[&str]| root.at(path).is_some();
    let unmistakable = has(&["image", "keda"])
        || has(&["image", "metricsApiServer"])
        || has(&["podDisruptionBudget", "metricServer"])
        || has(&["resources", "metricServer"])
        || has(&["prometheus", "metricServer"])
        || has(&["podLabels", "metricsAdapter"])
        || has(&["podAnnotations", "metricsAdapter"])
        || (has(&["metricsServer"]) && (has(&["operator"]) || has(&["webhooks"])));
    let top_known = entries.iter().filter(|e| e.key.text().is_some_and(|k| knowledge().0.get(k).is_some())).count();
    unmistakable && top_known * 2 >= entries.len()
}

/// Whether a Helm chart source names the kedacore `keda` chart.
fn is_keda_chart(chart: Option<&Node>, repo: Option<&Node>) -> bool {
    chart.and_then(Node::text) == Some("keda") && repo.and_then(Node::text).is_none_or(|r| r.contains("kedacore") || !r.starts_with("http"))
}

/// The Argo CD Application sources or the Flux HelmRelease that install the `keda` chart, with
/// the inline values they carry: `helm.valuesObject` (Argo CD), `spec.values` (Flux).
pub fn inline_values(obj: &crate::model::Object) -> Vec<(&Node, String)> {
    let mut out = Vec::new();
    match (obj.group(), obj.kind_str()) {
        ("argoproj.io", "Application") => {
            for src in argo_sources(obj).into_iter().filter(|s| is_keda_chart(s.get("chart"), s.get("repoURL"))) {
                if let Some(v) = src.at(&["helm", "valuesObject"]).filter(|v| v.as_map().is_some()) {
                    out.push((v, format!("`helm.valuesObject` of Argo CD Application `{}`", obj.name())));
                }
            }
        }
        ("helm.toolkit.fluxcd.io", "HelmRelease") => {
            let spec = obj.spec();
            let chart = spec.and_then(|s| s.at(&["chart", "spec", "chart"]));
            if chart.and_then(Node::text) == Some("keda")
                && let Some(v) = spec.and_then(|s| s.get("values")).filter(|v| v.as_map().is_some()) {
                    out.push((v, format!("`spec.values` of Flux HelmRelease `{}`", obj.name())));
                }
        }
        _ => {}
    }
    out
}

/// The `helm.valueFiles` of an Argo CD Application's `keda` chart sources.
pub fn value_files(obj: &crate::model::Object) -> Vec<String> {
    if (obj.group(), obj.kind_str()) != ("argoproj.io", "Application") {
        return Vec::new();
    }
    argo_sources(obj)
        .into_iter()
        .filter(|s| is_keda_chart(s.get("chart"), s.get("repoURL")))
        .flat_map(|s| s.at(&["helm", "valueFiles"]).and_then(Node::as_seq).unwrap_or_default().iter().filter_map(Node::text).map(str::to_owned))
        .collect()
}

fn argo_sources(obj: &crate::model::Object) -> Vec<&Node> {
    let Some(spec) = obj.spec() else { return Vec::new() };
    let mut out: Vec<&Node> = spec.get("source").into_iter().collect();
    out.extend(spec.get("sources").and_then(Node::as_seq).unwrap_or_default());
    out
}

/// The chart's three Deployments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    Operator,
    MetricsServer,
    Webhooks,
}

impl Component {
    pub const ALL: [Component; 3] = [Component::Operator, Component::MetricsServer, Component::Webhooks];

    /// The component's own section (`operator.replicaCount`, `metricsServer.affinity`).
    pub fn section(self) -> &'static str {
        match self {
            Component::Operator => "operator",
            Component::MetricsServer => "metricsServer",
            Component::Webhooks => "webhooks",
        }
    }

    /// Its key under `podDisruptionBudget`, `resources`, `securityContext`: singular `metricServer`.
    pub fn short_key(self) -> &'static str {
        match self {
            Component::Operator => "operator",
            Component::MetricsServer => "metricServer",
            Component::Webhooks => "webhooks",
        }
    }

    /// Its key under `podLabels` and `podAnnotations`.
    pub fn pod_labels_key(self) -> &'static str {
        match self {
            Component::Operator => "keda",
            Component::MetricsServer => "metricsAdapter",
            Component::Webhooks => "webhooks",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Component::Operator => "operator",
            Component::MetricsServer => "metrics server",
            Component::Webhooks => "admission webhooks",
        }
    }
}

/// A values document read the way the chart's templates read it.
pub struct Values<'a> {
    pub root: &'a Node,
}

impl<'a> Values<'a> {
    pub fn get(&self, path: &[&str]) -> Option<&'a Node> {
        self.root.at(path).filter(|n| !n.is_null())
    }

    pub fn enabled(&self, c: Component) -> bool {
        match c {
            Component::Operator => true,
            _ => self.get(&[c.section(), "enabled"]).and_then(|n| n.as_scalar().map(|s| s.resolve())).is_none_or(|r| r != crate::yaml::Resolved::Bool(false)),
        }
    }

    /// `replicaCount`, the chart's default 1 when unset, with its node when set.
    pub fn replicas(&self, c: Component) -> (i64, Option<&'a Node>) {
        match self.get(&[c.section(), "replicaCount"]) {
            Some(n) => (n.as_i64().unwrap_or(1), Some(n)),
            None => (1, None),
        }
    }

    pub fn operator_name(&self) -> String {
        self.get(&["operator", "name"]).and_then(Node::text).unwrap_or("keda-operator").to_owned()
    }

    /// The Deployment (and `app` label) name of a component.
    pub fn deployment_name(&self, c: Component) -> String {
        match c {
            Component::Operator => self.operator_name(),
            Component::MetricsServer => format!("{}-metrics-apiserver", self.operator_name()),
            Component::Webhooks => self.get(&["webhooks", "name"]).and_then(Node::text).unwrap_or("keda-admission-webhooks").to_owned(),
        }
    }

    /// The pod template labels the chart renders for `c` (templates/*/deployment.yaml and
    /// `keda.labels` in _helpers.tpl). The release name, chart and app versions are not in the
    /// values: those labels are known to exist, with any value.
    pub fn pod_labels(&self, c: Component) -> Labels {
        let name = self.deployment_name(c);
        let mut l = Labels::new();
        let mut set = |k: &str, v: Option<String>| {
            l.insert(k.to_owned(), v);
        };
        set("app", Some(name.clone()));
        if c != Component::MetricsServer {
            set("name", Some(name.clone()));
        }
        set("app.kubernetes.io/name", Some(name));
        set("helm.sh/chart", None);
        set("app.kubernetes.io/component", Some("operator".into()));
        set("app.kubernetes.io/managed-by", Some(self.get(&["customManagedBy"]).and_then(Node::text).filter(|s| !s.is_empty()).unwrap_or("Helm").to_owned()));
        set("app.kubernetes.io/part-of", Some(self.operator_name()));
        set("app.kubernetes.io/version", None);
        set("app.kubernetes.io/instance", None);
        if c == Component::Operator && self.get(&["podIdentity", "azureWorkload", "enabled"]).and_then(Node::text) == Some("true") {
            set("azure.workload.identity/use", Some("true".into()));
        }
        for key in [&["additionalLabels"][..], &["podLabels", c.pod_labels_key()][..]] {
            for e in self.get(key).and_then(Node::as_map).unwrap_or_default() {
                if let Some(k) = e.key.text() {
                    l.insert(k.to_owned(), Some(e.value.text().unwrap_or_default().to_owned()));
                }
            }
        }
        l
    }

    /// The affinity the chart gives `c`: its own when not empty, else the global one (no merge).
    pub fn affinity(&self, c: Component) -> Option<(&'a Node, String)> {
        let own = self.get(&[c.section(), "affinity"]).filter(|n| n.as_map().is_some_and(|m| !m.is_empty()));
        match own {
            Some(n) => Some((n, format!("{}.affinity", c.section()))),
            None => self.get(&["affinity"]).filter(|n| n.as_map().is_some_and(|m| !m.is_empty())).map(|n| (n, "affinity".to_owned())),
        }
    }

    pub fn spread(&self, c: Component) -> Option<&'a Node> {
        self.get(&["topologySpreadConstraints", c.section()]).filter(|n| n.as_seq().is_some_and(|s| !s.is_empty()))
    }

    /// The PDB fields the chart renders for `c`: (key, node) from the top level and the component.
    pub fn pdb(&self, c: Component) -> Vec<(&'static str, &'a Node)> {
        let mut out = Vec::new();
        for base in [&["podDisruptionBudget"][..], &["podDisruptionBudget", c.short_key()][..]] {
            for key in ["minAvailable", "maxUnavailable"] {
                let mut path = base.to_vec();
                path.push(key);
                if let Some(n) = self.get(&path).filter(|n| n.text().is_some_and(|t| !t.is_empty() && t != "0") || n.as_i64().is_some_and(|v| v != 0)) {
                    out.push((key, n));
                }
            }
        }
        out
    }
}

/// Which KEDA component a rendered or plain Deployment is: by its name (the chart's and the
/// release YAML's defaults) when its containers run a kedacore image.
pub fn component_of(obj: &crate::model::Object) -> Option<Component> {
    if obj.kind_str() != "Deployment" {
        return None;
    }
    let pod = obj.workload()?.pod_spec?;
    let keda_image = pod.get("containers").and_then(Node::as_seq).unwrap_or_default().iter().any(|c| c.get("image").and_then(Node::text).is_some_and(|i| i.contains("kedacore/keda")));
    if !keda_image {
        return None;
    }
    let image = |c: &Node| c.get("image").and_then(Node::text).unwrap_or_default().to_owned();
    let images: Vec<String> = pod.get("containers").and_then(Node::as_seq).unwrap_or_default().iter().map(image).collect();
    if images.iter().any(|i| i.contains("keda-metrics-apiserver")) {
        Some(Component::MetricsServer)
    } else if images.iter().any(|i| i.contains("keda-admission-webhooks")) {
        Some(Component::Webhooks)
    } else {
        Some(Component::Operator)
    }
}

/// A workload's pod template labels.
pub fn pod_labels_of(obj: &crate::model::Object) -> crate::selector::Labels {
    crate::selector::labels_of(obj.spec().and_then(|s| s.at(&["template", "metadata", "labels"])))
}

/// Bytes in a Kubernetes memory quantity (`100Mi`, `1G`, `1e9`), when it parses.
pub fn memory_bytes(q: &str) -> Option<f64> {
    let q = q.trim();
    let split = q.find(|c: char| c.is_ascii_alphabetic() && c != 'e').unwrap_or(q.len());
    let (num, unit) = q.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult = match unit {
        "" => 1.0,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024f64.powi(4),
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "m" => 1e-3,
        _ => return None,
    };
    Some(n * mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(text: &str) -> Node {
        crate::yaml::load(text).documents.into_iter().find_map(|d| d.root).unwrap()
    }

    #[test]
    fn keys_follow_the_chart() {
        assert_eq!(key_status(&["operator", "replicaCount"]), KeyStatus::Open);
        assert_eq!(key_status(&["podDisruptionBudget"]), KeyStatus::Known);
        assert_eq!(key_status(&["operator", "affinity", "podAntiAffinity"]), KeyStatus::Open);
        assert!(matches!(key_status(&["podDisruptionBudget", "metricsServer"]), KeyStatus::Unknown { siblings } if siblings.contains(&"metricServer".to_owned())));
        assert_eq!(chart_version(), "2.20.2");
    }

    #[test]
    fn values_are_recognised_by_the_chart_s_own_spellings() {
        assert!(looks_like_values(&node("operator: {replicaCount: 2}\nmetricsServer: {replicaCount: 1}\n")));
        assert!(looks_like_values(&node("resources:\n  metricServer: {}\n")));
        assert!(!looks_like_values(&node("operator: {replicaCount: 2}\n")), "too generic alone");
        assert!(!looks_like_values(&node("apiVersion: v1\nkind: ConfigMap\nmetricsServer: {}\noperator: {}\n")));
    }

    #[test]
    fn pod_labels_follow_operator_name() {
        let root = node("operator: {name: k}\npodLabels: {metricsAdapter: {team: a}}\n");
        let v = Values { root: &root };
        let l = v.pod_labels(Component::MetricsServer);
        assert_eq!(l["app"], Some("k-metrics-apiserver".into()));
        assert_eq!(l["team"], Some("a".into()));
        assert!(!l.contains_key("name"), "the metrics server has no `name` label");
    }
}
