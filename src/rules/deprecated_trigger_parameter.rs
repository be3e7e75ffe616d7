use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::scalers::Catalogue;
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports trigger metadata that KEDA deprecated or removed without an error: parameters
    /// still honoured with a deprecation (rabbitmq `queueLength`, aws `identityOwner`), and
    /// parameters KEDA now ignores (`metricName` since 2.12 for scalers that no longer read it,
    /// prometheus `cortexOrgID` since 2.15, pulsar `msgBacklog` since 2.16, ...).
    ///
    /// ## Why is this bad?
    /// An ignored parameter does nothing: pulsar's `msgBacklog: "50"` silently scales at the
    /// default threshold of 10. A deprecated one stops working in a later KEDA release.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, queueLength: "20"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "20"}}
    /// ```
    ///
    /// ## References
    /// - KEDA CHANGELOG, "Deprecations" and "Breaking Changes" (v2.10 to v2.20)
    /// - the catalogue, rules/scalers.yaml
    pub DeprecatedTriggerParameter {
        name: "deprecated-trigger-parameter",
        category: Suspicious,
        kinds: [ScaledObject, ScaledJob],
        summary: "trigger metadata that KEDA deprecated or now ignores",
        since: "0.1.0",
        sources: ["https://github.com/kedacore/keda/blob/main/CHANGELOG.md"],
    }
}

impl Rule for DeprecatedTriggerParameter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let catalogue = Catalogue::get();
        let version = cx.config.keda_version;
        for t in obj.triggers() {
            let Some(meta) = t.metadata.and_then(Node::as_map) else { continue };
            let scaler = catalogue.scaler(t.type_str());
            for e in meta {
                let Some(key) = e.key.text() else { continue };
                let mut report = |message: String, help: String| {
                    cx.report(Diagnostic::new(message).primary(obj.file, e.key.span.clone(), "deprecated parameter").help(help));
                };
                if key == "metricName" && version >= catalogue.metric_name_removed_in && !catalogue.metric_name_still_read_by.iter().any(|s| s == t.type_str()) {
                    report("`metricName` is ignored since KEDA 2.12".into(), "remove it: KEDA generates metric names".into());
                    continue;
                }
                let Some(s) = scaler else { continue };
                if let Some(p) = s.param(key) {
                    if let Some(msg) = &p.deprecated {
                        report(format!("`{key}` is deprecated in the {} scaler", t.type_str()), msg.clone());
                    }
                    if let Some(r) = p.removed.as_ref().filter(|r| r.at(version) == Some(false)) {
                        report(format!("`{key}` is ignored by the {} scaler", t.type_str()), r.message.clone());
                    }
                } else if let Some((_, r)) = s.replaced.iter().find(|(n, _)| n == key)
                    && r.at(version) == Some(false) {
                        report(format!("`{key}` is ignored by the {} scaler", t.type_str()), r.message.clone());
                    }
            }
        }
    }
}
