use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a trigger whose `name` is already used by another trigger of the same
    /// ScaledObject or ScaledJob. Unnamed triggers are never compared.
    ///
    /// ## Why is this bad?
    /// KEDA's webhook rejects it: `triggerName "<name>" is defined multiple times in the
    /// ScaledObject/ScaledJob, but it must be unique`. Names identify triggers in
    /// `scalingModifiers` formulas and in status.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - {type: rabbitmq, name: queue, metadata: {queueName: a, mode: QueueLength, value: "5"}}
    ///     - {type: rabbitmq, name: queue, metadata: {queueName: b, mode: QueueLength, value: "5"}}
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
    ///     - {type: rabbitmq, name: queue-a, metadata: {queueName: a, mode: QueueLength, value: "5"}}
    ///     - {type: rabbitmq, name: queue-b, metadata: {queueName: b, mode: QueueLength, value: "5"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaletriggers_types.go `ValidateTriggers`
    pub DuplicateTriggerName {
        name: "duplicate-trigger-name",
        category: Correctness,
        kinds: [ScaledObject, ScaledJob],
        summary: "two triggers of one object have the same name",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaletriggers_types.go: ValidateTriggers"],
    }
}

impl Rule for DuplicateTriggerName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let triggers = obj.triggers();
        for (i, t) in triggers.iter().enumerate() {
            let Some(name) = t.name.as_ref().filter(|n| !n.value.is_empty()) else { continue };
            let first = triggers[..i].iter().find_map(|o| o.name.as_ref().filter(|n| n.value == name.value));
            if let Some(first) = first {
                cx.report(
                    Diagnostic::new(format!("trigger name `{}` is used more than once", name.value))
                        .primary(obj.file, name.span.clone(), "used again here")
                        .secondary(obj.file, first.span.clone(), "first used here")
                        .help("give each trigger a unique name"),
                );
            }
        }
    }
}
