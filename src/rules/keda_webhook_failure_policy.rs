use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::keda_chart::{Component, Values};
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Notes the trade-off of KEDA's admission webhook `failurePolicy` set in chart values:
    /// `Ignore` (the chart's default), or `Fail` with a single webhooks replica.
    ///
    /// ## Why is this bad?
    /// With `Ignore`, a webhook that is down admits everything: ScaledObjects that KEDA would
    /// reject (two on one Deployment, a cpu trigger without requests) get in, and fail later in
    /// the operator's logs. With `Fail`, a webhook that is down blocks every create and update of
    /// KEDA objects, and so every deploy that carries one; pair `Fail` with 2 webhook replicas
    /// and a PodDisruptionBudget. Linting in CI (this tool) covers the `Ignore` gap before merge.
    ///
    /// ## Example
    /// ```yaml,fail
    /// operator:
    ///   replicaCount: 2
    /// metricsServer:
    ///   replicaCount: 1
    /// webhooks:
    ///   failurePolicy: Fail
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// operator:
    ///   replicaCount: 2
    /// metricsServer:
    ///   replicaCount: 1
    /// webhooks:
    ///   replicaCount: 2
    ///   failurePolicy: Fail
    /// podDisruptionBudget:
    ///   webhooks: {minAvailable: 1}
    /// ```
    ///
    /// ## References
    /// - kedacore/charts v2.20.2 keda/values.yaml `webhooks.failurePolicy`
    /// - kedacore/keda v2.20.2 cmd/webhooks/main.go (`LeaderElection: false`: every replica serves)
    pub KedaWebhookFailurePolicy {
        name: "keda-webhook-failure-policy",
        category: Notice,
        kinds: [KedaValues],
        summary: "the trade-off of the KEDA admission webhook's failure policy",
        since: "0.2.0",
        sources: ["kedacore/charts v2.20.2 keda/values.yaml: webhooks.failurePolicy"],
    }
}

impl Rule for KedaWebhookFailurePolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let v = Values { root: &obj.node };
        if !v.enabled(Component::Webhooks) {
            return;
        }
        let Some(policy) = v.get(&["webhooks", "failurePolicy"]) else { return };
        let (replicas, _) = v.replicas(Component::Webhooks);
        match policy.text() {
            Some("Ignore") => cx.report(
                Diagnostic::new("with `failurePolicy: Ignore`, a KEDA webhook that is down admits every KEDA object unchecked")
                    .primary(obj.file, policy.span.clone(), "admits everything while the webhook is down")
                    .help("keep `Ignore` and lint in CI, or use `Fail` with `webhooks.replicaCount: 2` and a PodDisruptionBudget"),
            ),
            Some("Fail") if replicas < 2 => cx.report(
                Diagnostic::new(format!("with `failurePolicy: Fail` and {replicas} webhook replica, a webhook restart blocks every change to KEDA objects"))
                    .primary(obj.file, policy.span.clone(), "blocks deploys while the webhook is down")
                    .help("set `webhooks.replicaCount: 2` and `podDisruptionBudget.webhooks: {minAvailable: 1}`"),
            ),
            _ => {}
        }
    }
}
