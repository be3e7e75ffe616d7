//! The rule registry: the `Rule` trait, rule metadata and the `declare_rule!` macro.
//!
//! One file per rule, named after it (`duplicate_object.rs` / `DuplicateObject` /
//! `duplicate-object`), in this order: docs and metadata, a diagnostic constructor, `impl Rule`.
//! The doc comment is the rule's only documentation source: `kedalint explain` prints it and
//! `rules/<id>.md` is generated from it.
//!
//! Two sorts of rule share the registry. Object rules implement `check` and see one object at a
//! time with the whole-repository index. Source rules (`invalid-yaml`, `duplicate-key`,
//! `unreadable-file`, `helm-template-not-rendered`, `unused-suppression`) describe findings that
//! the reader, the parser or the suppression pass produce before or after any object exists; they
//! are declared here so that they have ids, docs, fixtures and configurable severity like the rest.

use crate::diagnostic::{Diagnostic, Severity};
use crate::index::RepoIndex;
use crate::model::{Kind, Object};

mod always_active_cron;
mod ambiguous_scalar;
mod conflicting_hpa;
mod cooldown_below_polling_interval;
mod cpu_memory_only_scale_to_zero;
mod cron_coverage_gap;
mod cron_day_or;
mod cron_desired_replicas_out_of_range;
mod cron_dst_window;
mod cron_metric_type_value;
mod dangling_scale_target;
mod dangling_secret_ref;
mod dangling_trigger_authentication;
mod deprecated_pod_identity;
mod deprecated_topology_key;
mod deprecated_trigger_parameter;
mod duplicate_hpa_name;
mod duplicate_key;
mod duplicate_object;
mod duplicate_scale_target;
mod duplicate_trigger_name;
mod fallback_replicas_out_of_range;
mod helm_template_not_rendered;
mod idle_replicas_not_below_min;
mod ineffective_cooldown;
mod ineffective_fallback;
mod ineffective_initial_cooldown;
mod ineffective_polling_interval;
mod invalid_api_version;
mod invalid_auth_file_path;
mod invalid_cpu_memory_trigger;
mod invalid_cron_timezone;
mod invalid_cron_trigger;
mod invalid_fallback;
mod invalid_hpa_behavior;
mod invalid_job_restart_policy;
mod invalid_oauth2;
mod invalid_pod_identity;
mod invalid_scale_target_ref;
mod invalid_scaling_modifiers;
mod invalid_trigger_parameter;
mod invalid_yaml;
mod keda_affinity_selector;
mod keda_affinity_selects_all_components;
mod keda_metrics_server_replicas;
mod keda_operator_resources;
mod keda_operator_single_replica;
mod keda_pdb_blocks_drain;
mod keda_pdb_invalid;
mod keda_pdb_missing;
mod keda_values_unknown_key;
mod keda_webhook_failure_policy;
mod low_polling_interval;
mod min_replicas_above_max;
mod missing_pod_anti_affinity;
mod missing_resource_requests;
mod missing_trigger_parameter;
mod never_active_cron;
mod overlapping_cron_triggers;
mod pdb_blocks_drain;
mod pdb_selects_nothing;
mod plaintext_secret;
mod render_failed;
mod render_skipped;
mod scale_down_disabled_with_zero;
mod scale_target_sets_replicas;
mod scale_to_zero_behind_pdb;
mod scaledjob_min_above_max;
mod scaledobject_name_too_long;
mod schema_violation;
mod slow_scale_up;
mod split_cron_profiles;
mod stabilization_outlasts_cooldown;
mod unknown_field;
mod unknown_keda_kind;
mod unknown_trigger_parameter;
mod unknown_trigger_type;
mod unreadable_file;
mod unstable_scale_down;
mod unsupported_cached_metrics;
mod unsupported_idle_replica_count;
mod unused_auth_parameter;
mod unresolved_applicationset_generator;
mod unused_suppression;
mod zero_metric_target;

