//! A rule's verdict never depends on which other rules run: every rule alone must report exactly
//! what it reports with every rule on, on every fixture (its own rule) and, for every rule, on
//! the real-world corpus in `../shared/corpus/real`.

mod common;

use kedalint::testing::{config, config_only, lint_with};
use kedalint::{Diagnostic, Outcome};
use std::path::{Path, PathBuf};

/// A finding as it must agree: rule, file, place, severity, message.
fn key(out: &Outcome, d: &Diagnostic) -> String {
    let l = d.primary_label();
    format!("{} {}:{:?} {:?} {}", d.rule, out.index.file(l.file).path().display(), l.span, d.severity, d.message)
}

fn findings_of(out: &Outcome, rule: &str) -> Vec<String> {
    out.diagnostics.iter().filter(|d| d.rule == rule).map(|d| key(out, d)).collect()
}

/// Rules whose findings differ between running alone and with all: (rule, alone, with all).
fn disagreements(path: &Path, rules: &[&'static str]) -> Vec<String> {
    let all = lint_with(path, &config());
    let mut out = Vec::new();
    for rule in rules {
        let alone = lint_with(path, &config_only(rule));
        let (a, b) = (findings_of(&alone, rule), findings_of(&all, rule));
        if a != b {
            out.push(format!("{} `{rule}`:\n  alone:    {a:#?}\n  with all: {b:#?}", path.display()));
        }
    }
    out
}

fn fixture_cases() -> Vec<(PathBuf, &'static str)> {
    let root = common::manifest_dir().join("fixtures");
    let mut out = Vec::new();
    for rule in kedalint::rules::ALL.iter().map(|r| r.meta().name) {
        for side in ["pass", "fail"] {
            let Ok(entries) = std::fs::read_dir(root.join(rule).join(side)) else { continue };
            let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
            paths.sort();
            out.extend(paths.into_iter().map(|p| (p, rule)));
        }
    }
    out
}

#[test]
fn every_fixture_gives_its_rule_the_same_findings_alone() {
    let cases = fixture_cases();
    assert!(cases.len() > 150, "fixtures not found");
    let wrong: Vec<String> = cases.iter().flat_map(|(path, rule)| disagreements(path, &[rule])).collect();
    assert!(wrong.is_empty(), "{} fixture(s) where a rule alone differs:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn every_rule_gives_the_same_findings_alone_on_the_real_corpus() {
    let Some(shared) = common::shared_dir() else { return };
    let rules: Vec<&'static str> = kedalint::rules::ALL.iter().map(|r| r.meta().name).collect();
    let wrong = disagreements(&shared.join("corpus/real"), &rules);
    assert!(wrong.is_empty(), "{} rule(s) differ alone on the corpus:\n{}", wrong.len(), wrong.join("\n"));
}

/// The case that showed the bug: a LimitRange's default requests make a cpu trigger's target
/// valid, whatever other rules are on (only `duplicate-object` declared LimitRange, so with it
/// off the LimitRange's tree was never read and `missing-resource-requests` fired).
#[test]
fn limit_range_defaults_count_whatever_rules_are_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("apps.yaml"),
        "apiVersion: v1\nkind: LimitRange\nmetadata: {name: defaults, namespace: apps}\nspec:\n  limits:\n  - type: Container\n    defaultRequest: {cpu: 100m, memory: 64Mi}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: apps}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app, image: web}]\n---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: web, namespace: apps}\nspec:\n  scaleTargetRef: {name: web}\n  triggers: [{type: cpu, metricType: Utilization, metadata: {value: \"60\"}}]\n",
    )
    .unwrap();
    let mut without_duplicates = config();
    without_duplicates.rules.insert("duplicate-object".into(), kedalint::config::Level::Off);
    for c in [config(), without_duplicates, config_only("missing-resource-requests")] {
        let out = lint_with(dir.path(), &c);
        assert!(findings_of(&out, "missing-resource-requests").is_empty(), "{:#?}", out.diagnostics);
    }
}

/// Every input has one owner: a values file that the walk finds and `--keda-values` names (the
/// README's own example) is read once, and each of its findings comes once.
#[test]
fn a_file_reached_twice_gives_each_finding_once() {
    let example = common::manifest_dir().join("examples/ml-inference");
    let run = |values: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_kedalint")).args(["check", ".", "--keda-values", values, "--format", "json"]).current_dir(&example).output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let mut found: Vec<String> = v["diagnostics"].as_array().unwrap().iter().map(|d| format!("{} {}:{} {}", d["rule"], d["file"].as_str().unwrap().trim_start_matches("./"), d["start"]["line"], d["message"])).collect();
        found.sort();
        (v["summary"]["files"].clone(), found)
    };
    let (files, named) = run("keda-values.yaml");
    assert_eq!(files, 4, "the values file is one input");
    let mut deduped = named.clone();
    deduped.dedup();
    assert_eq!(named, deduped, "a finding reported twice");
    assert_eq!(run("./keda-values.yaml").1, named);
}
