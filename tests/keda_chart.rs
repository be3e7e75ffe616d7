//! kedalint's knowledge of the kedacore `keda` chart (rules/keda-chart.yaml, src/keda_chart.rs)
//! against the real chart in ../shared/keda/chart/keda: its keys against values.yaml and the
//! templates, its pod labels against a real Helm render, and the HA rules on the real-world
//! values files in ../shared/corpus/keda-chart-values.

mod common;

use kedalint::keda_chart::{component_of, key_status, pod_labels_of, Component, KeyStatus, Values};
use kedalint::render::RenderOptions;
use kedalint::schema::validate::Schemas;
use kedalint::Config;
use std::collections::BTreeSet;
use std::path::Path;

fn keys_of(node: &kedalint::yaml::Node, prefix: &str, out: &mut Vec<String>) {
    for e in node.as_map().unwrap_or_default() {
        let k = e.key.text().unwrap_or_default();
        let p = if prefix.is_empty() { k.to_owned() } else { format!("{prefix}.{k}") };
        out.push(p.clone());
        if e.value.as_map().is_some_and(|m| !m.is_empty()) {
            keys_of(&e.value, &p, out);
        }
    }
}

fn template_refs(dir: &Path, out: &mut BTreeSet<String>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            template_refs(&p, out);
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        for (at, _) in text.match_indices(".Values.") {
            let path: String = text[at + 8..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_').collect();
            out.insert(path.trim_end_matches('.').to_owned());
        }
    }
}

/// Every key of the real values.yaml, and every `.Values.x` the templates read, is known; and
/// every key kedalint knows is one of those (nothing invented).
#[test]
fn keys_match_the_real_chart() {
    let Some(shared) = common::shared_dir() else { return };
    let chart = shared.join("keda/chart/keda");
    let text = std::fs::read_to_string(chart.join("values.yaml")).unwrap();
    let root = kedalint::yaml::load(&text).documents.into_iter().find_map(|d| d.root).unwrap();
    let mut real = Vec::new();
    keys_of(&root, "", &mut real);
    let mut refs = BTreeSet::new();
    template_refs(&chart.join("templates"), &mut refs);
    for k in real.iter().chain(&refs) {
        let segs: Vec<&str> = k.split('.').collect();
        assert!(!matches!(key_status(&segs), KeyStatus::Unknown { .. }), "the chart reads `{k}`, kedalint does not know it");
    }
    let chart_keys: BTreeSet<&str> = real.iter().map(String::as_str).chain(refs.iter().map(String::as_str)).collect();
    for k in kedalint::keda_chart::all_keys() {
        let read_below = chart_keys.iter().any(|c| c.starts_with(&format!("{k}.")));
        // A template that reads a parent whole (`toYaml .Values.resources`) reads what is under it.
        let parent_read_whole = k.match_indices('.').any(|(i, _)| refs.contains(&k[..i]));
        assert!(chart_keys.contains(k.as_str()) || read_below || parent_read_whole, "kedalint knows `{k}`, which the chart neither declares nor reads");
    }
    let version = kedalint::yaml::load(&std::fs::read_to_string(chart.join("Chart.yaml")).unwrap()).documents[0].root.as_ref().unwrap().get("version").unwrap().text().unwrap().to_owned();
    assert_eq!(version, kedalint::keda_chart::chart_version());
}

/// The pod labels kedalint computes from values are those a real render puts on each component,
/// with a renamed operator and webhooks, extra pod labels and additional labels.
#[test]
fn pod_labels_match_a_real_render() {
    if std::env::var("KEDALINT_EXTERNAL_TESTS").map_or(true, |v| v != "1") {
        eprintln!("notice: KEDALINT_EXTERNAL_TESTS is not set; skipping a test that renders with helm (run scripts/test.sh)");
        return;
    }
    let Some(shared) = common::shared_dir() else { return };
    let dir = tempfile::tempdir().unwrap();
    let values_text = "operator: {name: ops, replicaCount: 2}\nwebhooks: {name: wh}\npodLabels: {metricsAdapter: {team: a}, keda: {tier: control}}\nadditionalLabels: {env: prod}\n";
    let values_file = dir.path().join("values.yaml");
    std::fs::write(&values_file, values_text).unwrap();
    let helm = common::manifest_dir().join("tests/tools/helm");
    let options = RenderOptions { helm: Some(helm), release: Some("keda".into()), namespace: Some("keda".into()), values: vec![values_file], ..Default::default() };
    // The rendered Deployments' trees are read after the run.
    let config = Config { keep_trees: true, ..Config::default() };
    let out = kedalint::lint_paths_with(&[shared.join("keda/chart/keda")], &config, &options, Schemas::builtin(), None).unwrap();
    let root = kedalint::yaml::load(values_text).documents.into_iter().find_map(|d| d.root).unwrap();
    let values = Values { root: &root };
    let mut seen = Vec::new();
    for obj in out.index.objects.iter().filter(|o| component_of(o).is_some()) {
        let c = component_of(obj).unwrap();
        assert_eq!(obj.name(), values.deployment_name(c));
        let rendered = pod_labels_of(obj);
        let computed = values.pod_labels(c);
        assert_eq!(rendered.keys().collect::<Vec<_>>(), computed.keys().collect::<Vec<_>>(), "{c:?}: label names");
        for (k, v) in &computed {
            if let Some(v) = v {
                assert_eq!(rendered[k].as_ref(), Some(v), "{c:?}: label `{k}`");
            }
        }
        seen.push(c);
    }
    assert_eq!(seen.len(), 3, "three KEDA Deployments rendered: {seen:?}");
    assert!(Component::ALL.iter().all(|c| seen.contains(c)));
    assert_eq!(values.replicas(Component::Operator).0, 2);
}

