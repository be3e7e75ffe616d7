use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::scalers::{go_bool, go_duration, json_float, json_int, Catalogue, ParamType};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// For the scalers in the catalogue (rules/scalers.yaml), reports metadata values KEDA cannot
    /// use: a value outside the allowed set (case-sensitive; each item of a comma list), a
    /// number KEDA's JSON parsing rejects (`"5.0"` or `"010"` for an integer), a boolean that is
    /// not one of Go's (`yes` is not), a bad duration, and parameters KEDA removed with an error
    /// in the configured `keda-version` (gcp-pubsub `subscriptionSize` in 2.20, ...), and pairs
    /// KEDA refuses together (datadog's `metadata.type` with the trigger's `metricType`;
    /// dynatrace's `metricSelector` with `query`).
    ///
    /// ## Why is this bad?
    /// KEDA fails to build the scaler (`parameter "offsetResetPolicy" value "oldest" must be one of
    /// [latest earliest]`, `unable to set param "lagThreshold" value "5.0"`), and the ScaledObject
    /// never becomes ready.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: consumer}
    /// spec:
    ///   scaleTargetRef: {name: consumer}
    ///   triggers:
    ///     - type: kafka
    ///       metadata: {bootstrapServers: "kafka:9092", consumerGroup: g, topic: t, lagThreshold: "5.0", offsetResetPolicy: oldest}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: consumer}
    /// spec:
    ///   scaleTargetRef: {name: consumer}
    ///   triggers:
    ///     - type: kafka
    ///       metadata: {bootstrapServers: "kafka:9092", consumerGroup: g, topic: t, lagThreshold: "5", offsetResetPolicy: earliest}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/scalers/scalersconfig/typed_config.go (enum, number and bool parsing, `deprecated=`)
    /// - kedacore/keda v2.20.2 pkg/scalers/datadog_scaler.go (`only one of trigger.metadata.type or trigger.metricType should be defined`)
    /// - the catalogue, rules/scalers.yaml
    pub InvalidTriggerParameter {
        name: "invalid-trigger-parameter",
        category: Correctness,
        kinds: [ScaledObject, ScaledJob],
        summary: "a trigger metadata value KEDA cannot parse or no longer accepts",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scalers/scalersconfig/typed_config.go"],
    }
}

fn type_problem(ty: ParamType, v: &str) -> Option<&'static str> {
    let ok = match ty {
        ParamType::Int => json_int(v),
        ParamType::Float => json_float(v),
        ParamType::Bool => go_bool(v),
        ParamType::Duration => go_duration(v),
        ParamType::String | ParamType::List | ParamType::Map => true,
    };
    (!ok).then_some(match ty {
        ParamType::Int => "an integer (digits only, no leading zeros or `+`)",
        ParamType::Float => "a number",
        ParamType::Bool => "`true` or `false`",
        ParamType::Duration => "a duration such as `30s`, or whole milliseconds",
        _ => "",
    })
}

impl Rule for InvalidTriggerParameter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let catalogue = Catalogue::get();
        let version = cx.config.keda_version;
        for t in obj.triggers() {
            let Some(scaler) = catalogue.scaler(t.type_str()) else { continue };
            let Some(meta) = t.metadata.and_then(Node::as_map) else { continue };
            for (a, b, message) in &scaler.conflicts {
                let given = |name: &str| match name.strip_prefix("trigger.") {
                    Some(field) => t.node.entry(field).filter(|e| e.value.text().is_some_and(|v| !v.trim().is_empty())),
                    None => meta.iter().find(|e| e.key.text().is_some_and(|k| crate::scalers::names(name, k)) && e.value.text().is_some_and(|v| !v.trim().is_empty())),
                };
                if let (Some(first), Some(second)) = (given(a), given(b)) {
                    let shown = |n: &str| n.strip_prefix("trigger.").map_or_else(|| format!("`metadata.{n}`"), |f| format!("the trigger's `{f}`"));
                    cx.report(
                        Diagnostic::new(format!("{} and {} cannot be used together in the {} scaler", shown(a), shown(b), t.type_str()))
                            .primary(obj.file, first.key.span.clone(), "remove this one")
                            .secondary(obj.file, second.key.span.clone(), "given here too")
                            .help(format!("keep only {}", shown(b)))
                            .note(format!("KEDA fails the scaler: `{message}`")),
                    );
                }
            }
            for e in meta {
                let Some(key) = e.key.text() else { continue };
                let Some(raw) = e.value.as_str() else { continue };
                let v = raw.trim();
                if let Some(p) = scaler.param(key) {
                    // cpu/memory `type`: reported with its fix by `invalid-cpu-memory-trigger`.
                    if let Some(r) = p.removed.as_ref().filter(|_| !(t.is_cpu_or_memory() && key == "type"))
                        && r.at(version) == Some(true) {
                            cx.report(Diagnostic::new(format!("`{key}` was removed from the {} scaler", t.type_str())).primary(obj.file, e.key.span.clone(), "removed parameter").note(format!("KEDA fails with `scaler {} info: {}`", t.type_str(), r.message)));
                        }
                    if v.is_empty() {
                        continue;
                    }
                    if !p.values.is_empty()
                        && let Some(bad) = v.split(',').map(str::trim).find(|x| !p.values.iter().any(|a| a == x)) {
                            let allowed = p.values.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
                            let hint = crate::schema::validate::did_you_mean(bad, p.values.iter().map(String::as_str)).map_or(format!("use one of {allowed}"), |s| format!("did you mean `{s}`? (values are case-sensitive)"));
                            cx.report(
                                Diagnostic::new(format!("`{key}` must be one of {allowed}, found `{bad}`"))
                                    .primary(obj.file, e.value.span.clone(), "not an allowed value")
                                    .help(hint),
                            );
                            continue;
                        }
                    if let Some(want) = type_problem(p.ty, v) {
                        cx.report(
                            Diagnostic::new(format!("`{key}` must be {want}, found `{v}`"))
                                .primary(obj.file, e.value.span.clone(), "KEDA cannot parse this")
                                .note(format!("KEDA fails with `unable to set param \"{key}\" value \"{v}\"`")),
                        );
                    }
                } else if let Some((_, r)) = scaler.replaced.iter().find(|(n, _)| n == key)
                    && r.at(version) == Some(true) {
                        cx.report(
                            Diagnostic::new(format!("`{key}` was removed from the {} scaler", t.type_str()))
                                .primary(obj.file, e.key.span.clone(), "removed parameter")
                                .note(format!("KEDA fails with `scaler {} info: {}`", t.type_str(), r.message)),
                        );
                    }
            }
        }
    }
}
