use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::scalers::{Catalogue, From};
use crate::yaml::Node;

/// Trigger fields people put inside `metadata` by mistake.
const TRIGGER_LEVEL: &[&str] = &["metricType", "useCachedMetrics", "authenticationRef", "name", "type"];

declare_rule! {
    /// ## What it does
    /// Reports a metadata key that the trigger's scaler does not read, with the closest known
    /// parameter, for every scaler in the catalogue (rules/scalers.yaml). It also reports
    /// trigger-level fields written inside `metadata` (`metricType`, `useCachedMetrics`,
    /// `authenticationRef`, `name`), except where the scaler reads that name itself (datadog's
    /// deprecated `metadata.type`). `external` and `external-push` hand every metadata key to
    /// the user's gRPC scaler, so nothing is reported for them.
    ///
    /// ## Why is this bad?
    /// KEDA ignores unknown metadata keys (it only logs them when the operator runs with
    /// `KEDA_CHECK_UNEXPECTED_SCALERS_PARAMS=enabled`), so a misspelled `queueNmae` silently
    /// falls back to the default, or to an error about the missing real key.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - type: rabbitmq
    ///       metadata: {queueName: q, mode: QueueLength, value: "5", activationValeu: "1", metricType: Value}
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
    ///     - type: rabbitmq
    ///       metricType: Value
    ///       metadata: {queueName: q, mode: QueueLength, value: "5", activationValue: "1"}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/scalers/scalersconfig/typed_config.go (unmatched parameters, `KEDA_CHECK_UNEXPECTED_SCALERS_PARAMS`)
    /// - the catalogue, rules/scalers.yaml
    pub UnknownTriggerParameter {
        name: "unknown-trigger-parameter",
        category: Suspicious,
        kinds: [ScaledObject, ScaledJob],
        summary: "a trigger metadata key that its scaler does not read",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scalers/scalersconfig/typed_config.go"],
    }
}

impl Rule for UnknownTriggerParameter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let catalogue = Catalogue::get();
        for t in obj.triggers() {
            let Some(meta) = t.metadata.and_then(Node::as_map) else { continue };
            let scaler = catalogue.scaler(t.type_str());
            if scaler.is_some_and(|s| s.open) {
                continue; // every key goes to the user's external scaler, `metricType` included
            }
            for e in meta {
                let Some(key) = e.key.text() else { continue };
                if scaler.is_some_and(|s| s.param(key).is_some()) {
                    continue;
                }
                if TRIGGER_LEVEL.contains(&key) {
                    cx.report(
                        Diagnostic::new(format!("`{key}` belongs to the trigger, not to its `metadata`"))
                            .primary(obj.file, e.key.span.clone(), "ignored here")
                            .help(format!("move `{key}` up one level, next to `type: {}`", t.type_str())),
                    );
                    continue;
                }
                let Some(s) = scaler.filter(|s| !s.partial) else { continue };
                if key == "metricName" || s.replaced.iter().any(|(n, _)| n == key) {
                    continue; // deprecated-trigger-parameter / invalid-trigger-parameter say what happened to it
                }
                if let Some(base) = key.strip_suffix("FromEnv")
                    && s.param(base).is_some_and(|p| p.reads(From::Env)) {
                        continue;
                    }
                let known = s.params.iter().filter(|p| p.reads(From::Metadata)).map(|p| p.name.as_str());
                let help = crate::schema::validate::did_you_mean(key, known).map_or_else(
                    || format!("the {} scaler does not read `{key}`; remove it", t.type_str()),
                    |k| format!("did you mean `{k}`?"),
                );
                cx.report(
                    Diagnostic::new(format!("the {} scaler has no parameter `{key}`", t.type_str()))
                        .primary(obj.file, e.key.span.clone(), "ignored by KEDA")
                        .help(help),
                );
            }
        }
    }
}
