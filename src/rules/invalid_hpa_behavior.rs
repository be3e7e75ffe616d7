use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::{Kind, Object};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Checks an HPA `behavior` the way the API server validates it: in a ScaledObject's
    /// `advanced.horizontalPodAutoscalerConfig.behavior` (which KEDA copies verbatim into the HPA
    /// it creates) and in HorizontalPodAutoscaler manifests. Policy `type` must be `Pods` or
    /// `Percent`, `value` greater than 0, `periodSeconds` 1 to 1800, `selectPolicy` `Max`, `Min` or
    /// `Disabled`, `tolerance` not negative; in HPA manifests also `stabilizationWindowSeconds` 0 to
    /// 3600 and at least one policy (KEDA's CRD checks the window itself, and drops an empty list).
    ///
    /// ## Why is this bad?
    /// KEDA admits the ScaledObject, then the API server rejects the HPA KEDA creates
    /// (`failed to ensure HPA is correctly created for ScaledObject`) and the ScaledObject stays
    /// not ready.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   advanced:
    ///     horizontalPodAutoscalerConfig:
    ///       behavior:
    ///         scaleDown:
    ///           selectPolicy: Maximum
    ///           policies: [{type: Percentage, value: 0, periodSeconds: 3600}]
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
    ///   advanced:
    ///     horizontalPodAutoscalerConfig:
    ///       behavior:
    ///         scaleDown:
    ///           selectPolicy: Max
    ///           policies: [{type: Percent, value: 20, periodSeconds: 60}]
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "20"}}
    /// ```
    ///
    /// ## References
    /// - kubernetes/kubernetes pkg/apis/autoscaling/validation/validation.go `validateBehavior`, `validateScalingRules`, `validateScalingPolicy`
    /// - kedacore/keda v2.20.2 controllers/keda/hpa.go `newHPAForScaledObject`
    pub InvalidHpaBehavior {
        name: "invalid-hpa-behavior",
        category: Correctness,
        kinds: [ScaledObject, HorizontalPodAutoscaler],
        summary: "an HPA `behavior` that the API server rejects",
        since: "0.1.0",
        sources: ["kubernetes/kubernetes pkg/apis/autoscaling/validation/validation.go: validateBehavior"],
    }
}

fn check_rules(obj: &Object, dir: &str, rules: &Node, hpa_manifest: bool, cx: &mut RuleContext<'_>) {
    let mut report = |n: &Node, message: String, help: &str| {
        cx.report(Diagnostic::new(message).primary(obj.file, n.span.clone(), "rejected by the API server").help(help.to_owned()));
    };
    if let Some(sp) = rules.get("selectPolicy").filter(|s| !matches!(s.text(), Some("Max" | "Min" | "Disabled"))) {
        let v = sp.text().unwrap_or_default();
        let hint = crate::schema::validate::did_you_mean(v, ["Max", "Min", "Disabled"]).map_or("use `Max`, `Min` or `Disabled`".to_owned(), |s| format!("did you mean `{s}`?"));
        report(sp, format!("`{dir}.selectPolicy` must be `Max`, `Min` or `Disabled`, found `{v}`"), &hint);
    }
    if let Some(t) = rules.get("tolerance")
        && t.text().is_some_and(|v| v.trim_start().starts_with('-')) {
            report(t, format!("`{dir}.tolerance` must not be negative"), "use a non-negative quantity such as `0.1`");
        }
    if hpa_manifest {
        if let Some(w) = rules.get("stabilizationWindowSeconds").filter(|w| w.as_i64().is_some_and(|v| !(0..=3600).contains(&v))) {
            report(w, format!("`{dir}.stabilizationWindowSeconds` must be between 0 and 3600"), "use a window of at most one hour");
        }
        if let Some(p) = rules.get("policies").filter(|p| p.as_seq().is_some_and(<[Node]>::is_empty)) {
            report(p, format!("`{dir}.policies` must hold at least one policy"), "add a policy, or remove `policies` to get the defaults");
        }
    }
    for p in rules.get("policies").and_then(Node::as_seq).unwrap_or_default() {
        if let Some(t) = p.get("type").filter(|t| !matches!(t.text(), Some("Pods" | "Percent"))) {
            let v = t.text().unwrap_or_default();
            let hint = crate::schema::validate::did_you_mean(v, ["Pods", "Percent"]).map_or("use `Pods` or `Percent`".to_owned(), |s| format!("did you mean `{s}`?"));
            report(t, format!("policy `type` must be `Pods` or `Percent`, found `{v}`"), &hint);
        }
        if let Some(v) = p.get("value").filter(|v| v.as_i64().is_some_and(|x| x <= 0)) {
            report(v, "policy `value` must be greater than 0".into(), "to stop scaling in this direction use `selectPolicy: Disabled`");
        }
        if let Some(v) = p.get("periodSeconds").filter(|v| v.as_i64().is_some_and(|x| !(1..=1800).contains(&x))) {
            report(v, "policy `periodSeconds` must be between 1 and 1800".into(), "use a period of at most 30 minutes");
        }
    }
}

impl Rule for InvalidHpaBehavior {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let hpa = obj.kind == Kind::HorizontalPodAutoscaler;
        let behavior = if hpa { obj.spec().and_then(|s| s.get("behavior")) } else { obj.spec().and_then(|s| s.at(&["advanced", "horizontalPodAutoscalerConfig", "behavior"])) };
        let Some(behavior) = behavior else { return };
        for dir in ["scaleUp", "scaleDown"] {
            if let Some(rules) = behavior.get(dir) {
                check_rules(obj, dir, rules, hpa, cx);
            }
        }
    }
}
