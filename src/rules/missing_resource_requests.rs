use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::{Kind, Object, ObjectKey};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// For each `cpu` or `memory` trigger of a ScaledObject that targets an `apps/v1`
    /// Deployment or StatefulSet in the repository, checks that every container of the pod
    /// template (or only the one named by the trigger's `containerName`) sets a request or a
    /// limit for that resource greater than 0, unless a LimitRange of type `Container` in the
    /// namespace gives a default. Init containers do not count, as in KEDA.
    ///
    /// ## Why is this bad?
    /// KEDA's webhook rejects the ScaledObject: `the scaledobject has a cpu trigger but the
    /// container app doesn't have the cpu request defined`. The HPA computes utilization as a
    /// share of the request; without one it cannot compute anything.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec:
    ///       containers: [{name: app, image: "web:1"}]
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   minReplicaCount: 1
    ///   triggers:
    ///     - {type: cpu, metricType: Utilization, metadata: {value: "60"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: web}
    /// spec:
    ///   selector: {matchLabels: {app: web}}
    ///   template:
    ///     metadata: {labels: {app: web}}
    ///     spec:
    ///       containers: [{name: app, image: "web:1", resources: {requests: {cpu: 250m}}}]
    /// ---
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   minReplicaCount: 1
    ///   triggers:
    ///     - {type: cpu, metricType: Utilization, metadata: {value: "60"}}
    /// ```
    ///
    /// ## Known problems
    /// Workloads outside the repository are not checked (`dangling-scale-target` says so).
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go `verifyCPUMemoryScalers`, `isWorkloadResourceSet`, `isContainerResourceSetInLimitRangeObject`
    pub MissingResourceRequests {
        name: "missing-resource-requests",
        category: Correctness,
        kinds: [ScaledObject],
        summary: "a cpu or memory trigger targets containers without that resource's request or limit",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go: verifyCPUMemoryScalers"],
    }
}

/// A Kubernetes quantity greater than zero (unparsable quantities are the API server's to reject).
pub fn quantity_positive(n: &Node) -> bool {
    let t = n.text().unwrap_or("").trim();
    let num: String = t.chars().take_while(|c| c.is_ascii_digit() || matches!(c, '.' | '+' | '-')).collect();
    num.parse::<f64>().map_or(true, |v| v > 0.0)
}

fn container_has(c: &Node, res: &str) -> bool {
    ["requests", "limits"].iter().any(|k| c.at(&["resources", k, res]).is_some_and(quantity_positive))
}

/// The apps/v1 Deployment or StatefulSet a ScaledObject targets, when the repository has it.
pub fn target_workload<'a>(so: &Object, cx: &RuleContext<'a>) -> Option<&'a Object> {
    let t = so.scale_target()?;
    let gvk = t.gvk().ok()?;
    if !gvk.is_apps_v1_workload() {
        return None;
    }
    let key = ObjectKey { group: "apps".into(), kind: gvk.kind.into(), namespace: so.namespace.as_str().into(), name: t.name.value.into() };
    cx.index.get(&key)
}

fn limit_range_default(cx: &RuleContext<'_>, ns: &str, res: &str) -> bool {
    cx.index.in_namespace(ns, Kind::LimitRange).any(|lr| {
        lr.spec().and_then(|s| s.get("limits")).and_then(Node::as_seq).unwrap_or_default().iter().any(|item| {
            item.get("type").and_then(Node::text) == Some("Container")
                && ["default", "defaultRequest"].iter().any(|k| item.at(&[k, res]).is_some_and(quantity_positive))
        })
    })
}

impl Rule for MissingResourceRequests {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let triggers = so.triggers();
        if !triggers.iter().any(|t| t.is_cpu_or_memory()) {
            return;
        }
        let Some(workload) = target_workload(so, cx) else { return };
        let Some(containers) = workload.workload().and_then(|w| w.pod_spec).and_then(|p| p.get("containers")).and_then(Node::as_seq) else { return };
        for t in triggers.iter().filter(|t| t.is_cpu_or_memory()) {
            let res = t.type_str();
            if limit_range_default(cx, &so.namespace, res) {
                continue;
            }
            let only = t.meta("containerName").and_then(Node::text).filter(|n| !n.is_empty());
            let missing = containers.iter().find(|c| only.is_none_or(|n| c.get("name").and_then(Node::text) == Some(n)) && !container_has(c, res));
            if let Some(c) = missing {
                let cname = c.get("name").and_then(Node::text).unwrap_or("<unnamed>");
                cx.report(
                    Diagnostic::new(format!("`{res}` trigger, but container `{cname}` of {} `{}` has no {res} request or limit", workload.kind_str(), workload.name()))
                        .primary(so.file, t.span(), format!("{res} trigger"))
                        .secondary(workload.file, c.get("name").map_or(c.span.clone(), |n| n.span.clone()), format!("no `resources.requests.{res}` here"))
                        .help(format!("set `resources.requests.{res}` on the container (or a LimitRange default in namespace `{}`)", so.namespace))
                        .note(format!("KEDA rejects it: `the scaledobject has a {res} trigger but the container {cname} doesn't have the {res} request defined`")),
                );
            }
        }
    }
}
