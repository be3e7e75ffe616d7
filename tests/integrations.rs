//! Where users run kedalint: the GitHub Action (its steps executed as the runner executes them),
//! pre-commit (the real pre-commit, `try-repo`), and the Argo CD Config Management Plugin (its
//! generate command run as the repo-server sidecar runs it). Tests that need outside tools
//! (pre-commit, kubectl, helm) run when `KEDALINT_EXTERNAL_TESTS=1`; the others always run.

mod common;

use kedalint::yaml::Node;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn external() -> bool {
    if std::env::var("KEDALINT_EXTERNAL_TESTS").is_ok_and(|v| v == "1") {
        return true;
    }
    eprintln!("notice: KEDALINT_EXTERNAL_TESTS is not set; skipping a test that needs pre-commit, kubectl or helm (run scripts/test.sh)");
    false
}

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_kedalint")).parent().unwrap().to_owned()
}

/// PATH with the freshly built kedalint (and, for rendering, tests/tools/helm) first.
fn path_with(extra: &[PathBuf]) -> String {
    let mut dirs: Vec<PathBuf> = extra.to_vec();
    dirs.push(bin_dir());
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(dirs).unwrap().into_string().unwrap()
}

fn yaml(path: &Path) -> Node {
    kedalint::yaml::load(&std::fs::read_to_string(path).unwrap()).documents.into_iter().find_map(|d| d.root).unwrap()
}

/// `${{ inputs.x }}` and `${{ github.action_path }}` as the runner expands them.
fn expand(text: &str, inputs: &BTreeMap<String, String>, action_path: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").unwrap() + start;
        let expr = rest[start + 3..end].trim();
        let value = match expr.strip_prefix("inputs.") {
            Some(name) => inputs.get(name).unwrap_or_else(|| panic!("unknown input {name}")).clone(),
            None if expr == "github.action_path" => action_path.to_owned(),
            None => panic!("expression the test does not model: {expr}"),
        };
        out.push_str(&value);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

struct ActionRun {
    status: Vec<i32>,
    stdout: String,
    outputs: String,
    summary: String,
    workspace: tempfile::TempDir,
}

/// Run action.yml's composite steps in order, as the GitHub runner does: each `run` through
/// `bash --noprofile --norc -eo pipefail`, with the step's `env`, GITHUB_OUTPUT and
/// GITHUB_STEP_SUMMARY files, in the workspace; stop at the first failing step.
fn run_action(given: &[(&str, &str)], files: &[(&str, &str)]) -> ActionRun {
    let root = common::manifest_dir();
    let action = yaml(&root.join("action.yml"));
    let mut inputs = BTreeMap::new();
    for e in action.get("inputs").unwrap().as_map().unwrap() {
        inputs.insert(e.key.text().unwrap().to_owned(), e.value.get("default").and_then(Node::text).unwrap_or_default().to_owned());
    }
    for (k, v) in given {
        assert!(inputs.contains_key(*k), "action.yml has no input {k}");
        inputs.insert(k.to_string(), v.to_string());
    }
    let workspace = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(workspace.path().join(name), text).unwrap();
    }
    let output_file = workspace.path().join(".github-output");
    let summary_file = workspace.path().join(".github-step-summary");
    std::fs::write(&output_file, "").unwrap();
    std::fs::write(&summary_file, "").unwrap();
    let runner_temp = tempfile::tempdir().unwrap();
    let mut status = Vec::new();
    let mut stdout = String::new();
    assert_eq!(action.at(&["runs", "using"]).and_then(Node::text), Some("composite"));
    for step in action.at(&["runs", "steps"]).unwrap().as_seq().unwrap() {
        assert_eq!(step.get("shell").and_then(Node::text), Some("bash"));
        let script = expand(step.get("run").unwrap().text().unwrap(), &inputs, root.to_str().unwrap());
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
            .current_dir(workspace.path())
            .env("PATH", path_with(&[]))
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_STEP_SUMMARY", &summary_file)
            .env("GITHUB_WORKSPACE", workspace.path())
            .env("GITHUB_ACTIONS", "true")
            .env("RUNNER_TEMP", runner_temp.path());
        for e in step.get("env").and_then(Node::as_map).unwrap_or_default() {
            cmd.env(e.key.text().unwrap(), expand(e.value.text().unwrap_or_default(), &inputs, root.to_str().unwrap()));
        }
        let out = cmd.output().unwrap();
        stdout.push_str(&String::from_utf8_lossy(&out.stdout));
        let code = out.status.code().unwrap_or(-1);
        status.push(code);
        if code != 0 {
            break;
        }
    }
    ActionRun {
        status,
        stdout,
        outputs: std::fs::read_to_string(&output_file).unwrap(),
        summary: std::fs::read_to_string(&summary_file).unwrap(),
        workspace,
    }
}

