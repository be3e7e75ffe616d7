//! `kedalint cluster` with the real kube client against an HTTP server on 127.0.0.1 that this
//! test starts and that speaks the Kubernetes list API with real-shaped JSON: pagination with
//! `continue`, 429 then success, 403 (RBAC), 404 (CRDs missing), 401 (expired credentials), and
//! no server at all. No real API server runs on this machine; see the README for what was tested
//! against a real cluster (nothing yet).

mod common;

use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

type Handler = Arc<dyn Fn(&str, u32) -> (u16, Value) + Send + Sync>;

/// A tiny HTTP/1.1 server: each request's path (with query) and how many times that path was
/// asked go to `handler`, which returns the status and JSON body.
struct FakeApi {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

impl FakeApi {
    fn start(handler: Handler) -> FakeApi {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            let counts: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (handler, seen, counts) = (handler.clone(), seen.clone(), counts.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut writer = stream;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let mut parts = line.split_whitespace();
                        let method = parts.next().unwrap_or("").to_owned();
                        let path = parts.next().unwrap_or("").to_owned();
                        loop {
                            let mut h = String::new();
                            if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                                break;
                            }
                        }
                        seen.lock().unwrap().push(format!("{method} {path}"));
                        let n = {
                            let mut c = counts.lock().unwrap();
                            let e = c.entry(path.clone()).or_insert(0);
                            *e += 1;
                            *e
                        };
                        let (code, body) = handler(&path, n);
                        let body = body.to_string();
                        let reason = match code {
                            200 => "OK",
                            401 => "Unauthorized",
                            403 => "Forbidden",
                            404 => "Not Found",
                            429 => "Too Many Requests",
                            _ => "Error",
                        };
                        let response = format!("HTTP/1.1 {code} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len());
                        if writer.write_all(response.as_bytes()).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        FakeApi { port, requests }
    }

    fn kubeconfig(&self, dir: &Path) -> std::path::PathBuf {
        kubeconfig_for(dir, &format!("http://127.0.0.1:{}", self.port))
    }
}

fn kubeconfig_for(dir: &Path, server: &str) -> std::path::PathBuf {
    let path = dir.join("kubeconfig");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: test\nclusters:\n- name: fake\n  cluster:\n    server: {server}\ncontexts:\n- name: test\n  context:\n    cluster: fake\n    user: me\nusers:\n- name: me\n  user:\n    token: secret-token\n"
        ),
    )
    .unwrap();
    path
}

fn status(code: u16, reason: &str, message: &str) -> (u16, Value) {
    (code, json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message, "reason": reason, "code": code}))
}

fn list(kind: &str, api_version: &str, items: Vec<Value>, cont: Option<&str>) -> (u16, Value) {
    let mut meta = json!({"resourceVersion": "12345"});
    if let Some(c) = cont {
        meta["continue"] = json!(c);
    }
    (200, json!({"kind": format!("{kind}List"), "apiVersion": api_version, "metadata": meta, "items": items}))
}

fn deployment(ns: &str, name: &str, image: &str, requests: bool) -> Value {
    let mut container = json!({"name": name, "image": image});
    if requests {
        container["resources"] = json!({"requests": {"cpu": "100m"}});
    }
    json!({"metadata": {"name": name, "namespace": ns, "uid": format!("uid-{name}"), "resourceVersion": "1"},
           "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                    "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [container]}}},
           "status": {"replicas": 1}})
}

