//! Kubernetes label selectors (`matchLabels` + `matchExpressions`), matched against pod labels.
//!
//! Labels can be known only in part: a label the linter knows exists but not its value (a Helm
//! release name read from values alone) is `None`, and matches any value, so that a selector is
//! never called wrong for a value kedalint cannot know.

use crate::yaml::Node;
use std::collections::BTreeMap;

/// Pod labels: name → value, `None` when the value is not known.
pub type Labels = BTreeMap<String, Option<String>>;

/// Labels from a `labels:` mapping node.
pub fn labels_of(node: Option<&Node>) -> Labels {
    node.and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| Some((e.key.text()?.to_owned(), Some(e.value.text().unwrap_or_default().to_owned()))))
        .collect()
}

/// Whether `selector` (a LabelSelector node) selects a pod with `labels`. An empty selector
/// selects everything, as in Kubernetes; a selector that is not a mapping selects nothing.
pub fn matches(selector: &Node, labels: &Labels) -> bool {
    if selector.as_map().is_none() {
        return false;
    }
    let value_is = |k: &str, v: &str| labels.get(k).is_some_and(|have| have.as_deref().is_none_or(|h| h == v));
    for e in selector.get("matchLabels").and_then(Node::as_map).unwrap_or_default() {
        let (Some(k), Some(v)) = (e.key.text(), e.value.text()) else { return false };
        if !value_is(k, v) {
            return false;
        }
    }
    for expr in selector.get("matchExpressions").and_then(Node::as_seq).unwrap_or_default() {
        let key = expr.get("key").and_then(Node::text).unwrap_or_default();
        let values: Vec<&str> = expr.get("values").and_then(Node::as_seq).unwrap_or_default().iter().filter_map(Node::text).collect();
        let ok = match expr.get("operator").and_then(Node::text).unwrap_or_default() {
            "In" => values.iter().any(|v| value_is(key, v)),
            "NotIn" => match labels.get(key) {
                Some(Some(have)) => !values.contains(&have.as_str()),
                _ => true,
            },
            "Exists" => labels.contains_key(key),
            "DoesNotExist" => !labels.contains_key(key),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// The label selectors of an `affinity`'s pod anti-affinity terms and of topology spread
/// constraints, with the topology key each spreads over.
pub fn spreading_selectors(affinity: Option<&Node>, spread: Option<&Node>) -> Vec<SpreadTerm> {
    let mut out = Vec::new();
    let anti = affinity.and_then(|a| a.get("podAntiAffinity"));
    for (kind, weighted) in [("requiredDuringSchedulingIgnoredDuringExecution", false), ("preferredDuringSchedulingIgnoredDuringExecution", true)] {
        for term in anti.and_then(|a| a.get(kind)).and_then(Node::as_seq).unwrap_or_default() {
            let term = if weighted { term.get("podAffinityTerm").unwrap_or(term) } else { term };
            if let Some(sel) = term.get("labelSelector") {
                out.push(SpreadTerm { selector: sel.clone(), topology_key: term.get("topologyKey").cloned(), what: "podAntiAffinity" });
            }
        }
    }
    for c in spread.and_then(Node::as_seq).unwrap_or_default() {
        if let Some(sel) = c.get("labelSelector") {
            out.push(SpreadTerm { selector: sel.clone(), topology_key: c.get("topologyKey").cloned(), what: "topologySpreadConstraints" });
        }
    }
    out
}

/// One anti-affinity term or topology spread constraint.
#[derive(Debug, Clone)]
pub struct SpreadTerm {
    pub selector: Node,
    pub topology_key: Option<Node>,
    pub what: &'static str,
}

/// Topology keys Kubernetes deprecated, with their replacements.
pub fn deprecated_topology_key(key: &str) -> Option<&'static str> {
    match key {
        "failure-domain.beta.kubernetes.io/zone" => Some("topology.kubernetes.io/zone"),
        "failure-domain.beta.kubernetes.io/region" => Some("topology.kubernetes.io/region"),
        "beta.kubernetes.io/instance-type" => Some("node.kubernetes.io/instance-type"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(text: &str) -> Node {
        crate::yaml::load(text).documents.into_iter().find_map(|d| d.root).unwrap()
    }

    #[test]
    fn selectors_match_as_kubernetes_does() {
        let labels: Labels = [("app".into(), Some("keda-operator".into())), ("app.kubernetes.io/instance".into(), None)].into();
        assert!(matches(&node("matchLabels: {app: keda-operator}"), &labels));
        assert!(!matches(&node("matchLabels: {app: keda-metrics-apiserver}"), &labels));
        assert!(matches(&node("matchExpressions: [{key: app, operator: In, values: [x, keda-operator]}]"), &labels));
        assert!(matches(&node("matchExpressions: [{key: app.kubernetes.io/instance, operator: In, values: [anything]}]"), &labels), "unknown values match");
        assert!(!matches(&node("matchExpressions: [{key: app, operator: DoesNotExist}]"), &labels));
        assert!(matches(&node("{}"), &labels), "an empty selector selects everything");
    }
}