const DEPLOYMENT: &str = include_str!("data/argocd/plain/deployment.yaml");
const GOOD: &str = include_str!("data/argocd/plain/scaledobject.yaml");
const BAD: &str = include_str!("data/argocd/plain-bad/scaledobject.yaml");

#[test]
fn github_action_annotates_summarises_and_fails_on_errors() {
    if Command::new("bash").arg("--version").output().is_err() {
        eprintln!("notice: bash is not installed; skipping the GitHub Action test");
        return;
    }
    let run = run_action(&[], &[("deployment.yaml", DEPLOYMENT), ("scaledobject.yaml", BAD)]);
    assert_eq!(run.status, vec![0, 1], "install is skipped (kedalint on PATH), the run fails on errors\n{}", run.stdout);
    assert!(run.stdout.lines().any(|l| l.starts_with("::error file=scaledobject.yaml,line=6,col=20,") && l.contains("title=kedalint (min-replicas-above-max)")), "{}", run.stdout);
    assert!(run.outputs.contains("errors=1\n") && run.outputs.contains("sarif-file=kedalint.sarif\n"), "{}", run.outputs);
    assert!(run.summary.contains("| severity | location | rule | message |") && run.summary.contains("`scaledobject.yaml:6:20`"), "{}", run.summary);
    let sarif: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(run.workspace.path().join("kedalint.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "min-replicas-above-max");

    let never = run_action(&[("fail-on", "never"), ("sarif-file", "out/k.sarif"), ("format", "json")], &[("deployment.yaml", DEPLOYMENT), ("scaledobject.yaml", BAD)]);
    assert_eq!(never.status, vec![0, 2], "a SARIF path in a missing directory is an I/O problem: exit 2\n{}", never.stdout);
    let never = run_action(&[("fail-on", "never"), ("format", "json")], &[("deployment.yaml", DEPLOYMENT), ("scaledobject.yaml", BAD)]);
    assert_eq!(never.status, vec![0, 0]);

    let clean = run_action(&[("fail-on", "warning")], &[("deployment.yaml", DEPLOYMENT), ("scaledobject.yaml", GOOD)]);
    assert_eq!(clean.status, vec![0, 0], "{}", clean.stdout);
    assert!(clean.outputs.contains("errors=0\n") && clean.outputs.contains("warnings=0\n"));
    assert!(clean.summary.contains("No findings."));
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git").args(["-c", "user.name=kedalint", "-c", "user.email=kedalint@example.com"]).args(args).current_dir(dir).status().unwrap().success();
    assert!(ok, "git {args:?}");
}

/// The real pre-commit: `try-repo` this repository's `kedalint-system` hook on a scratch
/// repository. The bad file fails the hook with the rule id; passing only good files passes, even
/// though the bad file is in the repository (the index is the whole repository, the report only
/// the files passed).
#[test]
fn pre_commit_try_repo() {
    if !external() {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    git(dir, &["init", "-q"]);
    std::fs::write(dir.join("deployment.yaml"), DEPLOYMENT).unwrap();
    std::fs::write(dir.join("good.yaml"), GOOD).unwrap();
    // Another workload's ScaledObject, with min above max.
    std::fs::write(dir.join("bad.yaml"), BAD.replace("{name: web}", "{name: api}")).unwrap();
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "manifests"]);
    let try_repo = |extra: &[&str]| -> Output {
        Command::new("pre-commit")
            .args(["try-repo", common::manifest_dir().to_str().unwrap(), "kedalint-system", "--verbose"])
            .args(extra)
            .current_dir(dir)
            .env("PATH", path_with(&[]))
            .env("PRE_COMMIT_HOME", dir.join(".pre-commit-home"))
            .output()
            .expect("pre-commit is installed by scripts/test.sh")
    };
    let all = try_repo(&["--all-files"]);
    let text = String::from_utf8_lossy(&all.stdout);
    assert!(!all.status.success(), "{text}");
    assert!(text.contains("kedalint(min-replicas-above-max)") && text.contains("bad.yaml"), "{text}");
    assert!(!text.contains("good.yaml:"), "{text}");
    let good = try_repo(&["--files", "good.yaml", "deployment.yaml"]);
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stdout));
    let manifest = Command::new("pre-commit").args(["validate-manifest", ".pre-commit-hooks.yaml"]).current_dir(common::manifest_dir()).status().unwrap();
    assert!(manifest.success());
}

