use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::scalers::Catalogue;

declare_rule! {
    /// ## What it does
    /// Reports a trigger `type` that the configured KEDA version does not build, with the closest
    /// known type (`rabbitmq-queue` → `rabbitmq`), and types KEDA removed (`stan`, removed in 2.19,
    /// replaced by `nats-jetstream`) or added later than `keda-version`.
    ///
    /// ## Why is this bad?
    /// The CRD accepts any string, so the object is admitted; then KEDA fails to build the
    /// scaler (`no scaler found for type: rabbitmq-queue`) and the ScaledObject never becomes ready.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - {type: rabbitmq-queue, metadata: {queueName: q, mode: QueueLength, value: "5"}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml,pass
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: worker}
    /// spec:
    ///   scaleTargetRef: {name: worker}
    ///   triggers:
    ///     - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: "5"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/scaling/scalers_builder.go `buildScaler`
    /// - the catalogue, rules/scalers.yaml
    pub UnknownTriggerType {
        name: "unknown-trigger-type",
        category: Correctness,
        kinds: [ScaledObject, ScaledJob],
        summary: "a trigger `type` that KEDA does not build",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scaling/scalers_builder.go: buildScaler"],
    }
}

impl Rule for UnknownTriggerType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let catalogue = Catalogue::get();
        let version = cx.config.keda_version;
        for t in obj.triggers() {
            let Some(ty) = &t.type_ else { continue };
            if ty.value.is_empty() || catalogue.type_exists(ty.value, version) {
                continue;
            }
            let (major, minor) = version;
            let help = match catalogue.types.get(ty.value) {
                Some(info) if info.removed.is_some_and(|r| version >= r) => {
                    let (a, b) = info.removed.unwrap_or_default();
                    format!("`{}` was removed in KEDA {a}.{b}{}", ty.value, info.replacement.as_ref().map_or(String::new(), |r| format!("; use `{r}`")))
                }
                Some(info) => {
                    let (a, b) = info.since.unwrap_or_default();
                    format!("`{}` arrived in KEDA {a}.{b}; `keda-version` is {major}.{minor}", ty.value)
                }
                None => {
                    let known = catalogue.types.keys().filter(|k| catalogue.type_exists(k, version)).map(String::as_str);
                    match crate::schema::validate::did_you_mean(ty.value, known) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "see https://keda.sh/docs/latest/scalers/ for the trigger types".to_owned(),
                    }
                }
            };
            cx.report(
                Diagnostic::new(format!("no scaler of type `{}` in KEDA {major}.{minor}", ty.value))
                    .primary(obj.file, ty.span.clone(), "unknown trigger type")
                    .help(help)
                    .note(format!("KEDA fails with `no scaler found for type: {}`", ty.value)),
            );
        }
    }
}
