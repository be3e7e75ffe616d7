//! Rules whose verdict depends on `keda-version` (rules.md §1.2 history, §7): 2.14, 2.18 and 2.20.

use kedalint::Config;

fn rules_at(version: (u32, u32), yaml: &str) -> Vec<(&'static str, String)> {
    let config = Config { keda_version: version, ..Config::default() };
    kedalint::lint_str("v.yaml", yaml, &config).diagnostics.into_iter().map(|d| (d.rule, format!("{} {:?}", d.message, d.note))).collect()
}

fn has(found: &[(&str, String)], rule: &str) -> bool {
    found.iter().any(|(r, _)| *r == rule)
}

const SO_HEAD: &str = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {name: web}\n";

#[test]
fn fallback_rules_follow_the_version() {
    // cpu beside an external trigger without metricType.
    let mixed = format!("{SO_HEAD}  minReplicaCount: 1\n  fallback: {{failureThreshold: 3, replicas: 5}}\n  triggers:\n    - {{type: cpu, metricType: Utilization, metadata: {{value: \"60\"}}}}\n    - {{type: rabbitmq, metadata: {{queueName: q, mode: QueueLength, value: \"5\"}}}}\n");
    assert!(has(&rules_at((2, 14), &mixed), "invalid-fallback"), "2.14 rejects any cpu trigger with fallback");
    assert!(!has(&rules_at((2, 17), &mixed), "invalid-fallback"), "2.17.1+ counts an empty metricType as AverageValue");
    assert!(!has(&rules_at((2, 18), &mixed), "invalid-fallback"));
    assert!(!has(&rules_at((2, 20), &mixed), "invalid-fallback"));
    // An external trigger with metricType Value.
    let value = format!("{SO_HEAD}  fallback: {{failureThreshold: 3, replicas: 5}}\n  triggers:\n    - {{type: rabbitmq, metricType: Value, metadata: {{queueName: q, mode: QueueLength, value: \"5\"}}}}\n");
    assert!(has(&rules_at((2, 14), &value), "invalid-fallback"), "2.14 needs AverageValue");
    assert!(has(&rules_at((2, 17), &value), "invalid-fallback"), "2.17 needs AverageValue");
    assert!(!has(&rules_at((2, 18), &value), "invalid-fallback"), "2.18 accepts any metricType");
    // cpu only: rejected by every version with fallback validation.
    let cpu = format!("{SO_HEAD}  minReplicaCount: 1\n  fallback: {{failureThreshold: 3, replicas: 5}}\n  triggers:\n    - {{type: cpu, metricType: Utilization, metadata: {{value: \"60\"}}}}\n");
    for v in [(2, 14), (2, 18), (2, 20)] {
        assert!(has(&rules_at(v, &cpu), "invalid-fallback"), "{v:?}");
    }
}

#[test]
fn min_above_max_is_rejected_from_2_20_and_explained_before() {
    let so = format!("{SO_HEAD}  minReplicaCount: 10\n  maxReplicaCount: 5\n  triggers:\n    - {{type: rabbitmq, metadata: {{queueName: q, mode: QueueLength, value: \"5\"}}}}\n");
    let new = rules_at((2, 20), &so);
    let old = rules_at((2, 14), &so);
    assert!(new.iter().any(|(r, m)| *r == "min-replicas-above-max" && m.contains("KEDA rejects this")));
    assert!(old.iter().any(|(r, m)| *r == "min-replicas-above-max" && m.contains("admits the object")));
    let severity = |v| {
        let config = Config { keda_version: v, ..Config::default() };
        kedalint::lint_str("v.yaml", &so, &config).diagnostics.into_iter().find(|d| d.rule == "min-replicas-above-max").unwrap().severity
    };
    assert_eq!(severity((2, 20)), kedalint::Severity::Error);
    assert_eq!(severity((2, 14)), kedalint::Severity::Warning, "KEDA 2.13-2.19 admit it: a warning");
}

#[test]
fn cpu_metadata_type_is_removed_in_2_18() {
    let so = format!("{SO_HEAD}  minReplicaCount: 1\n  triggers:\n    - {{type: cpu, metadata: {{type: Utilization, value: \"60\"}}}}\n");
    assert!(!has(&rules_at((2, 14), &so), "invalid-cpu-memory-trigger"));
    assert!(has(&rules_at((2, 18), &so), "invalid-cpu-memory-trigger"));
    assert!(has(&rules_at((2, 20), &so), "invalid-cpu-memory-trigger"));
}

#[test]
fn checks_that_arrived_later() {
    let two = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: first}\nspec:\n  scaleTargetRef: {name: a}\n  triggers:\n    - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: \"5\"}}\n---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: second}\nspec:\n  scaleTargetRef: {name: b}\n  advanced: {horizontalPodAutoscalerConfig: {name: keda-hpa-first}}\n  triggers:\n    - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: \"5\"}}\n";
    assert!(!has(&rules_at((2, 14), two), "duplicate-hpa-name"), "HPA name collisions are checked from 2.16");
    assert!(has(&rules_at((2, 18), two), "duplicate-hpa-name"));
    let ta = "apiVersion: keda.sh/v1alpha1\nkind: TriggerAuthentication\nmetadata: {name: aws}\nspec:\n  podIdentity: {provider: aws, externalID: x}\n";
    assert!(!has(&rules_at((2, 18), ta), "invalid-pod-identity"), "externalID without roleArn is checked from 2.20");
    assert!(has(&rules_at((2, 20), ta), "invalid-pod-identity"));
    let azure = "apiVersion: keda.sh/v1alpha1\nkind: TriggerAuthentication\nmetadata: {name: az}\nspec:\n  podIdentity: {provider: azure}\n";
    assert!(!has(&rules_at((2, 14), azure), "deprecated-pod-identity"), "AAD pod identity still exists in 2.14");
    assert!(has(&rules_at((2, 18), azure), "deprecated-pod-identity"));
}
