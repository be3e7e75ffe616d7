//! Tests against real outside tools. They run when `KEDALINT_EXTERNAL_TESTS=1` (set by
//! `scripts/test.sh`, which installs the tools) and then fail loudly if a tool is missing; under
//! plain `cargo test` they print a notice and do nothing, because they cannot run there.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn enabled() -> bool {
    if std::env::var("KEDALINT_EXTERNAL_TESTS").is_ok_and(|v| v == "1") {
        return true;
    }
    eprintln!("notice: KEDALINT_EXTERNAL_TESTS is not set; skipping a test that needs outside tools (run scripts/test.sh)");
    false
}

fn tool(name: &str) -> PathBuf {
    let out = Command::new("sh").arg("-c").arg(format!("command -v {name}")).output().unwrap();
    assert!(out.status.success(), "`{name}` is not installed: scripts/test.sh installs it");
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(p);
        }
    }
}

/// kedalint's schema verdicts agree with python-jsonschema (through check-jsonschema) run on the
/// exported `schemas/*.json`, object by object: over the fixtures, the example repository, and
/// the real-world corpus when ../shared is there.
#[test]
fn schema_verdicts_agree_with_check_jsonschema() {
    if !enabled() {
        return;
    }
    let check = tool("check-jsonschema");
    let root = common::manifest_dir();
    let mut files = Vec::new();
    yaml_files(&root.join("fixtures"), &mut files);
    yaml_files(&root.join("examples"), &mut files);
    if let Some(shared) = common::shared_dir() {
        yaml_files(&shared.join("corpus/real"), &mut files);
    }
    // The objects' trees are read after the run.
    let config = kedalint::Config { keep_trees: true, ..kedalint::Config::default() };
    let outcome = kedalint::lint_paths(&files, &config).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut by_kind: BTreeMap<&str, Vec<(PathBuf, bool)>> = BTreeMap::new();
    for obj in outcome.index.objects.iter().filter(|o| o.kind.is_keda() && o.kind_str() == format!("{:?}", o.kind)) {
        let path = tmp.path().join(format!("{}-{}.json", obj.kind_str(), obj.id));
        // As the API server does before it validates: nulls on non-nullable fields dropped
        // (apiextensions-apiserver's pruning, not part of JSON Schema; tested on its own in
        // src/schema/validate.rs). Then both validators see the same instance.
        let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(root.join("schemas").join(format!("{}.json", obj.kind_str().to_lowercase()))).unwrap()).unwrap();
        let mut instance = obj.node.to_json();
        kedalint::schema::validate::prune_nulls(&mut instance, &schema);
        std::fs::write(&path, serde_json::to_string(&instance).unwrap()).unwrap();
        let invalid = !outcome.index.schema_errors[obj.id].is_empty();
        by_kind.entry(obj.kind_str()).or_default().push((path, invalid));
    }
    let mut compared = 0;
    for (kind, objects) in &by_kind {
        let schema = root.join("schemas").join(format!("{}.json", kind.to_lowercase()));
        let out = Command::new(&check).args(["-o", "json", "--schemafile"]).arg(&schema).args(objects.iter().map(|(p, _)| p)).output().unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check-jsonschema JSON output");
        let failed: std::collections::BTreeSet<String> =
            report["errors"].as_array().unwrap().iter().map(|e| e["filename"].as_str().unwrap().to_owned()).collect();
        for (path, invalid) in objects {
            let theirs_invalid = failed.contains(&path.display().to_string());
            let theirs: Vec<&serde_json::Value> = report["errors"].as_array().unwrap().iter().filter(|e| e["filename"] == path.display().to_string()).collect();
            assert!(*invalid == theirs_invalid, "{}: kedalint says invalid={invalid}, check-jsonschema says invalid={theirs_invalid}: {theirs:?}", path.display());
            compared += 1;
        }
    }
    assert!(compared >= 30, "compared only {compared} objects");
    eprintln!("check-jsonschema agreed on {compared} objects");
}

/// The exported schemas are valid JSON Schema (draft 7) by an independent implementation.
#[test]
fn exported_schemas_pass_the_metaschema() {
    if !enabled() {
        return;
    }
    let check = tool("check-jsonschema");
    let root = common::manifest_dir();
    for kind in kedalint::schema::KINDS {
        let schema = root.join("schemas").join(format!("{}.json", kind.to_lowercase()));
        let out = Command::new(&check).arg("--check-metaschema").arg(&schema).output().unwrap();
        assert!(out.status.success(), "{}: {}", schema.display(), String::from_utf8_lossy(&out.stdout));
    }
}
