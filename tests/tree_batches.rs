//! The engine checks a repository namespace batch by namespace batch, parsing each batch's files
//! again and dropping their trees afterwards (see `src/engine.rs`). That is only right if no rule
//! reads the tree of an object outside the batch; these tests compare a run that way with a run
//! that keeps every tree, on a repository with many namespaces and every kind of cross-object
//! relation, and on every fixture.

use kedalint::Config;
use std::fmt::Write;
use std::path::PathBuf;

/// Findings as JSON, so that every field (labels in other files, help, notes) is compared.
fn findings(paths: &[PathBuf], keep_trees: bool) -> (Vec<String>, usize) {
    let config = Config { keep_trees, ..kedalint::testing::config() };
    let out = kedalint::lint_paths(paths, &config).unwrap();
    let json = out.diagnostics.iter().map(|d| format!("{} {:?} {:?} {:?} {:?}", d.rule, d.severity, d.message, d.labels, d.help)).collect();
    (json, out.index.objects.len())
}

/// A repository of `namespaces` × `apps` workloads, each namespace with the relations that
/// cross-object rules follow: ScaledObjects and their targets, HPAs on the same target, PDBs,
/// TriggerAuthentications (and one ClusterTriggerAuthentication used from every namespace),
/// LimitRanges, cron triggers spread over several ScaledObjects, duplicates.
fn many_namespaces(dir: &std::path::Path, namespaces: usize, apps: usize) {
    std::fs::write(
        dir.join("cluster-auth.yaml"),
        "apiVersion: keda.sh/v1alpha1\nkind: ClusterTriggerAuthentication\nmetadata:\n  name: shared\nspec:\n  secretTargetRef:\n    - {parameter: notAParameter, name: s, key: k}\n    - {parameter: password, name: s, key: k}\n",
    )
    .unwrap();
    // A file over several namespaces keeps its trees (it would be parsed again for each batch);
    // its objects relate to objects of other files in their namespaces.
    let mut multi = String::new();
    for n in [0, namespaces / 2, namespaces - 1] {
        write!(multi, "---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {{name: multi, namespace: team-{n}}}\nspec:\n  scaleTargetRef: {{name: app-1}}\n  triggers: [{{type: cpu, metricType: Utilization, metadata: {{value: \"50\"}}}}]\n").unwrap();
        write!(multi, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-0, namespace: team-{n}}}\nspec:\n  replicas: 2\n  template: {{spec: {{containers: [{{name: c, image: i}}]}}}}\n").unwrap();
    }
    std::fs::write(dir.join("multi-namespace.yaml"), multi).unwrap();
    for n in 0..namespaces {
        let ns = format!("team-{n}");
        let mut common = String::new();
        write!(common, "apiVersion: keda.sh/v1alpha1\nkind: TriggerAuthentication\nmetadata: {{name: auth, namespace: {ns}}}\nspec:\n  secretTargetRef:\n    - {{parameter: bogus, name: missing-secret, key: k}}\n").unwrap();
        if n % 3 == 0 {
            write!(common, "---\napiVersion: v1\nkind: LimitRange\nmetadata: {{name: lr, namespace: {ns}}}\nspec:\n  limits:\n    - type: Container\n      defaultRequest: {{cpu: 100m}}\n").unwrap();
        }
        std::fs::write(dir.join(format!("{ns}-common.yaml")), common).unwrap();
        for a in 0..apps {
            let app = format!("app-{a}");
            let mut y = String::new();
            let replicas = if a % 5 == 0 { "  replicas: 3\n" } else { "" };
            let requests = if a % 4 == 0 { "" } else { "          resources: {requests: {cpu: 100m, memory: 64Mi}}\n" };
            write!(y, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {app}, namespace: {ns}}}\nspec:\n{replicas}  selector: {{matchLabels: {{app: {app}}}}}\n  template:\n    metadata: {{labels: {{app: {app}}}}}\n    spec:\n      containers:\n        - name: c\n          image: example/{app}:1\n{requests}").unwrap();
            let min = if a % 2 == 0 { 0 } else { 2 };
            let auth = if a % 3 == 0 { "{name: shared, kind: ClusterTriggerAuthentication}" } else { "{name: auth}" };
            write!(
                y,
                "---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {{name: {app}, namespace: {ns}}}\nspec:\n  scaleTargetRef: {{name: {app}}}\n  minReplicaCount: {min}\n  triggers:\n    - type: cpu\n      metricType: Utilization\n      metadata: {{value: \"60\"}}\n    - type: postgresql\n      authenticationRef: {auth}\n      metadata: {{query: select 1, targetQueryValue: \"1\", host: db, port: \"5432\", userName: u, dbName: d, sslmode: disable}}\n    - type: cron\n      metadata: {{timezone: Etc/UTC, start: 0 8 * * 1-5, end: 0 18 * * 1-5, desiredReplicas: \"4\"}}\n"
            )
            .unwrap();
            if a % 7 == 0 {
                write!(y, "---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {{name: {app}-night, namespace: {ns}}}\nspec:\n  scaleTargetRef: {{name: {app}}}\n  triggers:\n    - type: cron\n      metadata: {{timezone: Etc/UTC, start: 0 20 * * *, end: 0 6 * * *, desiredReplicas: \"2\"}}\n").unwrap();
            }
            if a % 6 == 0 {
                write!(y, "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: {app}, namespace: {ns}}}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {app}}}\n  minReplicas: 1\n  maxReplicas: 5\n").unwrap();
            }
            write!(y, "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {{name: {app}, namespace: {ns}}}\nspec:\n  minAvailable: {}\n  selector: {{matchLabels: {{app: {app}}}}}\n", if a % 2 == 0 { "1" } else { "100%" }).unwrap();
            if a % 11 == 0 {
                // The same ScaledObject again: a duplicate definition.
                write!(y, "---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {{name: {app}, namespace: {ns}}}\nspec:\n  scaleTargetRef: {{name: {app}}}\n  triggers: [{{type: cpu, metricType: Utilization, metadata: {{value: \"50\"}}}}]\n").unwrap();
            }
            std::fs::write(dir.join(format!("{ns}-{app}.yaml")), y).unwrap();
        }
    }
}