pub use always_active_cron::AlwaysActiveCron;
pub use ambiguous_scalar::AmbiguousScalar;
pub use conflicting_hpa::ConflictingHpa;
pub use cooldown_below_polling_interval::CooldownBelowPollingInterval;
pub use cpu_memory_only_scale_to_zero::CpuMemoryOnlyScaleToZero;
pub use cron_coverage_gap::CronCoverageGap;
pub use cron_day_or::CronDayOr;
pub use cron_desired_replicas_out_of_range::CronDesiredReplicasOutOfRange;
pub use cron_dst_window::CronDstWindow;
pub use cron_metric_type_value::CronMetricTypeValue;
pub use dangling_scale_target::DanglingScaleTarget;
pub use dangling_secret_ref::DanglingSecretRef;
pub use dangling_trigger_authentication::{DanglingTriggerAuthentication, UnknownTriggerAuthentication};
pub use deprecated_pod_identity::DeprecatedPodIdentity;
pub use deprecated_topology_key::DeprecatedTopologyKey;
pub use deprecated_trigger_parameter::DeprecatedTriggerParameter;
pub use duplicate_hpa_name::DuplicateHpaName;
pub use duplicate_key::DuplicateKey;
pub use duplicate_object::DuplicateObject;
pub use duplicate_scale_target::DuplicateScaleTarget;
pub use duplicate_trigger_name::DuplicateTriggerName;
pub use fallback_replicas_out_of_range::FallbackReplicasOutOfRange;
pub use helm_template_not_rendered::HelmTemplateNotRendered;
pub use idle_replicas_not_below_min::IdleReplicasNotBelowMin;
pub use ineffective_cooldown::IneffectiveCooldown;
pub use ineffective_fallback::IneffectiveFallback;
pub use ineffective_initial_cooldown::IneffectiveInitialCooldown;
pub use ineffective_polling_interval::IneffectivePollingInterval;
pub use invalid_api_version::InvalidApiVersion;
pub use invalid_auth_file_path::InvalidAuthFilePath;
pub use invalid_cpu_memory_trigger::InvalidCpuMemoryTrigger;
pub use invalid_cron_timezone::InvalidCronTimezone;
pub use invalid_cron_trigger::InvalidCronTrigger;
pub use invalid_fallback::InvalidFallback;
pub use invalid_hpa_behavior::InvalidHpaBehavior;
pub use invalid_job_restart_policy::InvalidJobRestartPolicy;
pub use invalid_oauth2::InvalidOauth2;
pub use invalid_pod_identity::InvalidPodIdentity;
pub use invalid_scale_target_ref::InvalidScaleTargetRef;
pub use invalid_scaling_modifiers::InvalidScalingModifiers;
pub use invalid_trigger_parameter::InvalidTriggerParameter;
pub use invalid_yaml::InvalidYaml;
pub use keda_affinity_selector::KedaAffinitySelector;
pub use keda_affinity_selects_all_components::KedaAffinitySelectsAllComponents;
pub use keda_metrics_server_replicas::KedaMetricsServerReplicas;
pub use keda_operator_resources::KedaOperatorResources;
pub use keda_operator_single_replica::KedaOperatorSingleReplica;
pub use keda_pdb_blocks_drain::KedaPdbBlocksDrain;
pub use keda_pdb_invalid::KedaPdbInvalid;
pub use keda_pdb_missing::KedaPdbMissing;
pub use keda_values_unknown_key::KedaValuesUnknownKey;
pub use keda_webhook_failure_policy::KedaWebhookFailurePolicy;
pub use low_polling_interval::LowPollingInterval;
pub use min_replicas_above_max::MinReplicasAboveMax;
pub use missing_pod_anti_affinity::MissingPodAntiAffinity;
pub use missing_resource_requests::MissingResourceRequests;
pub use missing_trigger_parameter::MissingTriggerParameter;
pub use never_active_cron::NeverActiveCron;
pub use overlapping_cron_triggers::OverlappingCronTriggers;
pub use pdb_blocks_drain::PdbBlocksDrain;
pub use pdb_selects_nothing::PdbSelectsNothing;
pub use plaintext_secret::PlaintextSecret;
pub use render_failed::RenderFailed;
pub use render_skipped::RenderSkipped;
pub use scale_down_disabled_with_zero::ScaleDownDisabledWithZero;
pub use scale_target_sets_replicas::ScaleTargetSetsReplicas;
pub use scale_to_zero_behind_pdb::ScaleToZeroBehindPdb;
pub use scaledjob_min_above_max::ScaledjobMinAboveMax;
pub use scaledobject_name_too_long::ScaledobjectNameTooLong;
pub use schema_violation::SchemaViolation;
pub use slow_scale_up::SlowScaleUp;
pub use split_cron_profiles::SplitCronProfiles;
pub use stabilization_outlasts_cooldown::StabilizationOutlastsCooldown;
pub use unknown_field::UnknownField;
pub use unknown_keda_kind::UnknownKedaKind;
pub use unknown_trigger_parameter::UnknownTriggerParameter;
pub use unknown_trigger_type::UnknownTriggerType;
pub use unreadable_file::UnreadableFile;
pub use unstable_scale_down::UnstableScaleDown;
pub use unsupported_cached_metrics::UnsupportedCachedMetrics;
pub use unsupported_idle_replica_count::UnsupportedIdleReplicaCount;
pub use unused_auth_parameter::UnusedAuthParameter;
pub use unresolved_applicationset_generator::UnresolvedApplicationsetGenerator;
pub use unused_suppression::UnusedSuppression;
pub use zero_metric_target::ZeroMetricTarget;

