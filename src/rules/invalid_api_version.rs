use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::{Object, KEDA_GROUP, KEDA_VERSION};
use crate::schema::validate::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Reports a ScaledObject, ScaledJob, TriggerAuthentication or ClusterTriggerAuthentication
    /// whose `apiVersion` is missing (often a mistyped key such as `piVersion:`) or is not
    /// `keda.sh/v1alpha1`, the only version KEDA serves.
    ///
    /// ## Why is this bad?
    /// Without `apiVersion` the object cannot be applied at all; with another version (`keda.sh/v1`,
    /// `keda.k8s.io/v1alpha1` from KEDA 1.x) the API server answers "no matches for kind".
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1
    /// kind: ScaledObject
    /// metadata:
    ///   name: worker
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - type: cpu
    ///       metricType: Utilization
    ///       metadata: {value: "60"}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata:
    ///   name: worker
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - type: cpu
    ///       metricType: Utilization
    ///       metadata: {value: "60"}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 apis/keda/v1alpha1/groupversion_info.go (`keda.sh`, `v1alpha1`)
    pub InvalidApiVersion {
        name: "invalid-api-version",
        category: Correctness,
        kinds: [ScaledObject, ScaledJob, TriggerAuthentication, ClusterTriggerAuthentication],
        summary: "a KEDA object's `apiVersion` is missing or is not `keda.sh/v1alpha1`",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 apis/keda/v1alpha1/groupversion_info.go"],
    }
}

fn expected() -> String {
    format!("{KEDA_GROUP}/{KEDA_VERSION}")
}

impl Rule for InvalidApiVersion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let kind = obj.kind_str();
        match &obj.api_version {
            Some(a) if a.value == expected() => {}
            Some(a) => cx.report(
                Diagnostic::new(format!("`{kind}` is served as `{}`, not `{}`", expected(), a.value))
                    .primary(obj.file, a.span.clone(), "unknown version for this kind")
                    .help(format!("use `apiVersion: {}`", expected())),
            ),
            None => {
                let keys: Vec<&str> = obj.node.as_map().unwrap_or_default().iter().filter_map(|e| e.key.text()).collect();
                let typo = did_you_mean("apiVersion", keys.iter().copied());
                let mut d = Diagnostic::new(format!("`{kind}` has no `apiVersion`"));
                d = match typo.as_deref().and_then(|t| obj.node.entry(t)) {
                    Some(e) => d
                        .primary(obj.file, e.key.span.clone(), "is this meant to be `apiVersion`?")
                        .help(format!("rename `{}` to `apiVersion`", e.key.text().unwrap_or_default())),
                    None => d
                        .primary(obj.file, obj.kind_name.as_ref().map_or(obj.node.span.clone(), |k| k.span.clone()), "object without `apiVersion`")
                        .help(format!("add `apiVersion: {}`", expected())),
                };
                cx.report(d);
            }
        }
    }
}
