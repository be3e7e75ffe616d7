//! Every case in ../shared/keda/webhook-cases (from KEDA's own webhook tests): `reject` cases
//! produce an error-level finding of the rule that enforces the reason on their first line,
//! `accept` cases produce no error-level finding. Cases that depend on cluster state a
//! repository cannot show are listed in `CLUSTER_STATE` with the reason.

mod common;

use kedalint::{Config, Severity};

/// The rule that must fire for each `reject` case.
const REJECT: &[(&str, &str)] = &[
    ("07-so-min-greater-than-max.yaml", "min-replicas-above-max"),
    ("08-so-fallback-negative.yaml", "schema-violation"),
    ("14-so-transfer-hpa-ownership-without-name.yaml", "conflicting-hpa"),
    ("16-so-duplicate-scaledobject.yaml", "duplicate-scale-target"),
    ("17-so-custom-kind-hpa-conflict.yaml", "conflicting-hpa"),
    ("22-so-deployment-no-requests.yaml", "missing-resource-requests"),
    ("26-so-statefulset-no-memory-request.yaml", "missing-resource-requests"),
    ("35-so-name-64-chars.yaml", "scaledobject-name-too-long"),
    ("37-so-generated-hpa-name-64.yaml", "scaledobject-name-too-long"),
    ("40-so-stabilization-window-3700.yaml", "schema-violation"),
    ("41-so-empty-triggers.yaml", "schema-violation"),
    ("43-so-scalingmodifiers-no-target.yaml", "invalid-scaling-modifiers"),
    ("44-so-scalingmodifiers-unnamed-triggers.yaml", "invalid-scaling-modifiers"),
    ("59-so-scalingmodifiers-fallback-no-formula.yaml", "invalid-fallback"),
    ("61-so-hpa-name-collision.yaml", "duplicate-hpa-name"),
    ("62-so-duplicate-trigger-names.yaml", "duplicate-trigger-name"),
    ("64-so-usecachedmetrics-cron.yaml", "unsupported-cached-metrics"),
    ("67-so-idle0-min-omitted.yaml", "idle-replicas-not-below-min"),
    ("70-sj-duplicate-trigger-names.yaml", "duplicate-trigger-name"),
    ("71-ta-azure-tenant-empty.yaml", "invalid-pod-identity"),
    ("74-ta-aws-rolearn-workload-owner.yaml", "invalid-pod-identity"),
    ("76-ta-aws-externalid-without-rolearn.yaml", "invalid-pod-identity"),
];

/// Cases a repository cannot decide, with what kedalint says instead.
const CLUSTER_STATE: &[(&str, &str)] = &[
    ("05-so-update-with-own-hpa.yaml", "an UPDATE: the file holds the same ScaledObject twice (create, then changed); in a repository that is a duplicate definition (`duplicate-object`)"),
    ("19-so-cpu-memory-deployment-missing.yaml", "rejected because the Deployment is missing from the cluster; the repository cannot know whether it exists elsewhere, so kedalint says so as info (`dangling-scale-target`), not as an error"),
    ("34-so-finalizer-removal-skips-validation.yaml", "an UPDATE that only removes a finalizer; a repository holds desired state, not updates, and sees the same object twice (`duplicate-object`)"),
];

#[test]
fn shared_webhook_cases_agree_with_keda() {
    let Some(shared) = common::shared_dir() else { return };
    let dir = shared.join("keda/webhook-cases");
    let mut checked = 0;
    let mut disagreements = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "yaml")).collect();
    files.sort();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let expect_reject = text.lines().next().unwrap().starts_with("# expect: reject");
        let out = kedalint::lint_paths(&[path.clone()], &Config::default()).unwrap();
        let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        if let Some((_, why)) = CLUSTER_STATE.iter().find(|(f, _)| *f == name) {
            eprintln!("{name}: cluster state: {why}");
            continue;
        }
        checked += 1;
        if expect_reject {
            let rule = REJECT.iter().find(|(f, _)| *f == name).map(|(_, r)| *r);
            let Some(rule) = rule else {
                disagreements.push(format!("{name}: reject case without an expected rule in REJECT"));
                continue;
            };
            if !errors.iter().any(|d| d.rule == rule) {
                disagreements.push(format!("{name}: expected an error from `{rule}`, got {:?}", errors.iter().map(|d| (d.rule, &d.message)).collect::<Vec<_>>()));
            }
        } else if !errors.is_empty() {
            disagreements.push(format!("{name}: accepted by KEDA, but {:?}", errors.iter().map(|d| (d.rule, &d.message)).collect::<Vec<_>>()));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert!(checked >= 45, "checked only {checked} cases");
    eprintln!("{checked} webhook cases agree with KEDA; {} need cluster state", CLUSTER_STATE.len());
}

#[test]
fn dangling_target_is_info_for_the_missing_deployment_case() {
    let Some(shared) = common::shared_dir() else { return };
    let path = shared.join("keda/webhook-cases/19-so-cpu-memory-deployment-missing.yaml");
    let out = kedalint::lint_paths(&[path], &Config::default()).unwrap();
    assert!(out.diagnostics.iter().any(|d| d.rule == "dangling-scale-target" && d.severity == Severity::Info));
}
