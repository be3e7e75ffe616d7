use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::{Object, KEDA_GROUP, KEDA_KINDS};
use crate::schema::validate::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Reports an object in the `keda.sh` API group whose `kind` KEDA does not define, such as
    /// `Scaledobject` or `TriggerAuth`, with the kind it most likely means.
    ///
    /// ## Why is this bad?
    /// The API server answers "no matches for kind" and the object is never created; kinds are
    /// case-sensitive.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: Scaledobject
    /// metadata:
    ///   name: worker
    /// spec:
    ///   scaleTargetRef: {name: worker}
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
    /// - kedacore/keda v2.20.2 config/crd/bases/ (the four `keda.sh` kinds)
    pub UnknownKedaKind {
        name: "unknown-keda-kind",
        category: Correctness,
        kinds: [Other],
        summary: "an object in the `keda.sh` group has a kind KEDA does not define",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 config/crd/bases/"],
    }
}

/// Kinds in `keda.sh` that are not KEDA's scaling API (kedacore/keda-olm-operator `KedaController`).
const OTHER_KEDA_KINDS: [&str; 1] = ["KedaController"];

impl Rule for UnknownKedaKind {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        if !obj.group().eq_ignore_ascii_case(KEDA_GROUP) {
            return;
        }
        let Some(kind) = &obj.kind_name else { return };
        // The KEDA OLM operator's install resource shares the group; it is not linted here.
        if OTHER_KEDA_KINDS.contains(&kind.value.as_str()) {
            return;
        }
        let mut d = Diagnostic::new(format!("`{}` is not a kind of the `{KEDA_GROUP}` API group", kind.value))
            .primary(obj.file, kind.span.clone(), "unknown kind");
        d = match did_you_mean(&kind.value, KEDA_KINDS) {
            Some(k) => d.help(format!("did you mean `{k}`?")),
            None => d.help(format!("use one of {}", KEDA_KINDS.map(|k| format!("`{k}`")).join(", "))),
        };
        cx.report(d);
    }
}
