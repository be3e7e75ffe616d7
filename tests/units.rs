//! Deployment units (issue #19): each unit source, namespace defaulting, shared bases, the
//! fallback for sibling directories, and `kedalint units`. Each layout is a small repository
//! written to a scratch directory (a `.git` marks its root) and linted from its root, as a user
//! runs kedalint. Layouts that need Helm or kustomize render with the real tools under
//! `KEDALINT_EXTERNAL_TESTS=1` (tests/render.rs).

mod common;

use std::path::Path;
use std::process::Command;

fn write(root: &Path, files: &[(&str, &str)]) {
    std::fs::create_dir_all(root.join(".git")).unwrap();
    for (rel, text) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn kedalint(root: &Path, args: &[&str]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kedalint"));
    c.args(args).current_dir(root);
    if let Ok(path) = std::env::var("PATH") {
        c.env("PATH", path);
    }
    c.output().unwrap()
}

/// (rule, file, line, message, units) of every finding.
fn findings(root: &Path, extra: &[&str]) -> Vec<(String, String, u64, String, Vec<String>)> {
    let mut args = vec!["check", ".", "--format", "json"];
    args.extend(extra);
    let out = kedalint(root, &args);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let units = d["units"].as_array().map(|u| u.iter().map(|x| x.as_str().unwrap().to_owned()).collect()).unwrap_or_default();
            (d["rule"].as_str().unwrap().to_owned(), d["file"].as_str().unwrap().trim_start_matches("./").to_owned(), d["start"]["line"].as_u64().unwrap(), d["message"].as_str().unwrap().to_owned(), units)
        })
        .collect()
}

fn rules(f: &[(String, String, u64, String, Vec<String>)]) -> Vec<&str> {
    f.iter().map(|(r, ..)| r.as_str()).collect()
}

