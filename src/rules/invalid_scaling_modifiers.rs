use super::invalid_fallback::scaling_modifiers;
use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::expr;
use crate::model::Object;
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Checks `advanced.scalingModifiers` as KEDA's webhook does: a `formula` is required once
    /// any modifier field is set; a formula needs a `target`; the target must parse as a number
    /// greater than 0; and the formula may only read triggers by name, where those triggers are
    /// named and are not `cpu` or `memory` (KEDA compiles it with only those names defined, then
    /// runs it once and casts the result to float, so a boolean formula fails too).
    ///
    /// The formula is read with kedalint's own subset of expr-lang (src/expr.rs): tokens, the
    /// identifiers it reads, and whether its top level is boolean. It does not evaluate.
    ///
    /// ## Why is this bad?
    /// KEDA rejects the ScaledObject, e.g. `error validating formula in ScalingModifiers` /
    /// `unknown name cpu_trigger (1:1)`.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   advanced:
    ///     scalingModifiers:
    ///       formula: "(queue + requests) / 2"
    ///       target: "10"
    ///   triggers:
    ///     - {type: rabbitmq, name: queue, metadata: {queueName: q, mode: QueueLength, value: "5"}}
    ///     - {type: prometheus, metadata: {serverAddress: "http://p:9090", query: "sum(up)", threshold: "1"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   advanced:
    ///     scalingModifiers:
    ///       formula: "(queue + requests) / 2"
    ///       target: "10"
    ///   triggers:
    ///     - {type: rabbitmq, name: queue, metadata: {queueName: q, mode: QueueLength, value: "5"}}
    ///     - {type: prometheus, name: requests, metadata: {serverAddress: "http://p:9090", query: "sum(up)", threshold: "1"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go `ValidateAndCompileScalingModifiers`, `validateScalingModifiersFormula`, `validateScalingModifiersTarget`
    /// - KEDA docs, reference/scaledobject-spec.md "scalingModifiers"
    pub InvalidScalingModifiers {
        name: "invalid-scaling-modifiers",
        category: Correctness,
        kinds: [ScaledObject],
        summary: "`advanced.scalingModifiers` that KEDA's webhook rejects",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go: ValidateAndCompileScalingModifiers"],
    }
}

impl Rule for InvalidScalingModifiers {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(sm) = scaling_modifiers(so) else { return };
        let formula = sm.get("formula").filter(|f| f.text().is_some_and(|t| !t.is_empty()));
        let Some(formula) = formula else {
            cx.report(
                Diagnostic::new("`scalingModifiers` needs a `formula`")
                    .primary(so.file, sm.span.clone(), "modifiers without a formula")
                    .help("add `formula`, or remove `scalingModifiers`"),
            );
            return;
        };
        match sm.get("target").and_then(Node::text).filter(|t| !t.is_empty()) {
            None => cx.report(
                Diagnostic::new("`scalingModifiers.formula` is given but `target` is empty")
                    .primary(so.file, formula.span.clone(), "formula without a target")
                    .help("add `target`: the value the formula's result is compared against, e.g. `\"10\"`"),
            ),
            Some(t) if t.parse::<f64>().map_or(true, |v| v <= 0.0 || v.is_nan()) => cx.report(
                Diagnostic::new(format!("`scalingModifiers.target` must be a number greater than 0, found `{t}`"))
                    .primary(so.file, sm.get("target").map_or(sm.span.clone(), |n| n.span.clone()), "not a positive number")
                    .help("use a positive number as a string, e.g. `\"10\"`"),
            ),
            Some(_) => {}
        }
        let text = formula.text().unwrap_or_default();
        let tokens = match expr::tokenize(text) {
            Ok(t) => t,
            Err(e) => {
                cx.report(Diagnostic::new(format!("`scalingModifiers.formula` does not compile: {e}")).primary(so.file, formula.span.clone(), "invalid expression"));
                return;
            }
        };
        let triggers = so.triggers();
        let usable: Vec<&str> = triggers.iter().filter(|t| !t.is_cpu_or_memory()).filter_map(|t| t.name.as_ref()).map(|n| n.value).filter(|n| !n.is_empty()).collect();
        let mut seen = Vec::new();
        for (name, _) in expr::free_identifiers(&tokens) {
            if usable.contains(&name.as_str()) || seen.contains(&name) {
                continue;
            }
            seen.push(name.clone());
            let resource = triggers.iter().find(|t| t.is_cpu_or_memory() && t.name.as_ref().is_some_and(|n| n.value == name));
            let mut d = Diagnostic::new(format!("`scalingModifiers.formula` reads `{name}`, which is not the name of a usable trigger"))
                .primary(so.file, formula.span.clone(), format!("unknown name `{name}`"));
            d = match resource {
                Some(t) => d
                    .secondary(so.file, t.name.as_ref().map_or(t.span(), |n| n.span.clone()), "a cpu/memory trigger")
                    .help("cpu and memory triggers cannot be used in a formula: KEDA does not serve their metrics"),
                None => match crate::schema::validate::did_you_mean(&name, usable.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None if usable.is_empty() => d.help("name the triggers the formula uses (`name:` on each trigger)"),
                    None => d.help(format!("the formula can read: {}", usable.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", "))),
                },
            };
            cx.report(d.note(format!("KEDA rejects it: `unknown name {name}`")));
        }
        if expr::is_boolean(&tokens) {
            cx.report(
                Diagnostic::new("`scalingModifiers.formula` evaluates to a boolean, not a number")
                    .primary(so.file, formula.span.clone(), "boolean expression")
                    .help("return a number, e.g. `a > 5 ? 10 : 0`"),
            );
        }
    }
}