/// Every rule, sorted by id.
pub static ALL: &[&dyn Rule] = &[
    &AlwaysActiveCron,
    &AmbiguousScalar,
    &ConflictingHpa,
    &CooldownBelowPollingInterval,
    &CpuMemoryOnlyScaleToZero,
    &CronCoverageGap,
    &CronDayOr,
    &CronDesiredReplicasOutOfRange,
    &CronDstWindow,
    &CronMetricTypeValue,
    &DanglingScaleTarget,
    &DanglingSecretRef,
    &DanglingTriggerAuthentication,
    &DeprecatedPodIdentity,
    &DeprecatedTopologyKey,
    &DeprecatedTriggerParameter,
    &DuplicateHpaName,
    &DuplicateKey,
    &DuplicateObject,
    &DuplicateScaleTarget,
    &DuplicateTriggerName,
    &FallbackReplicasOutOfRange,
    &HelmTemplateNotRendered,
    &IdleReplicasNotBelowMin,
    &IneffectiveCooldown,
    &IneffectiveFallback,
    &IneffectiveInitialCooldown,
    &IneffectivePollingInterval,
    &InvalidApiVersion,
    &InvalidAuthFilePath,
    &InvalidCpuMemoryTrigger,
    &InvalidCronTimezone,
    &InvalidCronTrigger,
    &InvalidFallback,
    &InvalidHpaBehavior,
    &InvalidJobRestartPolicy,
    &InvalidOauth2,
    &InvalidPodIdentity,
    &InvalidScaleTargetRef,
    &InvalidScalingModifiers,
    &InvalidTriggerParameter,
    &InvalidYaml,
    &KedaAffinitySelector,
    &KedaAffinitySelectsAllComponents,
    &KedaMetricsServerReplicas,
    &KedaOperatorResources,
    &KedaOperatorSingleReplica,
    &KedaPdbBlocksDrain,
    &KedaPdbInvalid,
    &KedaPdbMissing,
    &KedaValuesUnknownKey,
    &KedaWebhookFailurePolicy,
    &LowPollingInterval,
    &MinReplicasAboveMax,
    &MissingPodAntiAffinity,
    &MissingResourceRequests,
    &MissingTriggerParameter,
    &NeverActiveCron,
    &OverlappingCronTriggers,
    &PdbBlocksDrain,
    &PdbSelectsNothing,
    &PlaintextSecret,
    &RenderFailed,
    &RenderSkipped,
    &ScaleDownDisabledWithZero,
    &ScaleTargetSetsReplicas,
    &ScaleToZeroBehindPdb,
    &ScaledjobMinAboveMax,
    &ScaledobjectNameTooLong,
    &SchemaViolation,
    &SlowScaleUp,
    &SplitCronProfiles,
    &StabilizationOutlastsCooldown,
    &UnknownField,
    &UnknownKedaKind,
    &UnknownTriggerAuthentication,
    &UnknownTriggerParameter,
    &UnknownTriggerType,
    &UnreadableFile,
    &UnresolvedApplicationsetGenerator,
    &UnstableScaleDown,
    &UnsupportedCachedMetrics,
    &UnsupportedIdleReplicaCount,
    &UnusedAuthParameter,
    &UnusedSuppression,
    &ZeroMetricTarget,
];

