//! The binary as users run it: exit codes, formats, stdin, configuration, discovery.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn kedalint(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kedalint")).args(args).current_dir(cwd).env_remove("NO_COLOR").output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const CLEAN: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  selector: {matchLabels: {app: w}}\n  template:\n    metadata: {labels: {app: w}}\n    spec:\n      containers: [{name: w, image: \"w:1\", resources: {requests: {cpu: 100m}}}]\n---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: w}\nspec:\n  scaleTargetRef: {name: w}\n  minReplicaCount: 1\n  triggers:\n    - {type: cpu, metricType: Utilization, metadata: {value: \"60\"}}\n";
const BAD: &str = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: w}\nspec:\n  scaleTargetRef: {name: w}\n  minReplicas: 2\n  minReplicaCount: 1\n  triggers:\n    - {type: cpu, metricType: Utilization, metadata: {value: \"60\"}}\n";

#[test]
fn example_repository_shows_the_scaledjob_schedule_at_its_line() {
    let o = kedalint(&["check", "examples/ml-inference", "--format", "json"], &common::manifest_dir());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["message"].as_str().unwrap().contains("`schedule`")).expect("schedule finding");
    assert_eq!(d["rule"], "unknown-field");
    assert_eq!(d["file"], "examples/ml-inference/nightly-batch-inference.yaml");
    assert_eq!(d["start"]["line"], 16);
    assert_eq!(d["start"]["column"], 3);
    assert_eq!(d["end"]["column"], 11);
    assert_eq!(v["summary"]["files"], 4);
}

#[test]
fn exit_codes_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "clean.yaml", CLEAN);
    let o = kedalint(&["check", "clean.yaml"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("1 file(s), 2 object(s): 0 error(s), 0 warning(s), 0 info(s)"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());

    write(dir.path(), "bad.yaml", BAD);
    let o = kedalint(&["check", "--quiet"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).is_empty(), "--quiet prints no summary");
    assert!(stdout(&o).contains("unknown field `minReplicas`") && stdout(&o).contains("did you mean `minReplicaCount`?"), "{}", stdout(&o));

    let o = kedalint(&["check", "missing.yaml"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.yaml: no such file or directory"));

    let o = kedalint(&["check", "--format", "xml"], dir.path());
    assert_eq!(o.status.code(), Some(2), "usage error");
}

#[test]
fn deny_warnings_select_and_ignore() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "w.yaml", &CLEAN.replace("metadata: {name: w}", "metadata:\n  name: w\n  annotations: {kedalint.io/ignore: \"unknown-field\"}"));
    let o = kedalint(&["check", "w.yaml"], dir.path());
    assert_eq!(o.status.code(), Some(0), "an unused suppression is a warning");
    assert!(stdout(&o).contains("unused-suppression"));
    let o = kedalint(&["check", "w.yaml", "--deny", "warnings"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let o = kedalint(&["check", "w.yaml", "--ignore", "suspicious"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).is_empty());

    write(dir.path(), "b.yaml", BAD);
    let o = kedalint(&["check", "b.yaml", "--ignore", "unknown-field"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = kedalint(&["check", "b.yaml", "--ignore", "unknown-feild"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `unknown-field`?"));
}

#[test]
fn stdin_with_a_name() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kedalint"))
        .args(["check", "-", "--stdin-filename", "rendered/app.yaml", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(BAD.as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "unknown-field").expect("unknown-field finding");
    assert_eq!(d["file"], "rendered/app.yaml");
    assert_eq!(d["start"]["line"], 6);
}

#[test]
fn configuration_is_found_walking_up_and_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "apps/b.yaml", BAD);
    write(dir.path(), ".kedalint.yaml", "rules:\n  unknown-field: warn\n");
    let o = kedalint(&["check", "apps"], dir.path());
    assert_eq!(o.status.code(), Some(0), "unknown-field lowered to a warning: {}", stdout(&o));
    assert!(stdout(&o).contains("⚠") || stdout(&o).contains("warning"), "{}", stdout(&o));

    write(dir.path(), ".kedalint.yaml", "rules:\n  unknown-feild: warn\n");
    let o = kedalint(&["check", "apps"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(".kedalint.yaml:2:3: unknown rule `unknown-feild`; did you mean `unknown-field`?"), "{}", stderr(&o));

    write(dir.path(), ".kedalint.yaml", "exclude: [\"apps/**\"]\n");
    let o = kedalint(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(0), "excluded: {}", stdout(&o));
    let o = kedalint(&["check", "apps/b.yaml"], dir.path());
    assert_eq!(o.status.code(), Some(1), "files named on the command line are always read");
}

#[test]
fn gitignore_is_honoured_and_symlink_loops_survived() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "repo/.gitignore", "generated/\n");
    write(dir.path(), "repo/generated/b.yaml", BAD);
    write(dir.path(), "repo/ok.yaml", CLEAN);
    write(dir.path(), "outside/b.yaml", BAD);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("..", dir.path().join("repo/loop")).unwrap();
        std::os::unix::fs::symlink("../outside", dir.path().join("repo/escape")).unwrap();
    }
    let o = kedalint(&["check", "repo"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("1 file(s)"), "{}", stderr(&o));
}

#[test]
fn color_follows_flags_and_no_color() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "b.yaml", BAD);
    let o = kedalint(&["check", "b.yaml", "--color", "always"], dir.path());
    assert!(stdout(&o).contains('\u{1b}'), "colour requested");
    let o = kedalint(&["check", "b.yaml", "--color", "never"], dir.path());
    assert!(!stdout(&o).contains('\u{1b}'));
    let o = Command::new(env!("CARGO_BIN_EXE_kedalint")).args(["check", "b.yaml"]).current_dir(dir.path()).env("NO_COLOR", "1").output().unwrap();
    assert!(!stdout(&o).contains('\u{1b}'));
}

#[test]
fn rules_explain_and_schema_export() {
    let root = common::manifest_dir();
    let o = kedalint(&["rules", "--format", "json"], &root);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), kedalint::rules::ALL.len());
    let o = kedalint(&["rules"], &root);
    assert!(stdout(&o).contains("min-replicas-above-max"));
    let o = kedalint(&["explain", "unknown-field"], &root);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("## Why is this bad?"));
    let o = kedalint(&["explain", "unknown-feild"], &root);
    assert_eq!(o.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let o = kedalint(&["schema", "export", dir.path().to_str().unwrap()], &root);
    assert_eq!(o.status.code(), Some(0));
    for kind in ["scaledobject", "scaledjob", "triggerauthentication", "clustertriggerauthentication"] {
        let text = std::fs::read_to_string(dir.path().join(format!("{kind}.json"))).unwrap();
        assert_eq!(text, std::fs::read_to_string(root.join("schemas").join(format!("{kind}.json"))).unwrap());
    }
}

#[test]
fn user_crds_replace_the_builtin_schemas() {
    let Some(shared) = common::shared_dir() else { return };
    let dir = tempfile::tempdir().unwrap();
    // `initialCooldownPeriod` arrived in KEDA 2.14 (not in the 2.12 CRD).
    write(dir.path(), "so.yaml", &CLEAN.replace("  minReplicaCount: 1\n", "  minReplicaCount: 1\n  initialCooldownPeriod: 30\n"));
    let crd = shared.join("keda/crds/v2.12.0/keda.sh_scaledobjects.yaml");
    let o = kedalint(&["check", "so.yaml", "--crd", crd.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("unknown field `initialCooldownPeriod`"), "{}", stdout(&o));
    let o = kedalint(&["check", "so.yaml"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn schedule_prints_windows_and_floors() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "so.yaml",
        "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: web, namespace: apps}\nspec:\n  scaleTargetRef: {name: web}\n  minReplicaCount: 1\n  maxReplicaCount: 10\n  triggers:\n    - {type: cron, name: day, metadata: {timezone: Europe/Berlin, start: \"0 8 * * 1-5\", end: \"0 20 * * 1-5\", desiredReplicas: \"4\"}}\n",
    );
    let o = kedalint(&["schedule", "so.yaml", "--from", "2026-03-23", "--to", "2026-03-30", "--format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let first = &v[0];
    assert_eq!(first["workload"], "apps/web Deployment");
    assert_eq!(first["start"], "2026-03-23T07:00:00Z", "08:00 CET");
    assert_eq!(first["end"], "2026-03-23T19:00:00Z");
    // Friday 27th is still CET; after the change on the 29th the next Monday would be CEST.
    assert_eq!(v.as_array().unwrap().len(), 5);
    let o = kedalint(&["schedule", "so.yaml", "--from", "2026-03-23", "--to", "2026-03-30"], dir.path());
    assert!(stdout(&o).contains("Mon 2026-03-23     ·······████████████·····"), "{}", stdout(&o));
    assert!(stdout(&o).contains("from 2026-03-23 07:00 UTC  4"), "{}", stdout(&o));
    let o = kedalint(&["schedule", "so.yaml", "--from", "2026-03-23", "--format", "svg"], dir.path());
    assert!(stdout(&o).starts_with("<svg") && stdout(&o).contains("<rect"));
    // 53 weeks are shown; a century is refused with the reason, before any work.
    let o = kedalint(&["schedule", "so.yaml", "--from", "2026-03-23", "--to", "2027-03-29", "--format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = kedalint(&["schedule", "so.yaml", "--from", "2000-01-01", "--to", "2100-01-01"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`--from` to `--to` is 36525 days; `schedule` shows at most 371 days"), "{}", stderr(&o));
}
