use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports `metricType: Value` on a cron trigger.
    ///
    /// ## Why is this bad?
    /// A cron trigger reports `desiredReplicas` as its metric against a target of 1. With the
    /// default `AverageValue` the HPA divides by the current replica count and settles at
    /// `desiredReplicas`; with `Value` it multiplies the current count by `desiredReplicas` at every
    /// sync, and the workload runs away to `maxReplicaCount`.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   triggers:
    ///     - {type: cron, metricType: Value, metadata: {timezone: UTC, start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: "3"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   triggers:
    ///     - {type: cron, metadata: {timezone: UTC, start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: "3"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/scalers/cron_scaler.go `GetMetricSpecForScaling`; rules.md §2.4
    pub CronMetricTypeValue {
        name: "cron-metric-type-value",
        category: Correctness,
        kinds: [ScaledObject],
        summary: "`metricType: Value` on a cron trigger makes the HPA scale without bound",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scalers/cron_scaler.go: GetMetricSpecForScaling"],
    }
}

impl Rule for CronMetricTypeValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        for t in so.triggers().iter().filter(|t| t.type_str() == "cron") {
            if let Some(m) = t.node.get("metricType").filter(|m| m.text() == Some("Value")) {
                cx.report(
                    Diagnostic::new("`metricType: Value` on a cron trigger multiplies the replica count at every HPA sync")
                        .primary(so.file, m.span.clone(), "runaway scaling")
                        .help("remove `metricType` (the default `AverageValue` holds the count at `desiredReplicas`)"),
                );
            }
        }
    }
}
