use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::keda_chart::{component_of, pod_labels_of, Component, Values};
use crate::model::{Kind, Object};
use crate::selector::{mismatch, spreading_selectors, Labels};

declare_rule! {
    /// ## What it does
    /// Checks every pod anti-affinity term and topology spread constraint of the KEDA install
    /// against the labels of the pods it is meant to spread: in KEDA chart values, the labels
    /// the chart renders for each component (kedalint's own table of the chart's labels, tested
    /// against a real render); in a rendered or plain KEDA Deployment, its pod template labels.
    /// A selector that matches none of the component's own pods is reported. The global
    /// `affinity` applies to every component without its own (the chart does not merge them),
    /// so a global selector written for the operator is reported for the other two.
    ///
    /// ## Why is this bad?
    /// An anti-affinity or spread selector that matches no pod of the Deployment spreads nothing:
    /// both replicas can land on one node or in one zone, and the HA setup is not one. The
    /// common slip is the plain-YAML release's label (`app: keda-metrics-apiserver`) used with
    /// the chart, which labels the metrics server `app: keda-operator-metrics-apiserver`.
    ///
    /// ## Example
    /// ```yaml,fail
    /// operator:
    ///   replicaCount: 2
    /// metricsServer:
    ///   replicaCount: 1
    ///   affinity:
    ///     podAntiAffinity:
    ///       preferredDuringSchedulingIgnoredDuringExecution:
    ///         - weight: 100
    ///           podAffinityTerm:
    ///             labelSelector:
    ///               matchLabels: {app: keda-metrics-apiserver}
    ///             topologyKey: topology.kubernetes.io/zone
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// operator:
    ///   replicaCount: 2
    /// metricsServer:
    ///   replicaCount: 1
    ///   affinity:
    ///     podAntiAffinity:
    ///       preferredDuringSchedulingIgnoredDuringExecution:
    ///         - weight: 100
    ///           podAffinityTerm:
    ///             labelSelector:
    ///               matchLabels: {app: keda-operator-metrics-apiserver}
    ///             topologyKey: topology.kubernetes.io/zone
    /// ```
    ///
    /// ## References
    /// - kedacore/charts v2.20.2 keda/templates/*/deployment.yaml (pod labels), _helpers.tpl `keda.labels`
    /// - kedacore/keda v2.20.2 config/metrics-server/deployment.yaml (`app: keda-metrics-apiserver`)
    pub KedaAffinitySelector {
        name: "keda-affinity-selector",
        category: Correctness,
        kinds: [KedaValues, Workload],
        summary: "a KEDA component's anti-affinity or spread selector matches none of its pods",
        since: "0.2.0",
        sources: ["kedacore/charts v2.20.2 keda/templates/manager/deployment.yaml"],
    }
}

fn show(labels: &Labels) -> String {
    let mut shown: Vec<String> = labels.iter().filter(|(k, _)| *k == "app" || *k == "name" || k.starts_with("app.kubernetes.io/name")).map(|(k, v)| format!("{k}={}", v.as_deref().unwrap_or("*"))).collect();
    shown.sort();
    shown.join(", ")
}

impl Rule for KedaAffinitySelector {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let mut checks = Vec::new();
        if obj.kind == Kind::KedaValues {
            let v = Values { root: &obj.node };
            for c in Component::ALL.into_iter().filter(|c| v.enabled(*c)) {
                let affinity = v.affinity(c);
                let from = affinity.as_ref().map(|(_, path)| path.clone());
                let terms = spreading_selectors(affinity.as_ref().map(|(a, _)| *a), v.spread(c));
                checks.push((c, v.pod_labels(c), terms, from));
            }
        } else if let Some(c) = component_of(obj) {
            let pod = obj.spec().and_then(|s| s.at(&["template", "spec"]));
            let terms = pod.map(|p| spreading_selectors(p.get("affinity"), p.get("topologySpreadConstraints"))).unwrap_or_default();
            checks.push((c, pod_labels_of(obj), terms, None));
        }
        for (c, labels, terms, from) in checks {
            for t in terms.iter() {
                let Some((token, requirement)) = mismatch(&t.selector, &labels) else { continue };
                let via = match from.as_deref() {
                    Some("affinity") => " (from the global `affinity`, which the chart uses for every component without its own)".to_owned(),
                    _ => String::new(),
                };
                let mut d = Diagnostic::new(format!("this {} selector matches none of the pods of the KEDA {}{via}", t.what, c.title()))
                    .primary(obj.file, token.span.clone(), "matches no pod of this component");
                if requirement.span != token.span {
                    d = d.secondary(obj.file, requirement.span.clone(), "in this requirement");
                }
                cx.report(
                    d
                        .help(format!("select the pods' own labels ({}): as written, replicas are not spread", show(&labels))),
                );
            }
        }
    }
}
