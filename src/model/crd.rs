//! KEDA v2.20's API (`keda.sh/v1alpha1`) as Rust types, for schema generation.
//!
//! Written from KEDA's Go types (apis/keda/v1alpha1/*_types.go at v2.20.2) and checked field by field
//! against KEDA's real CRDs by `tests/schema_conformance.rs`. Status subresources are not modelled:
//! manifests in Git do not carry them. The types are never deserialized: rules read the spanned
//! tree, leniently; these types exist so that `kedalint schema export` and the validator agree with
//! one source.

use k8s_openapi::api::batch::v1::JobSpec;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `spec` of a ScaledObject (scaledobject_types.go `ScaledObjectSpec`).
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[kube(group = "keda.sh", version = "v1alpha1", kind = "ScaledObject", namespaced, shortname = "so")]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [{
    "rule": "!has(self.minReplicaCount) || self.minReplicaCount <= (has(self.maxReplicaCount) ? self.maxReplicaCount : 100)",
    "message": "minReplicaCount must be less than or equal to maxReplicaCount"
}]))]
pub struct ScaledObjectSpec {
    pub scale_target_ref: ScaleTarget,
    #[schemars(range(min = 1))]
    pub polling_interval: Option<i32>,
    #[schemars(range(min = 0))]
    pub initial_cooldown_period: Option<i32>,
    #[schemars(range(min = 0))]
    pub cooldown_period: Option<i32>,
    #[schemars(range(min = 0))]
    pub idle_replica_count: Option<i32>,
    #[schemars(range(min = 0))]
    pub min_replica_count: Option<i32>,
    #[schemars(range(min = 1))]
    pub max_replica_count: Option<i32>,
    pub advanced: Option<AdvancedConfig>,
    #[schemars(length(min = 1))]
    pub triggers: Vec<ScaleTriggers>,
    pub fallback: Option<Fallback>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScaleTarget {
    #[schemars(length(min = 1))]
    pub name: String,
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub env_source_container_name: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdvancedConfig {
    pub horizontal_pod_autoscaler_config: Option<HorizontalPodAutoscalerConfig>,
    pub restore_to_original_replica_count: Option<bool>,
    pub scaling_modifiers: Option<ScalingModifiers>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HorizontalPodAutoscalerConfig {
    pub name: Option<String>,
    pub behavior: Option<HpaBehavior>,
}

/// autoscaling/v2 `HorizontalPodAutoscalerBehavior`, with the stabilization bounds KEDA's CRD patch
/// adds (config/crd/patches/scaledobject_patch.yaml, kedacore/keda#4976).
#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HpaBehavior {
    pub scale_up: Option<HpaScalingRules>,
    pub scale_down: Option<HpaScalingRules>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HpaScalingRules {
    #[schemars(range(min = 0, max = 3600))]
    pub stabilization_window_seconds: Option<i32>,
    pub select_policy: Option<String>,
    pub policies: Option<Vec<HpaScalingPolicy>>,
    #[serde(default)]
    #[schemars(schema_with = "quantity_schema")]
    pub tolerance: Option<IntOrString>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HpaScalingPolicy {
    #[serde(rename = "type")]
    pub type_: String,
    pub value: i32,
    pub period_seconds: i32,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScalingModifiers {
    pub formula: Option<String>,
    pub target: Option<String>,
    pub activation_target: Option<String>,
    pub metric_type: Option<ModifierMetricType>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
pub enum ModifierMetricType {
    AverageValue,
    Value,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Fallback {
    #[schemars(range(min = 0))]
    pub failure_threshold: i32,
    #[schemars(range(min = 0))]
    pub replicas: i32,
    #[serde(default = "default_fallback_behavior")]
    pub behavior: Option<FallbackBehavior>,
}

fn default_fallback_behavior() -> Option<FallbackBehavior> {
    Some(FallbackBehavior::Static)
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum FallbackBehavior {
    Static,
    CurrentReplicas,
    CurrentReplicasIfHigher,
    CurrentReplicasIfLower,
    ScalingModifiers,
}

/// One trigger (scaletriggers_types.go `ScaleTriggers`), shared by ScaledObject and ScaledJob.
#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScaleTriggers {
    #[serde(rename = "type")]
    #[schemars(length(min = 1))]
    pub type_: String,
    pub name: Option<String>,
    pub use_cached_metrics: Option<bool>,
    pub metadata: BTreeMap<String, String>,
    pub authentication_ref: Option<AuthenticationRef>,
    /// Not on ScaledJob: KEDA's CRD patch removes it there.
    pub metric_type: Option<String>,
}

/// A trigger as ScaledJob's CRD has it: no `metricType` (config/crd/patches/scaledjob_patch.yaml).
#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobScaleTriggers {
    #[serde(rename = "type")]
    #[schemars(length(min = 1))]
    pub type_: String,
    pub name: Option<String>,
    pub use_cached_metrics: Option<bool>,
    pub metadata: BTreeMap<String, String>,
    pub authentication_ref: Option<AuthenticationRef>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationRef {
    pub name: String,
    pub kind: Option<AuthKind>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
pub enum AuthKind {
    TriggerAuthentication,
    ClusterTriggerAuthentication,
}

/// `spec` of a ScaledJob (scaledjob_types.go `ScaledJobSpec`).
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[kube(group = "keda.sh", version = "v1alpha1", kind = "ScaledJob", namespaced, shortname = "sj")]
#[serde(rename_all = "camelCase")]
pub struct ScaledJobSpec {
    pub job_target_ref: JobSpec,
    #[schemars(range(min = 1))]
    pub polling_interval: Option<i32>,
    #[schemars(range(min = 0))]
    pub successful_jobs_history_limit: Option<i32>,
    #[schemars(range(min = 0))]
    pub failed_jobs_history_limit: Option<i32>,
    pub env_source_container_name: Option<String>,
    #[schemars(range(min = 0))]
    pub min_replica_count: Option<i32>,
    #[schemars(range(min = 1))]
    pub max_replica_count: Option<i32>,
    /// Deprecated since KEDA 2.8 in favour of `rollout.strategy`, still honoured.
    pub rollout_strategy: Option<RolloutStrategy>,
    pub rollout: Option<Rollout>,
    pub scaling_strategy: Option<ScalingStrategy>,
    #[schemars(length(min = 1))]
    pub triggers: Vec<JobScaleTriggers>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RolloutStrategy {
    Gradual,
    Immediate,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Rollout {
    pub strategy: Option<RolloutStrategy>,
    pub propagation_policy: Option<PropagationPolicy>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum PropagationPolicy {
    Foreground,
    Background,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScalingStrategy {
    pub strategy: Option<JobStrategy>,
    pub custom_scaling_queue_length_deduction: Option<i32>,
    pub custom_scaling_running_job_percentage: Option<String>,
    pub pending_pod_conditions: Option<Vec<String>>,
    pub multiple_scalers_calculation: Option<MultipleScalersCalculation>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum JobStrategy {
    Default,
    Custom,
    Accurate,
    Eager,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum MultipleScalersCalculation {
    Min,
    Avg,
    Sum,
    Max,
}

/// `spec` of TriggerAuthentication and ClusterTriggerAuthentication (triggerauthentication_types.go).
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[kube(group = "keda.sh", version = "v1alpha1", kind = "TriggerAuthentication", namespaced, shortname = "ta")]
#[serde(rename_all = "camelCase")]
pub struct TriggerAuthenticationSpec {
    #[serde(flatten)]
    pub auth: AuthSpec,
}

#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[kube(group = "keda.sh", version = "v1alpha1", kind = "ClusterTriggerAuthentication", shortname = "cta")]
#[serde(rename_all = "camelCase")]
pub struct ClusterTriggerAuthenticationSpec {
    #[serde(flatten)]
    pub auth: AuthSpec,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthSpec {
    pub pod_identity: Option<PodIdentity>,
    pub secret_target_ref: Option<Vec<SecretTargetRef>>,
    pub env: Option<Vec<EnvRef>>,
    pub hashi_corp_vault: Option<HashiCorpVault>,
    pub azure_key_vault: Option<AzureKeyVault>,
    pub gcp_secret_manager: Option<GcpSecretManager>,
    pub aws_secret_manager: Option<AwsSecretManager>,
    pub bound_service_account_token: Option<Vec<BoundServiceAccountToken>>,
    pub config_map_target_ref: Option<Vec<ConfigMapTargetRef>>,
    pub oauth2: Option<OAuth2>,
    pub file_path: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PodIdentity {
    pub provider: PodIdentityProvider,
    pub identity_id: Option<String>,
    pub identity_tenant_id: Option<String>,
    pub identity_authority_host: Option<String>,
    pub role_arn: Option<String>,
    #[serde(rename = "externalID")]
    pub external_id: Option<String>,
    pub identity_owner: Option<IdentityOwner>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PodIdentityProvider {
    AzureWorkload,
    Gcp,
    Aws,
    AwsEks,
    None,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum IdentityOwner {
    Keda,
    Workload,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
pub struct SecretTargetRef {
    pub parameter: String,
    pub name: String,
    pub key: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
pub struct ConfigMapTargetRef {
    pub parameter: String,
    pub name: String,
    pub key: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EnvRef {
    pub parameter: String,
    pub name: String,
    pub container_name: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BoundServiceAccountToken {
    pub parameter: String,
    pub service_account_name: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HashiCorpVault {
    pub address: String,
    pub namespace: Option<String>,
    pub authentication: VaultAuthentication,
    pub role: Option<String>,
    pub mount: Option<String>,
    pub credential: Option<VaultCredential>,
    #[schemars(length(min = 1))]
    pub secrets: Vec<VaultSecret>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum VaultAuthentication {
    Token,
    Kubernetes,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VaultCredential {
    pub token: Option<String>,
    pub service_account: Option<String>,
    pub service_account_name: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VaultSecret {
    pub parameter: String,
    pub path: String,
    pub key: String,
    #[serde(rename = "type")]
    pub type_: Option<VaultSecretType>,
    pub pki_data: Option<VaultPkiData>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
pub enum VaultSecretType {
    #[serde(rename = "")]
    Empty,
    #[serde(rename = "secretV2")]
    SecretV2,
    #[serde(rename = "secret")]
    Secret,
    #[serde(rename = "pki")]
    Pki,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VaultPkiData {
    pub common_name: Option<String>,
    pub alt_names: Option<String>,
    pub ip_sans: Option<String>,
    pub uri_sans: Option<String>,
    pub other_sans: Option<String>,
    pub ttl: Option<String>,
    pub format: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AzureKeyVault {
    pub vault_uri: String,
    #[schemars(length(min = 1))]
    pub secrets: Vec<AzureKeyVaultSecret>,
    pub credentials: Option<AzureKeyVaultCredentials>,
    pub pod_identity: Option<PodIdentity>,
    pub cloud: Option<AzureKeyVaultCloud>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
pub struct AzureKeyVaultSecret {
    pub parameter: String,
    pub name: String,
    pub version: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AzureKeyVaultCredentials {
    pub client_id: String,
    pub tenant_id: String,
    pub client_secret: ValueFromSecret,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AzureKeyVaultCloud {
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(rename = "keyVaultResourceURL")]
    pub key_vault_resource_url: Option<String>,
    pub active_directory_endpoint: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ValueFromSecret {
    pub value_from: SecretKeyRefHolder,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SecretKeyRefHolder {
    pub secret_key_ref: SecretKeyRef,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
pub struct SecretKeyRef {
    pub name: String,
    pub key: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GcpSecretManager {
    #[schemars(length(min = 1))]
    pub secrets: Vec<GcpSecret>,
    pub credentials: Option<GcpCredentials>,
    pub pod_identity: Option<PodIdentity>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
pub struct GcpSecret {
    pub parameter: String,
    pub id: String,
    pub version: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GcpCredentials {
    pub client_secret: ValueFromSecret,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AwsSecretManager {
    #[schemars(length(min = 1))]
    pub secrets: Vec<AwsSecret>,
    pub credentials: Option<AwsCredentials>,
    pub pod_identity: Option<PodIdentity>,
    pub region: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AwsSecret {
    pub parameter: String,
    pub name: String,
    pub version_id: Option<String>,
    pub version_stage: Option<String>,
    pub secret_key: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AwsCredentials {
    pub access_key: ValueFromSecret,
    pub access_secret_key: ValueFromSecret,
    pub access_token: Option<ValueFromSecret>,
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OAuth2 {
    #[serde(rename = "type", default = "default_oauth2_type")]
    pub type_: OAuth2Type,
    pub client_id: String,
    pub client_secret: Option<ValueFromSecret>,
    pub token_url: String,
    pub scopes: Option<Vec<String>>,
    pub token_url_params: Option<BTreeMap<String, String>>,
}

fn default_oauth2_type() -> OAuth2Type {
    OAuth2Type::ClientCredentials
}

#[derive(Serialize, Deserialize, Clone, Debug, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum OAuth2Type {
    ClientCredentials,
}

/// A Kubernetes quantity as the CRD declares HPA `tolerance`: int-or-string with the quantity pattern.
fn quantity_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "x-kubernetes-int-or-string": true,
        "anyOf": [{"type": "integer"}, {"type": "string"}],
        "pattern": r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$"
    })
}