#[test]
fn batches_find_what_a_run_holding_every_tree_finds() {
    let dir = tempfile::tempdir().unwrap();
    // ~5,400 objects: more than one batch (4,096 objects).
    many_namespaces(dir.path(), 24, 60);
    let paths = vec![dir.path().to_owned()];
    let (batched, objects) = findings(&paths, false);
    let (held, _) = findings(&paths, true);
    assert!(objects > 4096, "{objects} objects: the repository must span several batches");
    assert_eq!(batched.len(), held.len());
    assert!(batched == held, "the batched run differs from the run holding every tree");
    // The cross-object rules did have something to find, in every namespace.
    for rule in [
        "conflicting-hpa",
        "dangling-secret-ref",
        "duplicate-object",
        "duplicate-scale-target",
        "missing-resource-requests",
        "pdb-blocks-drain",
        "scale-target-sets-replicas",
        "scale-to-zero-behind-pdb",
        "split-cron-profiles",
        "unused-auth-parameter",
    ] {
        let n = batched.iter().filter(|f| f.starts_with(&format!("{rule} "))).count();
        assert!(n >= 24, "{rule}: {n} findings, expected at least one per namespace");
    }
}

#[test]
fn batches_agree_on_every_fixture_and_example() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // Not `render-failed`: kubectl's messages carry a timestamp, so two runs never agree.
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("fixtures")).unwrap().map(|e| e.unwrap().path()).filter(|p| !p.ends_with("render-failed")).collect();
    paths.sort();
    paths.push(root.join("examples"));
    let (batched, _) = findings(&paths, false);
    let (held, _) = findings(&paths, true);
    assert!(!batched.is_empty());
    assert!(batched == held, "the batched run differs from the run holding every tree");
}
