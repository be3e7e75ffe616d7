//! Rendering with the real tools: Helm (through tests/tools/helm, Helm's own engine from the PyPI
//! package helm-python-sdk) and kustomize (kubectl's). These run when `KEDALINT_EXTERNAL_TESTS=1`
//! (scripts/test.sh installs the tools) and fail loudly if a tool is missing; under plain
//! `cargo test` they print a notice. The tests that need no tool always run.

mod common;

use kedalint::render::RenderOptions;
use kedalint::schema::validate::Schemas;
use kedalint::{Config, Diagnostic, Outcome};
use std::path::{Path, PathBuf};
use std::process::Command;

fn enabled() -> bool {
    if std::env::var("KEDALINT_EXTERNAL_TESTS").is_ok_and(|v| v == "1") {
        return true;
    }
    eprintln!("notice: KEDALINT_EXTERNAL_TESTS is not set; skipping a test that renders with helm or kubectl (run scripts/test.sh)");
    false
}

fn helm() -> PathBuf {
    let h = common::manifest_dir().join("tests/tools/helm");
    let ok = Command::new(&h).arg("version").output().is_ok_and(|o| o.status.success());
    assert!(ok, "tests/tools/helm cannot run: it needs python3 with helm-python-sdk on PATH (scripts/test.sh installs it)");
    h
}

fn data(rel: &str) -> PathBuf {
    common::manifest_dir().join("tests/data/render").join(rel)
}

fn lint(paths: &[PathBuf], config: &Config, options: &RenderOptions) -> Outcome {
    kedalint::lint_paths_with(paths, config, options, Schemas::builtin(), None).unwrap()
}

fn path_of<'a>(outcome: &'a Outcome, d: &Diagnostic) -> &'a Path {
    outcome.index.file(d.file()).path()
}

fn line_of(d: &Diagnostic) -> (usize, usize) {
    let at = d.primary_label().position.expect("the engine fills in every label's position").start;
    (at.line as usize, at.column as usize)
}

fn only<'a>(outcome: &'a Outcome, rule: &str) -> Vec<&'a Diagnostic> {
    outcome.diagnostics.iter().filter(|d| d.rule == rule).collect()
}

fn is_rendered(p: &Path) -> bool {
    p.to_string_lossy().contains(" [")
}

fn config_at(path: PathBuf) -> Config {
    let mut c = Config::load(&path).unwrap();
    c.reference_time = Some(1_767_571_200);
    c
}