/// A healthy cluster: KEDA 2.14 installed; `web` has a ScaledObject with a cpu trigger but no cpu
/// request; `api` is scaled by a plain HPA. Deployments come in two pages; ScaledObjects answer
/// 429 once.
fn healthy(path: &str, n: u32) -> (u16, Value) {
    let p = path.split('?').next().unwrap();
    match p {
        "/apis/keda.sh/v1alpha1/scaledobjects" if n == 1 => status(429, "TooManyRequests", "rate limited"),
        "/apis/keda.sh/v1alpha1/scaledobjects" => list(
            "ScaledObject",
            "keda.sh/v1alpha1",
            vec![json!({"metadata": {"name": "web", "namespace": "shop"}, "spec": {"scaleTargetRef": {"name": "web"}, "minReplicaCount": 1, "maxReplicaCount": 5,
                "triggers": [{"type": "cpu", "metricType": "Utilization", "metadata": {"value": "60"}}]}})],
            None,
        ),
        "/apis/apps/v1/deployments" if !path.contains("continue=") => {
            list("Deployment", "apps/v1", vec![deployment("keda", "keda-operator", "ghcr.io/kedacore/keda:2.14.0", true), deployment("shop", "web", "web:1", false)], Some("page-2"))
        }
        "/apis/apps/v1/deployments" => list("Deployment", "apps/v1", vec![deployment("shop", "api", "api:1", true)], None),
        "/apis/autoscaling/v2/horizontalpodautoscalers" => list(
            "HorizontalPodAutoscaler",
            "autoscaling/v2",
            vec![json!({"metadata": {"name": "api", "namespace": "shop"}, "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"}, "minReplicas": 1, "maxReplicas": 4,
                "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}})],
            None,
        ),
        _ if p.starts_with("/api") => list("Any", "v1", vec![], None),
        _ => status(404, "NotFound", "the server could not find the requested resource"),
    }
}

fn run(kubeconfig: &Path, extra: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kedalint"));
    cmd.arg("cluster").arg("--kubeconfig").arg(kubeconfig).args(["--timeout", "5", "--format", "json"]).args(extra);
    cmd.env_remove("KUBECONFIG");
    match stdin {
        Some(text) => {
            use std::process::Stdio;
            let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
            child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
            child.wait_with_output().unwrap()
        }
        None => cmd.output().unwrap(),
    }
}

fn findings(out: &Output) -> Vec<Value> {
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("stdout: {}\nstderr: {}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)));
    v["diagnostics"].as_array().unwrap().clone()
}

#[test]
fn live_state_is_linted_with_pagination_and_retries() {
    let api = FakeApi::start(Arc::new(healthy));
    let dir = tempfile::tempdir().unwrap();
    let out = run(&api.kubeconfig(dir.path()), &[], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("judging against KEDA 2.14 (the operator runs ghcr.io/kedacore/keda:2.14.0)"), "{stderr}");
    let found = findings(&out);
    let missing = found.iter().find(|d| d["rule"] == "missing-resource-requests").expect("cpu trigger without requests");
    assert_eq!(missing["file"], "cluster://test/shop/ScaledObject/web");
    assert!(missing["label"].as_str().unwrap().contains("(at `spec.triggers[0].type`)"), "{missing}");
    let requests = api.requests.lock().unwrap().clone();
    assert_eq!(requests.iter().filter(|r| r.starts_with("GET /apis/keda.sh/v1alpha1/scaledobjects?limit=500")).count(), 2, "429, then retried: {requests:?}");
    assert!(requests.iter().any(|r| r == "GET /apis/apps/v1/deployments?limit=500&continue=page-2"), "second page: {requests:?}");
    assert!(requests.iter().all(|r| r.starts_with("GET ")), "read-only: {requests:?}");
    // The second page's Deployment is in the index: `api`'s HPA is found against it below.
}

#[test]
fn desired_manifests_replace_live_objects() {
    let api = FakeApi::start(Arc::new(healthy));
    let dir = tempfile::tempdir().unwrap();
    // The sync would fix `web` (requests added) and add a ScaledObject for `api`, which a plain
    // HPA already scales, with a fallback on a cpu trigger that KEDA 2.14 (the live operator) rejects.
    let desired = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "web:2", resources: {requests: {cpu: 100m}}}]
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {name: api}
  fallback: {failureThreshold: 3, replicas: 2}
  triggers:
    - {type: cpu, metricType: Utilization, metadata: {value: "60"}}
"#;
    let out = run(&api.kubeconfig(dir.path()), &["--with", "-"], Some(desired));
    let found = findings(&out);
    let rules: Vec<&str> = found.iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert!(!rules.contains(&"missing-resource-requests"), "the desired Deployment replaced the live one: {rules:?}");
    let hpa = found.iter().find(|d| d["rule"] == "conflicting-hpa").expect("a live HPA not owned by KEDA targets api");
    assert_eq!(hpa["file"], "<stdin>");
    assert!(hpa["related"].as_array().unwrap().iter().any(|r| r["file"] == "cluster://test/shop/HorizontalPodAutoscaler/api"), "{hpa}");
    assert!(rules.contains(&"invalid-fallback"), "KEDA 2.14 rejects a fallback with a cpu trigger: {rules:?}");
}

#[test]
fn rbac_denial_names_verb_and_resource() {
    let api = FakeApi::start(Arc::new(|path: &str, n| {
        if path.starts_with("/api/v1/limitranges") {
            status(403, "Forbidden", "limitranges is forbidden: User \"system:serviceaccount:argocd:kedalint\" cannot list resource \"limitranges\" in API group \"\" at the cluster scope")
        } else {
            healthy(path, n + 1)
        }
    }));
    let dir = tempfile::tempdir().unwrap();
    let out = run(&api.kubeconfig(dir.path()), &[], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("RBAC denies `list` on `limitranges` cluster-wide") && stderr.contains("deploy/cluster/rbac.yaml"), "{stderr}");
}

#[test]
fn missing_crds_expired_credentials_and_no_server_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let no_crds = FakeApi::start(Arc::new(|path: &str, _| {
        if path.starts_with("/apis/keda.sh") { (404, json!("404 page not found")) } else { list("Any", "v1", vec![], None) }
    }));
    let out = run(&no_crds.kubeconfig(dir.path()), &["--namespace", "shop"], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the KEDA CRDs are not installed") && stderr.contains("scaledobjects.keda.sh"), "{stderr}");
    assert!(no_crds.requests.lock().unwrap().iter().any(|r| r.starts_with("GET /apis/keda.sh/v1alpha1/namespaces/shop/scaledobjects")));

    let expired = FakeApi::start(Arc::new(|_: &str, _| status(401, "Unauthorized", "Unauthorized")));
    let out = run(&expired.kubeconfig(dir.path()), &[], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("rejected the credentials (401 Unauthorized)"), "{stderr}");

    let flaky = FakeApi::start(Arc::new(|_: &str, _| status(503, "ServiceUnavailable", "etcd is down")));
    let out = run(&flaky.kubeconfig(dir.path()), &[], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("failed 5 times (HTTP 503: etcd is down)"), "{stderr}");

    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let out = run(&kubeconfig_for(dir.path(), &format!("http://127.0.0.1:{port}")), &[], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("cannot reach the API server at http://127.0.0.1:"), "{stderr}");
}

/// The code asks for no verb but `list`, on exactly the resources the RBAC grants; the RBAC
/// grants nothing else.
#[test]
fn read_only_and_rbac_matches_the_code() {
    let src = std::fs::read_to_string(common::manifest_dir().join("src/cluster.rs")).unwrap();
    for write in ["Request::post", "Request::put", "Request::patch", "Request::delete", ".create(", ".replace(", ".patch(", ".delete("] {
        assert!(!src.contains(write), "src/cluster.rs uses `{write}`");
    }
    assert_eq!(src.matches("http::Request::").count(), 1, "one request builder, a GET");
    assert!(src.contains("http::Request::get(path)"));
    assert_eq!(kedalint::cluster::VERBS, ["list"]);

    let text = std::fs::read_to_string(common::manifest_dir().join("deploy/cluster/rbac.yaml")).unwrap();
    let mut granted = Vec::new();
    for doc in kedalint::yaml::load(&text).documents.into_iter().filter_map(|d| d.root) {
        if !matches!(doc.get("kind").and_then(|k| k.text()), Some("ClusterRole" | "Role")) {
            continue;
        }
        for rule in doc.get("rules").and_then(|r| r.as_seq()).unwrap_or_default() {
            let verbs: Vec<&str> = rule.get("verbs").unwrap().as_seq().unwrap().iter().filter_map(|v| v.text()).collect();
            assert_eq!(verbs, ["list"], "only the verbs the code uses");
            for g in rule.get("apiGroups").unwrap().as_seq().unwrap() {
                for r in rule.get("resources").unwrap().as_seq().unwrap() {
                    granted.push(format!("{}/{}", g.text().unwrap(), r.text().unwrap()));
                }
            }
        }
    }
    granted.sort();
    let mut needed: Vec<String> = kedalint::cluster::RESOURCES.iter().map(|r| format!("{}/{}", r.group, r.plural)).collect();
    needed.sort();
    assert_eq!(granted, needed);
}
