use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports an `idleReplicaCount` other than 0.
    ///
    /// ## Why is this bad?
    /// KEDA's docs say the only supported value is 0. KEDA scales to the idle count while
    /// inactive and jumps straight to `minReplicaCount` on activation, so a non-zero idle count
    /// just keeps pods running that the HPA minimum would describe more plainly.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   idleReplicaCount: 1
    ///   minReplicaCount: 3
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "20"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   idleReplicaCount: 0
    ///   minReplicaCount: 3
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "20"}}
    /// ```
    ///
    /// ## References
    /// - KEDA docs, reference/scaledobject-spec.md "idleReplicaCount" ("the only supported value for this property is 0")
    pub UnsupportedIdleReplicaCount {
        name: "unsupported-idle-replica-count",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "`idleReplicaCount` is not 0, the only value KEDA supports",
        since: "0.1.0",
        sources: ["https://keda.sh/docs/2.20/reference/scaledobject-spec/#idlereplicacount"],
    }
}

impl Rule for UnsupportedIdleReplicaCount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(v) = so.scaled() else { return };
        if let Some(idle) = v.idle_replicas.filter(|i| i.value != 0) {
            cx.report(
                Diagnostic::new(format!("`idleReplicaCount` is {}; KEDA supports only 0", idle.value))
                    .primary(so.file, idle.span.clone(), "unsupported value")
                    .help("use `idleReplicaCount: 0`, or drop it and let `minReplicaCount` keep pods running"),
            );
        }
    }
}
