//! SARIF (checked against the official 2.1.0 schema), GitHub annotations, JUnit, and several
//! reports in one run.

mod common;

use std::process::Command;

fn run(args: &[&str], cwd: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kedalint")).args(args).current_dir(cwd).output().unwrap()
}

const BAD: &str = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: w}\nspec:\n  scaleTargetRef: {name: w}\n  minReplicas: 2\n  minReplicaCount: 1\n  triggers:\n    - {type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: \"5\", host: \"amqp://u:hunter2@r/\"}}\n";

#[test]
fn sarif_matches_the_official_schema() {
    let Some(shared) = common::shared_dir() else { return };
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(shared.join("sarif/sarif-schema-2.1.0.json")).unwrap()).unwrap();
    let validator = jsonschema::options().with_draft(jsonschema::Draft::Draft4).build(&schema).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.yaml"), BAD).unwrap();
    std::fs::write(dir.path().join("empty.yaml"), "# nothing\n").unwrap();
    for (file, expect_results) in [("bad.yaml", true), ("empty.yaml", false)] {
        let o = run(&["check", file, "--format", "sarif"], dir.path());
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| format!("{} at {}", e, e.instance_path().as_str())).collect();
        assert!(errors.is_empty(), "{file}: {errors:#?}");
        let results = v["runs"][0]["results"].as_array().expect("results is an array even when empty");
        assert_eq!(!results.is_empty(), expect_results);
        assert_eq!(v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().len(), kedalint::rules::ALL.len());
        if expect_results {
            let r = results.iter().find(|r| r["ruleId"] == "unknown-field").unwrap();
            assert_eq!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "bad.yaml");
            assert_eq!(r["locations"][0]["physicalLocation"]["region"]["startLine"], 6);
            assert!(r["partialFingerprints"]["primaryLocationLineHash"].is_string());
            assert!(!String::from_utf8_lossy(&o.stdout).contains("hunter2"), "secrets are redacted in SARIF");
        }
    }
}

#[test]
fn github_annotations_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.yaml"), BAD).unwrap();
    let o = run(&["check", "bad.yaml", "--format", "github"], dir.path());
    let text = String::from_utf8_lossy(&o.stdout);
    let line = text.lines().find(|l| l.contains("unknown-field")).unwrap();
    assert!(line.starts_with("::error file=bad.yaml,line=6,col=3,endColumn=14,endLine=6,title=kedalint (unknown-field)::"), "{line}");
    assert!(line.contains("%0Ahelp: "), "newlines escaped: {line}");
    assert!(text.lines().all(|l| l.starts_with("::")), "one command per line:\n{text}");
}

#[test]
fn several_reports_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.yaml"), BAD).unwrap();
    let o = run(&["check", "bad.yaml", "--format", "sarif", "--output", "out.sarif", "--format", "junit", "--output", "out.xml", "--format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout holds only the JSON report");
    assert!(json["diagnostics"].as_array().unwrap().len() >= 2);
    let sarif: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let junit = std::fs::read_to_string(dir.path().join("out.xml")).unwrap();
    assert!(junit.contains("<testcase classname=\"kedalint\" name=\"bad.yaml\">") && junit.contains("<failure"), "{junit}");
    let o = run(&["check", "bad.yaml", "--format", "sarif", "--format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(2), "two reports cannot share stdout");
}
