use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::{Object, ObjectKey};

declare_rule! {
    /// ## What it does
    /// Says, once per ScaledObject, that its target workload is not in the linted files, so the
    /// checks that need the workload (resource requests for cpu/memory triggers) were skipped.
    ///
    /// ## Why is this bad?
    /// It is not wrong in itself: the workload may come from a Helm chart or another
    /// repository. But KEDA rejects a ScaledObject with cpu or memory triggers whose Deployment
    /// does not exist yet (`deployments.apps "web" not found`), and a misspelled target name
    /// looks exactly like this.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "5"}}
    /// ```
    ///
    /// Use instead: lint the workload together with its ScaledObject.
    /// ```yaml,pass
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
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "5"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go `verifyCPUMemoryScalers`, `getFromCacheOrDirect`
    /// - kube-linter `dangling-horizontalpodautoscaler`, the model for this rule
    pub DanglingScaleTarget {
        name: "dangling-scale-target",
        category: Notice,
        kinds: [ScaledObject],
        summary: "the workload a ScaledObject targets is not in the linted files",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go: verifyCPUMemoryScalers"],
    }
}

impl Rule for DanglingScaleTarget {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, so: &Object, cx: &mut RuleContext<'_>) {
        let Some(t) = so.scale_target() else { return };
        let Ok(gvk) = t.gvk() else { return };
        let key = ObjectKey { group: gvk.group.as_str().into(), kind: gvk.kind.as_str().into(), namespace: so.namespace.as_str().into(), name: t.name.value.as_str().into() };
        if cx.index.get(&key).is_none() {
            cx.report(
                Diagnostic::new(format!("target {} `{}` is not in the linted files; checks that need it were skipped", gvk.kind, t.name.value))
                    .primary(so.file, t.name.span.clone(), "target not found")
                    .help("lint the workload's manifests together with the ScaledObject, or check the name"),
            );
        }
    }
}
