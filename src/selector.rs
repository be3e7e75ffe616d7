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

/// Where `selector` fails to select a pod with `labels`: the token to change (the value that
/// matches no pod, or the key the pod lacks) and the requirement it belongs to (a
/// `matchExpressions` entry or `matchLabels` pair), or `None` when it selects the pod.
pub fn mismatch<'a>(selector: &'a Node, labels: &Labels) -> Option<(&'a Node, &'a Node)> {
    if selector.as_map().is_none() {
        return Some((selector, selector));
    }
    let value_is = |k: &str, v: &str| labels.get(k).is_some_and(|have| have.as_deref().is_none_or(|h| h == v));
    if let Some(pairs) = selector.get("matchLabels") {
        for e in pairs.as_map().unwrap_or_default() {
            match (e.key.text(), e.value.text()) {
                (Some(k), Some(v)) if value_is(k, v) => {}
                (Some(k), _) if labels.contains_key(k) => return Some((&e.value, pairs)),
                _ => return Some((&e.key, pairs)),
            }
        }
    }
    for expr in selector.get("matchExpressions").and_then(Node::as_seq).unwrap_or_default() {
        let key_node = expr.get("key");
        let key = key_node.and_then(Node::text).unwrap_or_default();
        let values = expr.get("values");
        let items = values.and_then(Node::as_seq).unwrap_or_default();
        let operator = expr.get("operator");
        let at_key = key_node.unwrap_or(expr);
        match operator.and_then(Node::text).unwrap_or_default() {
            "In" if !items.iter().filter_map(Node::text).any(|v| value_is(key, v)) => {
                // One value: that value is the token; several: the list (which to keep is the user's call).
                let token = match items {
                    [one] if labels.contains_key(key) => one,
                    _ if !labels.contains_key(key) => at_key,
                    _ => values.unwrap_or(expr),
                };
                return Some((token, expr));
            }
            "NotIn" => {
                if let Some(Some(have)) = labels.get(key)
                    && let Some(v) = items.iter().find(|v| v.text() == Some(have.as_str()))
                {
                    return Some((v, expr));
                }
            }
            "Exists" if !labels.contains_key(key) => return Some((at_key, expr)),
            "DoesNotExist" if labels.contains_key(key) => return Some((at_key, expr)),
            "In" | "Exists" | "DoesNotExist" => {}
            _ => return Some((operator.unwrap_or(expr), expr)),
        }
    }
    None
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

    /// `mismatch` finds a place exactly when `matches` says no, and that place is the token to change.
    #[test]
    fn mismatch_points_at_the_token() {
        let labels: Labels = [("app".into(), Some("keda-operator".into())), ("name".into(), Some("keda-operator".into()))].into();
        let cases = [
            ("matchLabels: {app: keda-operator}", None),
            ("matchLabels: {app: keda-metrics-apiserver}", Some("keda-metrics-apiserver")),
            ("matchLabels: {component: operator}", Some("component")),
            ("matchExpressions: [{key: app, operator: In, values: [keda-metrics-apiserver]}]", Some("keda-metrics-apiserver")),
            ("matchExpressions: [{key: app, operator: In, values: [a, b]}]", Some("[a, b")), // a flow list's span ends at its last item
            ("matchExpressions: [{key: tier, operator: In, values: [a]}]", Some("tier")),
            ("matchExpressions: [{key: app, operator: NotIn, values: [x, keda-operator]}]", Some("keda-operator")),
            ("matchExpressions: [{key: app, operator: Exists}]", None),
            ("matchExpressions: [{key: tier, operator: Exists}]", Some("tier")),
            ("matchExpressions: [{key: app, operator: DoesNotExist}]", Some("app")),
            ("matchExpressions: [{key: app, operator: Equals, values: [x]}]", Some("Equals")),
            ("{}", None),
        ];
        for (text, want) in cases {
            let root = node(text);
            let found = mismatch(&root, &labels);
            assert_eq!(found.is_none(), matches(&root, &labels), "{text}");
            let shown = found.map(|(token, _)| text[token.span.clone()].to_owned());
            assert_eq!(shown.as_deref(), want, "{text}");
        }
    }
}
