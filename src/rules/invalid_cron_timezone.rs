use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::cron::trigger::Refusal;
use crate::diagnostic::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a cron trigger `timezone` (or a `TZ=` prefix) that is not an IANA zone name as Go's
    /// `time.LoadLocation` reads it: names are case-sensitive (`europe/berlin` fails) and offsets
    /// (`+01:00`, `GMT+1`) are not names. Suggests the closest zone (`Europe/Berln` →
    /// `Europe/Berlin`).
    ///
    /// ## Why is this bad?
    /// KEDA does not check the zone when the ScaledObject is created. It then fails on every
    /// poll (`unable to load timezone: unknown time zone Europe/Berln`), and the window never
    /// opens.
    ///
    /// ## Example
    /// ```yaml,fail
    /// apiVersion: keda.sh/v1alpha1
    /// kind: ScaledObject
    /// metadata: {name: web}
    /// spec:
    ///   scaleTargetRef: {name: web}
    ///   triggers:
    ///     - {type: cron, metadata: {timezone: Europe/Berln, start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: "3"}}
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
    ///     - {type: cron, metadata: {timezone: Europe/Berlin, start: "0 8 * * *", end: "0 20 * * *", desiredReplicas: "3"}}
    /// ```
    ///
    /// ## References
    /// - kedacore/keda v2.20.2 pkg/scalers/cron_scaler.go `GetMetricsAndActivity` (`time.LoadLocation` on every poll)
    /// - Go `time.LoadLocation`; the IANA time zone database
    pub InvalidCronTimezone {
        name: "invalid-cron-timezone",
        category: Correctness,
        kinds: [ScaledObject, ScaledJob],
        summary: "a cron trigger's time zone does not exist, so it fails on every poll",
        since: "0.1.0",
        sources: ["kedacore/keda v2.20.2 pkg/scalers/cron_scaler.go: GetMetricsAndActivity"],
    }
}

fn suggest(name: &str) -> Option<String> {
    let names = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name());
    names.clone().find(|n| n.eq_ignore_ascii_case(name)).map(str::to_owned).or_else(|| crate::schema::validate::did_you_mean(name, names))
}

impl Rule for InvalidCronTimezone {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, obj: &Object, cx: &mut RuleContext<'_>) {
        let triggers = obj.triggers();
        for ct in &cx.index.cron[obj.id] {
            let Err(Refusal::EveryPoll(e)) = &ct.result else { continue };
            let t = &triggers[ct.index];
            let Some(tz) = t.meta("timezone") else { continue };
            let name = tz.text().unwrap_or_default().trim();
            let help = suggest(name).map_or("use an IANA zone name such as `Europe/Berlin` or `UTC` (names are case-sensitive)".to_owned(), |s| format!("did you mean `{s}`?"));
            cx.report(
                Diagnostic::new(format!("`{name}` is not a time zone KEDA can load; the trigger fails on every poll"))
                    .primary(obj.file, tz.span.clone(), "unknown time zone")
                    .help(help)
                    .note(format!("KEDA admits the ScaledObject, then logs `{e}` at each poll")),
            );
        }
    }
}
