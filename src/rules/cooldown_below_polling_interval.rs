use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::timeline::{fmt_t, Scaling};

declare_rule! {
    /// ## What it does
    /// Reports a ScaledObject that scales to zero (or to `idleReplicaCount`) whose
    /// `cooldownPeriod` is shorter than its `pollingInterval`.
    ///
    /// ## Why is this bad?
    /// KEDA checks the cooldown once per poll, so the effective cooldown is the next poll after
    /// the last active one: with `pollingInterval: 60` a `cooldownPeriod: 10` still waits 60 s.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   pollingInterval: 60
    ///   cooldownPeriod: 10
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
    ///   pollingInterval: 10
    ///   cooldownPeriod: 60
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "20"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/scaling/executor/scale_scaledobjects.go `scaleToZeroOrIdle`
    pub CooldownBelowPollingInterval {
        name: "cooldown-below-polling-interval",
        category: Suspicious,
        kinds: [ScaledObject],
        summary: "`cooldownPeriod` is shorter than `pollingInterval`, so a poll is the real cooldown",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scaling/executor/scale_scaledobjects.go: scaleToZeroOrIdle"],
    }
}

impl Rule for CooldownBelowPollingInterval {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(spec) = so.spec() else { return };
        let s = Scaling::from_spec(spec);
        if !s.keda_scales_in() || s.cooldown >= s.polling {
            return;
        }
        let Some(c) = spec.entry("cooldownPeriod").or(spec.entry("pollingInterval")) else { return };
        cx.report(
            Diagnostic::new(format!("`cooldownPeriod` {}s is shorter than `pollingInterval` {}s: scale-in happens ~{} after the last active poll", s.cooldown, s.polling, fmt_t(s.keda_scale_in_at())))
                .primary(so.file, c.key.span.start..c.value.span.end, "checked only once per poll")
                .help("make `cooldownPeriod` a multiple of `pollingInterval`, or poll more often"),
        );
    }
}
