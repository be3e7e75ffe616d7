use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::schema::validate::{SchemaError, SchemaErrorKind};

declare_rule! {
    /// ## What it does
    /// Validates ScaledObjects, ScaledJobs, TriggerAuthentications and
    /// ClusterTriggerAuthentications against KEDA's CRD schema (v2.20 by default, or the CRDs
    /// given with `--crd`): types, required fields, enums and bounds. Each error points at the
    /// offending value, or at the object that lacks a required field. As the API server does, an
    /// explicit `null` on a field that is not nullable is dropped before validating (so `kind:`
    /// with no value under `scaleTargetRef` is fine), and a null on a required field is reported
    /// as that field missing, at the null.
    ///
    /// ## Why is this bad?
    /// The API server validates custom resources against the CRD's OpenAPI schema before KEDA's
    /// admission webhook ever sees them, and rejects the whole object on the first violation.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata:
    ///   name: worker
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   pollingInterval: 0
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
    ///   pollingInterval: 30
    ///   triggers:
    ///     - type: cpu
    ///       metricType: Utilization
    ///       metadata: {value: "60"}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 config/crd/bases/keda.sh_scaledobjects.yaml (and the other CRDs)
    /// - kedacore/keda v2.20.2 config/crd/patches/ (stabilization window bounds, ScaledJob triggers)
    /// - kubernetes apiextensions-apiserver pkg/apiserver/schema/defaulting/prunenulls.go (`PruneNonNullableNullsWithoutDefaults`)
    pub SchemaViolation {
        name: "schema-violation",
        category: Correctness,
        kinds: [ScaledObject, ScaledJob, TriggerAuthentication, ClusterTriggerAuthentication],
        summary: "a KEDA object does not match KEDA's CRD schema",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 config/crd/bases/"],
    }
}

pub(super) fn schema_diagnostic(obj: &Object, e: &SchemaError) -> Diagnostic {
    let d = Diagnostic::new(e.message.clone()).primary(obj.file, e.span.clone(), e.label.clone());
    match &e.help {
        Some(h) => d.help(h.clone()),
        None => d,
    }
}

impl Rule for SchemaViolation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        for e in &cx.index.schema_errors[obj.id] {
            if e.kind == SchemaErrorKind::Violation {
                cx.report(schema_diagnostic(obj, e));
            }
        }
    }
}