/// A values matrix: a defect only one values file introduces is reported once, at the template
/// line, saying which values file; a render that fails for one values set says which; a plain
/// HPA outside the chart meets the chart's Deployment in one index.
#[test]
fn helm_values_matrix_points_at_templates() {
    if !enabled() {
        return;
    }
    let config = config_at(data("helm/.kedalint.yaml"));
    let options = RenderOptions { helm: Some(helm()), ..Default::default() };
    let out = lint(&[data("helm")], &config, &options);

    let above = only(&out, "min-replicas-above-max");
    assert_eq!(above.len(), 1, "{:#?}", out.diagnostics);
    assert!(path_of(&out, above[0]).ends_with("worker/templates/scaledobject.yaml"));
    assert_eq!(line_of(above[0]), (8, 20));
    assert!(above[0].message.ends_with("(only with -f values-prod.yaml)"), "{}", above[0].message);
    let rendered: Vec<_> = above[0].labels.iter().filter(|l| is_rendered(out.index.file(l.file).path())).collect();
    assert_eq!(rendered.len(), 1, "the rendered place stays as a related label");
    assert_eq!(&out.index.file(rendered[0].file).text[rendered[0].span.clone()], "20");

    let hpa = only(&out, "conflicting-hpa");
    assert_eq!(hpa.len(), 1, "both rendered variants have it: reported once");
    assert!(!hpa[0].message.contains("only with"), "{}", hpa[0].message);
    assert!(hpa[0].labels.iter().any(|l| out.index.file(l.file).path().ends_with("hpa.yaml")), "the plain HPA is a related label");
    assert_eq!(line_of(hpa[0]), (7, 11), "scaleTargetRef.name in the template");

    let failed = only(&out, "render-failed");
    assert_eq!(failed.len(), 1);
    assert!(failed[0].message.contains("with -f values-broken.yaml") && failed[0].message.contains("scaling.max is required"), "{}", failed[0].message);
    assert!(path_of(&out, failed[0]).ends_with("worker/templates/scaledobject.yaml"));
    assert_eq!(line_of(failed[0]), (9, 22), "where helm says the template failed");

    for d in &out.diagnostics {
        assert!(!is_rendered(path_of(&out, d)), "finding left in rendered text: {d:?}");
    }
    let json: serde_json::Value = serde_json::from_str(&kedalint::report::json::render(&out)).unwrap();
    let entry = json["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "min-replicas-above-max").unwrap();
    let mut files: Vec<&str> = entry["related"].as_array().unwrap().iter().map(|l| l["file"].as_str().unwrap()).collect();
    files.push(entry["file"].as_str().unwrap());
    assert!(files.iter().any(|f| f.ends_with("templates/scaledobject.yaml")) && files.iter().any(|f| f.contains("[helm template, -f values-prod.yaml]")), "{files:?}");
}

/// kustomize: the overlay's defect is reported at the patch line that introduces it; the base is
/// not linted again on its own; overlays of one base are alternatives, not duplicates.
#[test]
fn kustomize_overlay_defect_points_at_the_patch() {
    if !enabled() {
        return;
    }
    let mut config = Config::default();
    config.reference_time = Some(1_767_571_200);
    let out = lint(&[data("kustomize")], &config, &RenderOptions::default());

    let above = only(&out, "min-replicas-above-max");
    assert_eq!(above.len(), 1, "{:#?}", out.diagnostics);
    assert!(path_of(&out, above[0]).ends_with("overlays/prod/scaledobject-patch.yaml"));
    assert_eq!(line_of(above[0]), (7, 20));
    assert!(above[0].message.contains("(only with overlay ") && above[0].message.ends_with("overlays/prod)"), "{}", above[0].message);
    assert!(above[0].labels.iter().any(|l| out.index.file(l.file).path().ends_with("base/scaledobject.yaml")), "the base's maximum is a related label");

    assert!(only(&out, "duplicate-object").is_empty(), "overlays are variants, and the base is not linted on its own");
    assert!(only(&out, "schema-violation").is_empty(), "the patch is not linted as a whole object");
    // dev's `namePrefix: dev-` renames the Deployment but kustomize does not know KEDA's
    // scaleTargetRef, so the rendered ScaledObject still targets `worker`: a real defect of
    // prefixing overlays, found only in dev and reported at the base's scaleTargetRef.name.
    let dangling = only(&out, "dangling-scale-target");
    assert_eq!(dangling.len(), 1, "{dangling:#?}");
    assert!(dangling[0].message.ends_with("overlays/dev)"), "{}", dangling[0].message);
    assert!(path_of(&out, dangling[0]).ends_with("base/scaledobject.yaml"));
    assert_eq!(line_of(dangling[0]), (7, 11));
}

/// Dependencies missing from charts/: `file://` ones are built in a scratch copy (the repository
/// is not written to) and rendered with their parent; a remote one needs a network, and says so.
#[test]
fn chart_dependencies_are_built_in_a_scratch_copy() {
    if !enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: queue\n    version: 0.1.0\n    repository: file://../queue\n");
    write("queue/Chart.yaml", "apiVersion: v2\nname: queue\nversion: 0.1.0\n");
    write(
        "queue/templates/so.yaml",
        "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: {{ .Release.Name }}-queue\nspec:\n  scaleTargetRef: {name: q}\n  pollingInterval: {{ .Values.poll | default 0 }}\n  triggers:\n    - type: cpu\n      metricType: Utilization\n      metadata: {value: \"60\"}\n",
    );
    write("remote/Chart.yaml", "apiVersion: v2\nname: remote\nversion: 0.1.0\ndependencies:\n  - name: keda\n    version: 2.20.2\n    repository: https://kedacore.github.io/charts\n");
    let options = RenderOptions { helm: Some(helm()), ..Default::default() };
    let out = lint(&[dir.path().join("app"), dir.path().join("remote")], &Config::default(), &options);

    assert!(!dir.path().join("app/charts").exists(), "linting never writes into the repository");
    let rendered: Vec<_> = out.index.objects.iter().filter(|o| o.name() == "release-name-queue").collect();
    assert_eq!(rendered.len(), 1, "the subchart's ScaledObject is rendered with its parent");
    let failed = only(&out, "render-failed");
    assert_eq!(failed.len(), 1, "{:#?}", out.diagnostics);
    assert!(path_of(&out, failed[0]).ends_with("remote/Chart.yaml"));
    assert!(failed[0].message.contains("needs `helm dependency build` for keda") && failed[0].message.contains("no repository definition for https://kedacore.github.io/charts"), "{}", failed[0].message);
}

/// Every chart in the corpus renders with its own values (defaults, plus the example and CI
/// values files the repositories ship), or fails with helm's own message: none is lost, none crashes.
#[test]
fn corpus_charts_render_with_their_own_values() {
    if !enabled() {
        return;
    }
    let Some(shared) = common::shared_dir() else { return };
    let corpus = shared.join("corpus/helm");
    let helm = helm();
    let mut config = Config::default();
    config.reference_time = Some(1_767_571_200);
    let nixys = corpus.join("nixys__nuc-keda");
    config.charts.push(kedalint::config::ChartConfig { path: nixys, values: vec![vec![], vec!["values.yaml.example".into()]], ..Default::default() });
    let nginx = corpus.join("VirtoCommerce__vc-deploy-infra/ingress-nginx");
    let mut ci: Vec<Vec<PathBuf>> = std::fs::read_dir(nginx.join("ci")).unwrap().map(|e| vec![PathBuf::from("ci").join(e.unwrap().file_name())]).collect();
    ci.sort();
    config.charts.push(kedalint::config::ChartConfig { path: nginx, values: ci, ..Default::default() });
    let options = RenderOptions { helm: Some(helm), ..Default::default() };
    let out = lint(&[corpus.clone()], &config, &options);

    let mut table = Vec::new();
    for chart in kedalint::render::helm::find_charts(&walk(&corpus)) {
        let rendered_prefix = format!("{} [", chart.display());
        let objects = out.index.objects.iter().filter(|o| out.index.file(o.file).path().to_string_lossy().starts_with(&rendered_prefix)).count();
        let failures = out.diagnostics.iter().filter(|d| d.rule == "render-failed" && path_of(&out, d).starts_with(&chart)).count();
        assert!(objects > 0 || failures > 0, "{} neither rendered nor failed", chart.display());
        table.push(format!("{:<60} {objects:>4} objects {failures:>2} failed renders", chart.strip_prefix(&corpus).unwrap().display()));
    }
    eprintln!("{}", table.join("\n"));
    assert_eq!(table.len(), 7);
    // FinFlow's templates read `.Values.networkPolicy.enabled` without a default: helm fails, and
    // the finding is at the template helm names.
    let finflow: Vec<_> = out.diagnostics.iter().filter(|d| d.rule == "render-failed" && path_of(&out, d).to_string_lossy().contains("FinFlow")).collect();
    assert_eq!(finflow.len(), 1);
    assert!(path_of(&out, finflow[0]).ends_with("templates/networkpolicy.yaml") && finflow[0].message.contains("nil pointer"), "{:?}", finflow[0]);
    let keda_objects = out.index.objects.iter().filter(|o| o.kind.is_keda() && is_rendered(out.index.file(o.file).path())).count();
    assert!(keda_objects >= 5, "rendered KEDA objects: {keda_objects}");
}

/// The real KEDA chart renders: its three Deployments are in the index.
#[test]
fn keda_chart_renders() {
    if !enabled() {
        return;
    }
    let Some(shared) = common::shared_dir() else { return };
    let options = RenderOptions { helm: Some(helm()), release: Some("keda".into()), namespace: Some("keda".into()), ..Default::default() };
    let out = lint(&[shared.join("keda/chart/keda")], &Config::default(), &options);
    assert!(only(&out, "render-failed").is_empty(), "{:#?}", out.diagnostics);
    for name in ["keda-operator", "keda-operator-metrics-apiserver", "keda-admission-webhooks"] {
        assert!(out.index.objects.iter().any(|o| o.kind_str() == "Deployment" && o.name() == name && o.namespace == "keda"), "{name} not rendered");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// No tool: a chart is noted, not linted; a kustomization is linted as plain files. A tool that
/// cannot run is a finding, not a crash. Needs no outside tool.
#[test]
fn missing_tools_are_findings_not_failures() {
    let options = RenderOptions { helm: Some("/nonexistent/helm".into()), kustomize: Some("/nonexistent/kustomize".into()), ..Default::default() };
    let out = lint(&[data("helm"), data("kustomize")], &Config::default(), &options);
    let skipped = only(&out, "render-skipped");
    assert_eq!(skipped.len(), 1, "{:#?}", out.diagnostics);
    assert!(skipped[0].message.contains("`--helm /nonexistent/helm` does not exist"));
    let failed = only(&out, "render-failed");
    assert_eq!(failed.len(), 2, "one per overlay: {failed:#?}");
    assert!(failed.iter().all(|d| d.message.contains("could not run `/nonexistent/kustomize`")));
}
