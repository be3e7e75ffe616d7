//! rules/scalers.yaml against KEDA's generated scaler catalogue (../shared/keda/scalers-schema.json):
//! every scaler there is a known trigger type here, and every parameter of each scaler
//! catalogued in full is here, read from the same places, with the same allowed values. Scalers
//! that differ are listed in `KNOWN_DIFFERENCES` with the reason.

mod common;

use kedalint::scalers::{Catalogue, From};
use serde_json::Value;
use std::collections::BTreeSet;

/// Where KEDA's generated catalogue (generated from KEDA `main`, from the struct tags only) and
/// KEDA v2.20.2's source disagree, the source wins. Each difference, exactly as the comparison
/// below words it, with its reason; the test fails on any other difference, and on any listed
/// here that is gone (so the list cannot go stale).
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    (
        "apache-kafka.sasl: allowed values {\"aws_msk_iam\", \"gssapi\", \"none\", \"plaintext\", \"scram_sha256\", \"scram_sha512\"} in KEDA's catalogue, {\"aws_msk_iam\", \"none\", \"plaintext\", \"scram_sha256\", \"scram_sha512\"} here",
        "the tag's enum admits gssapi, but building the client fails with `err sasl type \"gssapi\" given` (apache_kafka_scaler.go:230)",
    ),
    ("influxdb.authToken: `metadataVariableReadable` is true in KEDA's catalogue, false here", "the schema lists `authToken` twice (metadata; env and auth); from metadata it is removed in 2.20 and fails the scaler (replaced-by)"),
    ("influxdb.authToken: `triggerAuthenticationVariableReadable` is false in KEDA's catalogue, true here", "the same two entries: the first one compared is the metadata one"),
    ("influxdb.authToken: `envVariableReadable` is false in KEDA's catalogue, true here", "the same two entries"),
    ("predictkube.apiKey: `metadataVariableReadable` is false in KEDA's catalogue, true here", "the scaler's own `apiKey` is auth-only, but the embedded authentication config reads `apiKey` from metadata too (authentication_types.go:63)"),
    ("temporal: parameter `includeRunningWorkflowCount` is missing", "added after v2.20.2: not in temporal_scaler.go of 2.20.2"),
    ("temporal: parameter `workflowTaskQueueForCount` is missing", "added after v2.20.2"),
    ("temporal: parameter `enableTLS` is missing", "added after v2.20.2"),
];

/// Types KEDA's catalogue (from `main`) has and KEDA v2.20.2 does not build
/// (pkg/scaling/scalers_builder.go has no case for them): known as types from a later version only.
const AFTER_2_20: &[&str] = &["clickhouse", "gcp-spanner"];

#[test]
fn catalogue_covers_kedas_scalers() {
    let Some(shared) = common::shared_dir() else { return };
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(shared.join("keda/scalers-schema.json")).unwrap()).unwrap();
    let ours = Catalogue::get();
    let mut problems = Vec::new();
    let mut covered = BTreeSet::new();
    for scaler in schema["scalers"].as_array().unwrap() {
        let ty = scaler["type"].as_str().unwrap();
        if !ours.types.contains_key(ty) {
            problems.push(format!("type `{ty}` is not in rules/scalers.yaml `types`"));
        }
        if AFTER_2_20.contains(&ty) {
            assert!(!ours.type_exists(ty, (2, 20)), "{ty} is not built by KEDA 2.20.2");
            continue;
        }
        let Some(s) = ours.scaler(ty) else {
            problems.push(format!("{ty}: not catalogued"));
            continue;
        };
        if s.partial {
            problems.push(format!("{ty}: catalogued only in part"));
        }
        covered.insert(ty.to_owned());
        for p in scaler["parameters"].as_array().unwrap() {
            let name = p["name"].as_str().unwrap();
            let Some(mine) = s.param(name) else {
                problems.push(format!("{ty}: parameter `{name}` is missing"));
                continue;
            };
            for (flag, from) in [("metadataVariableReadable", From::Metadata), ("triggerAuthenticationVariableReadable", From::Auth), ("envVariableReadable", From::Env)] {
                let theirs = p.get(flag).and_then(Value::as_bool).unwrap_or(false);
                if theirs != mine.reads(from) {
                    problems.push(format!("{ty}.{name}: `{flag}` is {theirs} in KEDA's catalogue, {} here", mine.reads(from)));
                }
            }
            if let Some(values) = p.get("allowedValue").and_then(Value::as_array) {
                let theirs: BTreeSet<&str> = values.iter().filter_map(Value::as_str).collect();
                let mine_v: BTreeSet<&str> = mine.values.iter().map(String::as_str).collect();
                if theirs != mine_v {
                    problems.push(format!("{ty}.{name}: allowed values {theirs:?} in KEDA's catalogue, {mine_v:?} here"));
                }
            }
        }
    }
    let known: BTreeSet<&str> = KNOWN_DIFFERENCES.iter().map(|(d, _)| *d).collect();
    let unexplained: Vec<&String> = problems.iter().filter(|p| !known.contains(p.as_str())).collect();
    let gone: Vec<&&str> = known.iter().filter(|k| !problems.iter().any(|p| p == *k)).collect();
    assert!(unexplained.is_empty(), "{} differences from KEDA's catalogue without a reason:\n{}", unexplained.len(), unexplained.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n"));
    assert!(gone.is_empty(), "listed differences that no longer occur: {gone:?}");
    // Every type KEDA 2.20.2 builds is catalogued in full (stan is removed, external-mock is KEDA's test double).
    for ty in ours.types.keys().filter(|t| ours.type_exists(t, (2, 20)) && !matches!(t.as_str(), "external-mock")) {
        assert!(ours.scaler(ty).is_some_and(|s| !s.partial), "`{ty}` is built by KEDA 2.20.2 and not catalogued in full");
    }
    eprintln!("catalogued in full: {} scalers of KEDA's catalogue; {} differences, each explained", covered.len(), KNOWN_DIFFERENCES.len());
}
