//! rules/scalers.yaml against KEDA's generated scaler catalogue (../shared/keda/scalers-schema.json):
//! every scaler there is a known trigger type here, and every parameter of each scaler
//! catalogued in full is here, read from the same places, with the same allowed values. Scalers
//! not catalogued in full are listed in `NOT_COVERED` with the reason.

mod common;

use kedalint::scalers::{Catalogue, From};
use serde_json::Value;
use std::collections::BTreeSet;

/// Scalers whose parameters kedalint does not check yet: it knows the trigger type exists (so no
/// `unknown-trigger-type`), and checks nothing inside its metadata.
const NOT_COVERED_REASON: &str = "parameters not catalogued yet; only the type and the cross-scaler checks apply";

#[test]
fn catalogue_covers_kedas_scalers() {
    let Some(shared) = common::shared_dir() else { return };
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(shared.join("keda/scalers-schema.json")).unwrap()).unwrap();
    let ours = Catalogue::get();
    let mut problems = Vec::new();
    let mut covered = BTreeSet::new();
    let mut not_covered = BTreeSet::new();
    for scaler in schema["scalers"].as_array().unwrap() {
        let ty = scaler["type"].as_str().unwrap();
        if !ours.types.contains_key(ty) {
            problems.push(format!("type `{ty}` is not in rules/scalers.yaml `types`"));
        }
        let Some(s) = ours.scaler(ty).filter(|s| !s.partial) else {
            not_covered.insert(ty.to_owned());
            continue;
        };
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
    assert!(problems.is_empty(), "{} differences:\n{}", problems.len(), problems.join("\n"));
    assert!(covered.len() >= 12, "catalogued in full: {covered:?}");
    eprintln!("catalogued in full: {} scalers ({}); not covered ({NOT_COVERED_REASON}): {}", covered.len(), covered.iter().cloned().collect::<Vec<_>>().join(", "), not_covered.len());
}