pub fn find(name: &str) -> Option<&'static dyn Rule> {
    ALL.iter().copied().find(|r| r.meta().name == name)
}

/// A rule's category sets its default severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// What KEDA, the API server or the parser rejects, or what cannot work: error.
    Correctness,
    /// Accepted, but almost certainly not what the author meant: warning.
    Suspicious,
    /// Works, but a known better way exists: warning.
    BestPractice,
    /// Worth knowing, not wrong: info.
    Notice,
}

impl Category {
    pub const ALL: [Category; 4] = [Category::Correctness, Category::Suspicious, Category::BestPractice, Category::Notice];

    pub fn name(self) -> &'static str {
        match self {
            Category::Correctness => "correctness",
            Category::Suspicious => "suspicious",
            Category::BestPractice => "best-practice",
            Category::Notice => "notice",
        }
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Category::Correctness => Severity::Error,
            Category::Suspicious | Category::BestPractice => Severity::Warning,
            Category::Notice => Severity::Info,
        }
    }

    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }
}

#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case id, used in config, suppressions, SARIF; never reused.
    pub name: &'static str,
    pub category: Category,
    /// The object kinds `check` is called for; empty for source rules.
    pub kinds: &'static [Kind],
    /// One line, lowercase, no trailing period.
    pub summary: &'static str,
    /// The doc comment, as Markdown.
    pub docs: &'static str,
    /// The kedalint version that added the rule.
    pub since: &'static str,
    /// What the rule enforces: KEDA source functions or docs pages.
    pub sources: &'static [&'static str],
}

impl RuleMeta {
    pub fn url(&self) -> String {
        format!("{}/rules/{}.md", crate::REPOSITORY_URL, self.name)
    }
}

pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Called once for each object whose kind is in `meta().kinds`. May read all of `cx.index`, but
    /// must report only problems of `obj` (secondary labels may point anywhere). Never chooses a
    /// severity or checks whether it is enabled: the engine does both from the configuration. The
    /// one exception is version history: a finding that the configured KEDA version still admits
    /// is marked with `Diagnostic::admitted_by_keda`, and the engine reports it one level lower.
    fn check(&self, _obj: &Object, _cx: &mut RuleContext<'_>) {}
}

/// What a rule sees while checking one object.
pub struct RuleContext<'a> {
    pub index: &'a RepoIndex,
    pub config: &'a crate::config::Config,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> RuleContext<'a> {
    pub fn new(index: &'a RepoIndex, config: &'a crate::config::Config) -> Self {
        RuleContext { index, config, diagnostics: Vec::new() }
    }

    pub fn report(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}

/// Declares a rule's unit struct and its `META`, with the `///` doc comment captured as its docs.
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub $ty:ident {
        name: $name:literal, category: $cat:ident, kinds: [$($kind:ident),*],
        summary: $summary:literal, since: $since:literal, sources: [$($src:literal),* $(,)?] $(,)?
    }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        pub struct $ty;
        impl $ty {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                name: $name,
                category: $crate::rules::Category::$cat,
                kinds: &[$($crate::model::Kind::$kind),*],
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
                since: $since,
                sources: &[$($src),*],
            };
        }
    };
}
pub(crate) use declare_rule;

/// For source rules: the registry entry, nothing to check per object.
macro_rules! source_rule {
    ($ty:ident) => {
        impl $crate::rules::Rule for $ty {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &Self::META
            }
        }
    };
}
pub(crate) use source_rule;