fn units_json(root: &Path) -> serde_json::Value {
    let out = kedalint(root, &["units", "--format", "json"]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// (name, origin, cluster, namespace, paths) of each unit.
fn unit_list(root: &Path) -> Vec<String> {
    let v = units_json(root);
    v["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| format!("{} ({}) cluster={} namespace={} paths={}", u["name"].as_str().unwrap(), u["origin"].as_str().unwrap(), u["cluster"].as_str().unwrap(), u["namespace"].as_str().unwrap_or("-"), u["paths"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect::<Vec<_>>().join(",")))
        .collect()
}

const WORKER: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: worker}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers: [{name: app, image: \"worker:1\", resources: {requests: {cpu: 100m}}}]
---
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata: {name: rabbit, namespace: jobs}
spec:
  secretTargetRef: [{parameter: host, name: rabbit, key: host}]
---
apiVersion: v1
kind: Secret
metadata: {name: rabbit}
stringData: {host: \"amqp://rabbit\"}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: worker}
spec:
  scaleTargetRef: {name: worker}
  triggers:
  - type: rabbitmq
    metadata: {queueName: jobs, mode: QueueLength, value: \"10\"}
    authenticationRef: {name: rabbit}
";

const CONFIG_MAP: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {level: info}\n";

const SECOND_SCALER: &str = "---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: worker-cpu}
spec:
  scaleTargetRef: {name: worker}
  minReplicaCount: 1
  triggers:
  - type: cpu
    metricType: Utilization
    metadata: {value: \"50\"}
";

fn application(name: &str, path: &str, server: &str, namespace: &str) -> String {
    format!(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {{name: {name}, namespace: argocd}}\nspec:\n  project: default\n  source: {{repoURL: https://github.com/org/gitops.git, path: {path}, targetRevision: HEAD}}\n  destination: {{server: '{server}', namespace: {namespace}}}\n"
    )
}

/// Two Applications deploy `clusters/<env>/worker` (objects without `metadata.namespace`) to two
/// clusters' namespace `jobs`: no duplicates, the TriggerAuthentication and Secret in `jobs`
/// found; a second ScaledObject planted in one unit is still an error on its line.
#[test]
fn applications_split_clusters_and_give_namespaces() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let apps = format!("{}---\n{}", application("worker-prod", "clusters/prod/worker", "https://prod.example.com", "jobs"), application("worker-staging", "clusters/staging/worker", "https://staging.example.com", "jobs"));
    write(root, &[("argocd/apps.yaml", &apps), ("clusters/prod/worker/worker.yaml", WORKER), ("clusters/staging/worker/worker.yaml", WORKER)]);
    assert_eq!(findings(root, &[]), vec![], "no duplicate across clusters, nothing dangling in `jobs`");
    assert_eq!(
        unit_list(root),
        [
            "worker-prod (Application) cluster=https://prod.example.com namespace=jobs paths=clusters/prod/worker",
            "worker-staging (Application) cluster=https://staging.example.com namespace=jobs paths=clusters/staging/worker"
        ]
    );

    std::fs::write(root.join("clusters/prod/worker/worker.yaml"), format!("{WORKER}{SECOND_SCALER}")).unwrap();
    let f = findings(root, &[]);
    let dup = f.iter().find(|(r, ..)| r == "duplicate-scale-target").unwrap_or_else(|| panic!("{f:#?}"));
    assert_eq!((dup.1.as_str(), dup.2), ("clusters/prod/worker/worker.yaml", 36), "{dup:?}");
    assert_eq!(dup.4, ["worker-prod"]);
    assert!(!dup.3.contains("only in"), "its file goes to one cluster: {}", dup.3);

    // Without the Applications, both folders would be one cluster: the same objects twice.
    std::fs::remove_file(root.join("argocd/apps.yaml")).unwrap();
    std::fs::write(root.join("clusters/prod/worker/worker.yaml"), WORKER).unwrap();
    let fallback = findings(root, &[]);
    assert!(!rules(&fallback).contains(&"duplicate-object"), "siblings are alternatives: {fallback:#?}");
}

/// A multi-source Application deploys several paths; a base shared by two clusters is checked
/// in each, and a finding only one cluster has says so.
#[test]
fn shared_bases_and_multi_source_applications() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let multi = |name: &str, env: &str| {
        format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {{name: {name}, namespace: argocd}}\nspec:\n  project: default\n  sources:\n    - {{repoURL: https://github.com/org/gitops.git, path: shared}}\n    - {{repoURL: https://github.com/org/gitops.git, path: {env}}}\n    - {{repoURL: https://charts.example.com, chart: redis, targetRevision: 1.0.0}}\n  destination: {{name: {env}, namespace: jobs}}\n"
        )
    };
    let scaler = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: worker}\nspec:\n  scaleTargetRef: {name: worker}\n  minReplicaCount: 1\n  triggers:\n  - type: cpu\n    metricType: Utilization\n    metadata: {value: \"50\"}\n";
    let deployment = WORKER.split("---").next().unwrap();
    write(root, &[("argocd/apps.yaml", &format!("{}---\n{}", multi("prod", "prod"), multi("staging", "staging"))), ("shared/scaler.yaml", scaler), ("prod/worker.yaml", deployment), ("staging/readme.yaml", "# the staging worker is not deployed yet\n")]);
    assert_eq!(unit_list(root), ["prod (Application) cluster=prod namespace=jobs paths=shared,prod", "staging (Application) cluster=staging namespace=jobs paths=shared,staging"]);
    let f = findings(root, &[]);
    let dangling: Vec<_> = f.iter().filter(|(r, ..)| r == "dangling-scale-target").collect();
    assert_eq!(dangling.len(), 1, "{f:#?}");
    assert!(dangling[0].3.ends_with("(only in cluster `staging`)"), "{}", dangling[0].3);
    assert_eq!(dangling[0].4, ["staging"]);
    // A per-object finding of the shared file is found in both units, and reported once.
    let once: Vec<_> = f.iter().filter(|(r, ..)| r == "cpu-memory-only-scale-to-zero" || r == "dangling-scale-target").collect();
    assert!(once.iter().all(|x| x.1 == "shared/scaler.yaml"));
}

/// An ApplicationSet's git directories crossed with a list of clusters, in both template
/// syntaxes: one unit per (directory, cluster), namespaces from the directory names.
#[test]
fn applicationsets_expand_offline() {
    for (go, path, name, ns) in [(false, "'{{path}}'", "'{{path.basename}}-{{cluster}}'", "'{{path.basename}}'"), (true, "'{{.path.path}}'", "'{{.path.basename}}-{{.cluster}}'", "'{{index .path.segments 1}}'")] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let set = format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {{name: teams, namespace: argocd}}\nspec:\n  goTemplate: {go}\n  generators:\n    - matrix:\n        generators:\n          - git:\n              repoURL: https://github.com/org/gitops.git\n              revision: HEAD\n              directories: [{{path: 'teams/*'}}, {{path: teams/retired, exclude: true}}]\n          - list: {{elements: [{{cluster: prod, url: 'https://prod.example.com'}}, {{cluster: staging, url: 'https://staging.example.com'}}]}}\n  template:\n    metadata: {{name: {name}}}\n    spec:\n      project: default\n      source: {{repoURL: https://github.com/org/gitops.git, path: {path}}}\n      destination: {{server: '{{{{{}url}}}}', namespace: {ns}}}\n",
            if go { "." } else { "" }
        );
        write(root, &[("argocd/teams.yaml", &set), ("teams/payments/worker.yaml", WORKER.replace("namespace: jobs", "namespace: payments").as_str()), ("teams/search/worker.yaml", WORKER.replace("namespace: jobs", "namespace: search").as_str()), ("teams/retired/config.yaml", CONFIG_MAP)]);
        assert_eq!(
            unit_list(root),
            [
                "payments-prod (ApplicationSet) cluster=https://prod.example.com namespace=payments paths=teams/payments",
                "search-prod (ApplicationSet) cluster=https://prod.example.com namespace=search paths=teams/search",
                "payments-staging (ApplicationSet) cluster=https://staging.example.com namespace=payments paths=teams/payments",
                "search-staging (ApplicationSet) cluster=https://staging.example.com namespace=search paths=teams/search"
            ],
            "goTemplate: {go}"
        );
        let f = findings(root, &[]);
        assert!(!rules(&f).iter().any(|r| r.starts_with("duplicate") || r.starts_with("dangling")), "goTemplate: {go}: {f:#?}");
    }
}

/// Flux: a cluster directory synced by its own Kustomization (from a GitRepository), whose
/// Kustomizations deploy app directories with `targetNamespace`; a second cluster the same.
#[test]
fn flux_kustomizations_from_a_git_repository() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let sync = |env: &str| format!("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {{name: flux-system, namespace: flux-system}}\nspec:\n  interval: 10m\n  path: ./clusters/{env}\n  sourceRef: {{kind: GitRepository, name: flux-system}}\n");
    let apps = |env: &str| format!("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {{name: workers, namespace: flux-system}}\nspec:\n  interval: 10m\n  path: ./workers/{env}\n  targetNamespace: jobs\n  sourceRef: {{kind: GitRepository, name: flux-system}}\n");
    write(
        root,
        &[
            ("clusters/production/flux-system/gotk-sync.yaml", &sync("production")),
            ("clusters/production/workers.yaml", &apps("production")),
            ("clusters/staging/flux-system/gotk-sync.yaml", &sync("staging")),
            ("clusters/staging/workers.yaml", &apps("staging")),
            ("workers/production/worker.yaml", WORKER),
            ("workers/staging/worker.yaml", WORKER),
        ],
    );
    assert_eq!(
        unit_list(root),
        [
            "flux-system (Flux Kustomization) cluster=production namespace=- paths=clusters/production",
            "workers (Flux Kustomization) cluster=production namespace=jobs paths=workers/production",
            "flux-system (Flux Kustomization) cluster=staging namespace=- paths=clusters/staging",
            "workers (Flux Kustomization) cluster=staging namespace=jobs paths=workers/staging"
        ]
    );
    assert_eq!(findings(root, &[]), vec![]);
}

/// fluxcd's reference layout (../shared/corpus/gitops/flux2-kustomize-helm-example): two
/// clusters whose Kustomizations deploy ExternalArtifacts that an ArtifactGenerator maps to the
/// repository, and `flux-system` directories holding only bootstrap placeholders.
#[test]
fn fluxcd_reference_layout() {
    let Some(shared) = common::shared_dir() else { return };
    let root = shared.join("corpus/gitops/flux2-kustomize-helm-example");
    let v = units_json(&root);
    let units: Vec<String> = v["units"].as_array().unwrap().iter().map(|u| format!("{}@{}:{}", u["name"].as_str().unwrap(), u["cluster"].as_str().unwrap(), u["paths"][0].as_str().unwrap())).collect();
    assert_eq!(
        units,
        [
            "apps@production:apps/production",
            "flux-system@production:clusters/production",
            "infra-configs@production:infrastructure/configs",
            "infra-controllers@production:infrastructure/controllers",
            "apps@staging:apps/staging",
            "flux-system@staging:clusters/staging",
            "infra-configs@staging:infrastructure/configs",
            "infra-controllers@staging:infrastructure/controllers"
        ]
    );
    let f = findings(&root, &[]);
    assert!(!rules(&f).contains(&"duplicate-object"), "{f:#?}");
}

/// `.kedalint.yaml` declares units for a layout that declares none, and overrides a discovered
/// one by name; its errors say where.
#[test]
fn configured_units() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let config = "units:\n  repo-urls: [https://github.com/org/gitops.git]\n  declare:\n    - {name: prod, cluster: prod, namespace: jobs, paths: [envs/prod]}\n    - {name: staging, cluster: staging, namespace: jobs, paths: [envs/staging]}\n    - {name: worker-other, namespace: jobs}\n";
    let other = application("worker-other", "other", "https://other.example.com", "default").replace("github.com/org/gitops", "github.com/org/elsewhere");
    write(root, &[(".kedalint.yaml", config), ("envs/prod/worker.yaml", WORKER), ("envs/staging/worker.yaml", WORKER), ("argocd/other.yaml", &other), ("other/config.yaml", CONFIG_MAP)]);
    assert_eq!(unit_list(root), ["prod (config) cluster=prod namespace=jobs paths=envs/prod", "staging (config) cluster=staging namespace=jobs paths=envs/staging"], "another repository's Application is not read");
    assert_eq!(findings(root, &[]), vec![]);

    std::fs::write(root.join(".kedalint.yaml"), "units:\n  declare:\n    - {name: prod, clusters: [prod]}\n").unwrap();
    let out = kedalint(root, &["check", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".kedalint.yaml:3:20: unknown key `clusters` in a unit; did you mean `cluster`?"), "{}", String::from_utf8_lossy(&out.stderr));
}

/// argoproj's example-apps shape: sibling app folders defining the same objects, the
/// Applications kept elsewhere. Siblings are alternatives; twice in one folder is a duplicate.
#[test]
fn sibling_folders_are_alternatives() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let guestbook = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: guestbook-ui}\nspec:\n  selector: {matchLabels: {app: guestbook-ui}}\n  template:\n    metadata: {labels: {app: guestbook-ui}}\n    spec: {containers: [{name: ui, image: \"gcr.io/heptio-images/ks-guestbook-demo:0.2\"}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: guestbook-ui}\nspec: {ports: [{port: 80}], selector: {app: guestbook-ui}}\n";
    write(root, &[("guestbook/guestbook-ui.yaml", guestbook), ("blue-green/guestbook-ui.yaml", guestbook), ("sync-waves/manifests.yaml", guestbook)]);
    assert!(!rules(&findings(root, &[])).contains(&"duplicate-object"));
    let v = units_json(root);
    assert_eq!(v["fallback"], true);
    assert_eq!(v["units"].as_array().unwrap().len(), 3);

    std::fs::write(root.join("guestbook/again.yaml"), guestbook).unwrap();
    let f = findings(root, &[]);
    let dups: Vec<_> = f.iter().filter(|(r, ..)| r == "duplicate-object").collect();
    assert_eq!(dups.len(), 2, "the Deployment and the Service, twice in one folder: {f:#?}");
    assert!(dups.iter().all(|d| d.1.starts_with("guestbook/")));
}

/// `kedalint units` as people read it.
#[test]
fn units_text_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let apps = format!("{}---\n{}", application("worker-prod", "clusters/prod/worker", "https://kubernetes.default.svc", "jobs"), application("worker-staging", "clusters/staging/worker", "https://staging.example.com", "jobs"));
    write(root, &[("argocd/apps.yaml", &apps), ("clusters/prod/worker/worker.yaml", WORKER), ("clusters/staging/worker/worker.yaml", WORKER), ("stray/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stray}\n")]);
    let out = kedalint(root, &["units"]);
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

/// Units from the render of an app-of-apps chart (its templates are Applications), and a Flux
/// HelmRelease of a chart in this repository, rendered with the real Helm.
#[test]
fn rendered_applications_and_in_repo_helm_releases() {
    if std::env::var("KEDALINT_EXTERNAL_TESTS").map_or(true, |v| v != "1") {
        eprintln!("notice: KEDALINT_EXTERNAL_TESTS is not set; skipping a test that renders with helm (run scripts/test.sh)");
        return;
    }
    let helm = common::manifest_dir().join("tests/tools/helm");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let child = |env: &str| application(&format!("worker-{env}"), &format!("envs/{env}"), &format!("https://{env}.example.com"), "jobs");
    let release = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: podinfo, namespace: flux-system}\nspec:\n  interval: 10m\n  targetNamespace: web\n  chart:\n    spec:\n      chart: ./charts/web\n      sourceRef: {kind: GitRepository, name: flux-system}\n";
    let web = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: \"web:1\", resources: {requests: {cpu: 100m}}}]}\n---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {name: web}\n  minReplicaCount: 1\n  triggers: [{type: cpu, metricType: Utilization, metadata: {value: \"50\"}}]\n";
    write(
        root,
        &[
            ("apps/Chart.yaml", "apiVersion: v2\nname: apps\nversion: 0.1.0\n"),
            ("apps/templates/prod.yaml", &child("prod")),
            ("apps/templates/staging.yaml", &child("staging")),
            ("envs/prod/worker.yaml", WORKER),
            ("envs/staging/worker.yaml", WORKER),
            ("clusters/prod/flux-system/gotk-sync.yaml", "# written by flux bootstrap\n"),
            ("clusters/prod/web.yaml", release),
            ("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n"),
            ("charts/web/templates/web.yaml", web),
        ],
    );
    let helm = helm.to_str().unwrap();
    let out = kedalint(root, &["units", "--format", "json", "--helm", helm]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let units: Vec<String> = v["units"].as_array().unwrap().iter().map(|u| format!("{}:{}:{}", u["name"].as_str().unwrap(), u["cluster"].as_str().unwrap(), u["namespace"].as_str().unwrap_or("-"))).collect();
    assert_eq!(units, ["worker-prod:https://prod.example.com:jobs", "worker-staging:https://staging.example.com:jobs", "flux-system:prod:-", "podinfo:prod:web"], "{v:#}");
    let f = findings(root, &["--helm", helm]);
    assert!(!rules(&f).iter().any(|r| r.starts_with("duplicate") || r.starts_with("dangling")), "{f:#?}");
}