/// The plugin's generate command, run as the sidecar runs it: `command` + `args` from
/// deploy/argocd/plugin.yaml, ARGOCD_APP_* in the environment, the app's path as the working
/// directory.
fn cmp_generate(app: &Path) -> Output {
    let plugin = yaml(&common::manifest_dir().join("deploy/argocd/plugin.yaml"));
    let generate = plugin.at(&["spec", "generate"]).unwrap();
    let command: Vec<String> = generate.get("command").unwrap().as_seq().unwrap().iter().map(|n| n.text().unwrap().to_owned()).collect();
    let args: Vec<String> = generate.get("args").unwrap().as_seq().unwrap().iter().map(|n| n.text().unwrap().to_owned()).collect();
    Command::new(&command[0])
        .args(&command[1..])
        .args(&args)
        .current_dir(app)
        .env("PATH", path_with(&[common::manifest_dir().join("tests/tools")]))
        .env("ARGOCD_APP_NAME", "web")
        .env("ARGOCD_APP_NAMESPACE", "shop")
        .env("ARGOCD_APP_SOURCE_PATH", app.strip_prefix(common::manifest_dir()).unwrap_or(app))
        .env("ARGOCD_APP_REVISION", "0123456789abcdef")
        .output()
        .unwrap()
}

fn data(rel: &str) -> PathBuf {
    common::manifest_dir().join("tests/data/argocd").join(rel)
}

#[test]
fn argocd_plugin_passes_plain_manifests_through_byte_for_byte() {
    let good = cmp_generate(&data("plain"));
    let expected = format!("---\n{DEPLOYMENT}---\n{GOOD}");
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stderr));
    assert_eq!(String::from_utf8(good.stdout).unwrap(), expected);
    assert!(String::from_utf8_lossy(&good.stderr).contains("0 error(s)"));

    let bad = cmp_generate(&data("plain-bad"));
    assert_eq!(bad.status.code(), Some(1), "an error blocks the sync");
    assert!(bad.stdout.is_empty(), "no manifests when there are errors");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("kedalint(min-replicas-above-max)"));
}

#[test]
fn argocd_plugin_renders_kustomize_and_helm_apps() {
    if !external() {
        return;
    }
    let app = data("kustomize");
    let expected = Command::new("kubectl").args(["kustomize", "."]).current_dir(&app).output().unwrap();
    let got = cmp_generate(&app);
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    assert_eq!(got.stdout, expected.stdout);
    assert!(String::from_utf8_lossy(&got.stdout).contains("namespace: shop"));

    let app = data("helm");
    let helm = common::manifest_dir().join("tests/tools/helm");
    let expected = Command::new(&helm).args(["template", "web", ".", "--namespace", "shop"]).current_dir(&app).output().unwrap();
    assert!(expected.status.success());
    let got = cmp_generate(&app);
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    assert_eq!(got.stdout, expected.stdout);
    assert!(String::from_utf8_lossy(&got.stdout).contains("# Source: web/templates/scaledobject.yaml"));
}

/// deploy/ holds Kubernetes manifests users apply: kedalint finds no error in them.
#[test]
fn deploy_manifests_lint_clean() {
    let out = kedalint::lint_paths_with(
        &[common::manifest_dir().join("deploy")],
        &kedalint::Config::default(),
        &kedalint::render::RenderOptions { disabled: true, ..Default::default() },
        kedalint::schema::validate::Schemas::builtin(),
        None,
    )
    .unwrap();
    let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.severity == kedalint::Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(out.index.objects.len() >= 2);
}