/// The HA rules on real values files, with the findings a KEDA operator would expect; each one
/// was checked by hand against the file and chart 2.20.2 (see the comments).
#[test]
fn corpus_values_files() {
    let Some(shared) = common::shared_dir() else { return };
    let corpus = shared.join("corpus/keda-chart-values");
    let mut config = Config::default();
    config.reference_time = Some(1_767_571_200);
    let options = RenderOptions { disabled: true, ..Default::default() };
    let out = kedalint::lint_paths_with(&[corpus.clone()], &config, &options, Schemas::builtin(), None).unwrap();
    let mut got: Vec<String> = out
        .diagnostics
        .iter()
        .map(|d| {
            let l = d.primary_label();
            let f = out.index.file(l.file);
            format!("{} {}:{}", d.rule, f.path().strip_prefix(&corpus).unwrap().display(), l.position.expect("positions filled in").start.line)
        })
        .collect();
    got.sort();
    let expected = [
        // Pins everything to one controller node and leaves the operator at the chart's default of 1.
        "keda-operator-single-replica Azure__cluster-api-for-slinky/keda-values.yaml:5",
        // No operator section: 1 replica. `rbac.customRules` (meant to grant Argo Rollouts access)
        // and `metricsServer.openshift` are not chart keys; `backend` is the app's, not KEDA's.
        "keda-operator-single-replica JosiasTomasnanez__FinFlow/values-keda.yaml:1",
        "keda-values-unknown-key JosiasTomasnanez__FinFlow/values-keda.yaml:19",
        "keda-values-unknown-key JosiasTomasnanez__FinFlow/values-keda.yaml:25",
        "keda-values-unknown-key JosiasTomasnanez__FinFlow/values-keda.yaml:27",
        // An old chart's values.yaml kept as the install's values: keys the 2.20 chart dropped
        // (podIdentity.activeDirectory, service.portHttp*, prometheus.*.path).
        "keda-operator-single-replica VirtoCommerce__vc-deploy-infra/keda/values.yaml:22",
        "keda-values-unknown-key VirtoCommerce__vc-deploy-infra/keda/values.yaml:162",
        "keda-values-unknown-key VirtoCommerce__vc-deploy-infra/keda/values.yaml:173",
        "keda-values-unknown-key VirtoCommerce__vc-deploy-infra/keda/values.yaml:57",
        "keda-values-unknown-key VirtoCommerce__vc-deploy-infra/keda/values.yaml:98",
        "keda-values-unknown-key VirtoCommerce__vc-deploy-infra/keda/values.yaml:99",
        // Two operator replicas with correct selectors, but no PDB; 35Mi for the operator.
        "keda-operator-resources XuhuiSun95__homelab-k8s/keda/values.yaml:102",
        "keda-operator-resources XuhuiSun95__homelab-k8s/keda/values.yaml:99",
        "keda-pdb-missing XuhuiSun95__homelab-k8s/keda/values.yaml:8",
        // The chart's own defaults: one operator replica, webhooks failing open.
        "keda-operator-single-replica kedacore__charts/keda/values.yaml:107",
        "keda-webhook-failure-policy kedacore__charts/keda/values.yaml:271",
        // Two of everything with matching zone anti-affinity and a PDB: only the note that the
        // second metrics server replica does not serve.
        "keda-metrics-server-replicas reductoai__reducto-onprem-infra/values/keda.yaml:32",
        // Monitoring-only values: default single operator, and 20Mi/40Mi for it.
        "keda-operator-resources tuanhuu3264__monitoring-gapro/keda-values.yaml:55",
        "keda-operator-resources tuanhuu3264__monitoring-gapro/keda-values.yaml:58",
        "keda-operator-single-replica tuanhuu3264__monitoring-gapro/keda-values.yaml:1",
    ];
    let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(got, expected);
}
