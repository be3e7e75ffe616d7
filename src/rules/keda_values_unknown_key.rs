use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::keda_chart::{key_status, KeyStatus};
use crate::model::Object;
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a key in values for the kedacore `keda` Helm chart that the chart does not read,
    /// with the closest key it does read. The chart's keys are kedalint's own list
    /// (`rules/keda-chart.yaml`, written down from chart 2.20.2 and checked against the real
    /// chart); keys under free-form values (affinity, resources, labels) are not checked.
    ///
    /// ## Why is this bad?
    /// Helm ignores unknown values without a word. The chart spells some keys unexpectedly: the
    /// PodDisruptionBudget, resources and security contexts of the metrics server live under
    /// `metricServer` (singular), while its replicas and affinity live under `metricsServer`. A
    /// `podDisruptionBudget.metricsServer` is silently no PDB at all.
    ///
    /// ## Example
    /// ```yaml,fail
    /// operator:
    ///   replicaCount: 2
    /// metricsServer:
    ///   replicaCount: 1
    /// podDisruptionBudget:
    ///   metricsServer: {minAvailable: 1}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// operator:
    ///   replicaCount: 2
    /// metricsServer:
    ///   replicaCount: 1
    /// podDisruptionBudget:
    ///   metricServer: {minAvailable: 1}
    /// ```
    ///
    /// ## References
    /// - kedacore/charts v2.20.2 keda/values.yaml and keda/templates (the keys the templates read)
    pub KedaValuesUnknownKey {
        name: "keda-values-unknown-key",
        category: Suspicious,
        kinds: [KedaValues],
        summary: "a KEDA chart values key the chart does not read (Helm ignores it)",
        since: "0.2.0",
        sources: ["kedacore/charts v2.20.2 keda/values.yaml"],
    }
}

fn walk(node: &Node, path: &mut Vec<String>, obj: &Object, cx: &mut RuleContext<'_>) {
    for e in node.as_map().unwrap_or_default() {
        let Some(key) = e.key.text() else { continue };
        path.push(key.to_owned());
        let segs: Vec<&str> = path.iter().map(String::as_str).collect();
        match key_status(&segs) {
            KeyStatus::Unknown { siblings } => {
                let hint = crate::schema::validate::did_you_mean(key, siblings.iter().map(String::as_str));
                let parent = if path.len() > 1 { format!("`{}`", path[..path.len() - 1].join(".")) } else { "the top level".to_owned() };
                let help = match &hint {
                    Some(h) => format!("did you mean `{h}`? Helm ignores keys the chart does not read"),
                    None => format!("remove it; the chart reads these keys in {parent}: {}", siblings.join(", ")),
                };
                cx.report(
                    Diagnostic::new(format!("the keda chart has no values key `{}`", path.join(".")))
                        .primary(obj.file, e.key.span.clone(), "not read by the chart")
                        .help(help)
                        .note(format!("keys as of keda chart {}", crate::keda_chart::chart_version())),
                );
            }
            KeyStatus::Known => walk(&e.value, path, obj, cx),
            KeyStatus::Open => {}
        }
        path.pop();
    }
}

impl Rule for KedaValuesUnknownKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        walk(&obj.node, &mut Vec::new(), obj, cx);
    }
}
