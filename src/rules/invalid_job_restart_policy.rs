use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a ScaledJob whose job template sets `restartPolicy: Always`. Leaving it empty is
    /// fine: KEDA fills in `OnFailure`.
    ///
    /// ## Why is this bad?
    /// Jobs only accept `OnFailure` or `Never`; every Job KEDA creates from this template is
    /// rejected by the API server (`spec.template.spec.restartPolicy: Unsupported value: "Always"`).
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledJob
    /// metadata: {name: batch}
    /// spec:
    ///   jobTargetRef:
    ///     template:
    ///       spec:
    ///         restartPolicy: Always
    ///         containers: [{name: batch, image: "batch:1"}]
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "1"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledJob
    /// metadata: {name: batch}
    /// spec:
    ///   jobTargetRef:
    ///     template:
    ///       spec:
    ///         restartPolicy: Never
    ///         containers: [{name: batch, image: "batch:1"}]
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "1"}}
    /// ```
    ///
    /// ## References
    /// - Kubernetes Job API validation (`restartPolicy` of a Job's pod template: OnFailure or Never)
    /// - kedacore/keda v2.20.2 pkg/scaling/executor/scale_jobs.go (`OnFailure` when empty)
    pub InvalidJobRestartPolicy {
        name: "invalid-job-restart-policy",
        category: Correctness,
        kinds: [ScaledJob],
        summary: "a ScaledJob's job template sets `restartPolicy: Always`",
        since: "0.1.0",
        sources: ["https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-template"],
    }
}

impl Rule for InvalidJobRestartPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, sj: &Object, cx: &mut RuleContext<'_>) {
        let Some(p) = sj.spec().and_then(|s| s.at(&["jobTargetRef", "template", "spec", "restartPolicy"])) else { return };
        if p.text() == Some("Always") {
            cx.report(
                Diagnostic::new("a Job's pods cannot use `restartPolicy: Always`")
                    .primary(sj.file, p.span.clone(), "rejected for Jobs")
                    .help("use `Never` or `OnFailure`, or leave it unset (KEDA uses `OnFailure`)"),
            );
        }
    }
}
