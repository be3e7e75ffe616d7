//! `kedalint cluster`: the live state, read through the Kubernetes API with kube's client, and
//! linted with the same rules as files.
//!
//! Every resource kind the rules need is listed ([`RESOURCES`]), page by page (`limit` and
//! `continue`), with a timeout, and retried with exponential backoff on 429 and 5xx. Nothing is
//! ever written: [`VERBS`] is the whole of what this module asks the API server, and the RBAC in
//! deploy/cluster/rbac.yaml grants exactly that (a test checks both). Each live object becomes a
//! source of its own, named `cluster://<context>/<namespace>/<Kind>/<name>` and holding the
//! object as pretty JSON, so findings have a line and column there, and their labels carry the
//! field path. `--with` overlays desired manifests (files, charts, or stdin): a desired object
//! replaces the live one with the same kind, namespace and name, so the run answers "what goes
//! wrong if this syncs now".
//!
//! Failures that stop the run (unreachable API server, rejected credentials, KEDA's CRDs missing,
//! an RBAC denial) are errors with a message that says what to do; the CLI exits 2.

use crate::model::Object;
use crate::yaml::{Node, NodeKind};
use kube::Client;
use serde_json::Value;
use std::time::Duration;

/// One kind of object the rules read from a cluster.
#[derive(Debug, Clone, Copy)]
pub struct Resource {
    pub group: &'static str,
    pub version: &'static str,
    pub plural: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
}

impl Resource {
    fn api_version(&self) -> String {
        if self.group.is_empty() { self.version.to_owned() } else { format!("{}/{}", self.group, self.version) }
    }

    fn path(&self, namespace: Option<&str>) -> String {
        let base = if self.group.is_empty() { format!("/api/{}", self.version) } else { format!("/apis/{}/{}", self.group, self.version) };
        match namespace.filter(|_| self.namespaced) {
            Some(ns) => format!("{base}/namespaces/{ns}/{}", self.plural),
            None => format!("{base}/{}", self.plural),
        }
    }

    /// `plural.group`, as RBAC and kubectl name it.
    pub fn qualified(&self) -> String {
        if self.group.is_empty() { self.plural.to_owned() } else { format!("{}.{}", self.plural, self.group) }
    }
}

const fn res(group: &'static str, version: &'static str, plural: &'static str, kind: &'static str, namespaced: bool) -> Resource {
    Resource { group, version, plural, kind, namespaced }
}

/// What the rules read. KEDA's own kinds first: if they are not served, nothing else matters.
pub const RESOURCES: [Resource; 9] = [
    res("keda.sh", "v1alpha1", "scaledobjects", "ScaledObject", true),
    res("keda.sh", "v1alpha1", "scaledjobs", "ScaledJob", true),
    res("keda.sh", "v1alpha1", "triggerauthentications", "TriggerAuthentication", true),
    res("keda.sh", "v1alpha1", "clustertriggerauthentications", "ClusterTriggerAuthentication", false),
    res("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true),
    res("apps", "v1", "deployments", "Deployment", true),
    res("apps", "v1", "statefulsets", "StatefulSet", true),
    res("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true),
    res("", "v1", "limitranges", "LimitRange", true),
];

/// The only API verb this module uses.
pub const VERBS: [&str; 1] = ["list"];

/// Objects per page.
const PAGE: usize = 500;

#[derive(Debug, Clone)]
pub struct Options {
    /// `None`: all namespaces.
    pub namespace: Option<String>,
    pub context: Option<String>,
    pub kubeconfig: Option<std::path::PathBuf>,
    pub timeout: Duration,
    /// Attempts per request on 429 and 5xx.
    pub attempts: u32,
    /// First backoff; doubled per attempt.
    pub backoff: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options { namespace: None, context: None, kubeconfig: None, timeout: Duration::from_secs(30), attempts: 5, backoff: Duration::from_millis(200) }
    }
}

/// The live objects, and what was learned about the install.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub context: String,
    /// `(display path, pretty JSON)` per object.
    pub objects: Vec<(String, String)>,
    /// `(major, minor)` of the KEDA operator's image, and the image.
    pub keda_version: Option<((u32, u32), String)>,
}

/// Read the cluster. Errors are complete messages for people.
pub fn snapshot(opts: &Options) -> Result<Snapshot, String> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("cannot start the async runtime: {e}"))?;
    rt.block_on(snapshot_async(opts))
}

async fn connect(opts: &Options) -> Result<(Client, String, String), String> {
    use kube::config::{Config, KubeConfigOptions, Kubeconfig};
    let kube_opts = KubeConfigOptions { context: opts.context.clone(), ..Default::default() };
    let (mut config, context) = match &opts.kubeconfig {
        Some(path) => {
            let kc = Kubeconfig::read_from(path).map_err(|e| format!("cannot read kubeconfig `{}`: {e}", path.display()))?;
            let context = opts.context.clone().or_else(|| kc.current_context.clone()).unwrap_or_default();
            (Config::from_custom_kubeconfig(kc, &kube_opts).await.map_err(|e| format!("kubeconfig `{}`: {e}", path.display()))?, context)
        }
        None if opts.context.is_some() => {
            (Config::from_kubeconfig(&kube_opts).await.map_err(|e| format!("kubeconfig: {e}"))?, opts.context.clone().unwrap_or_default())
        }
        None => {
            let context = Kubeconfig::read().ok().and_then(|k| k.current_context).unwrap_or_else(|| "in-cluster".into());
            (Config::infer().await.map_err(|e| format!("no kubeconfig and not in a cluster: {e}"))?, context)
        }
    };
    // kube's own retry layer waits up to 15 times with backoff growing to 1000 s on 429/503/504:
    // too long for a pre-sync check. Retries here are bounded and said in the error.
    config.default_retry = false;
    config.connect_timeout = Some(opts.timeout);
    config.read_timeout = Some(opts.timeout);
    let url = config.cluster_url.to_string();
    let client = Client::try_from(config).map_err(|e| format!("cannot build a Kubernetes client: {e}"))?;
    Ok((client, context, url))
}

async fn snapshot_async(opts: &Options) -> Result<Snapshot, String> {
    let (client, context, url) = connect(opts).await?;
    let mut snap = Snapshot { context: context.clone(), ..Default::default() };
    for r in RESOURCES {
        let items = list(&client, &r, opts, &url).await?;
        for mut item in items {
            if let Some(map) = item.as_object_mut() {
                // List items carry no apiVersion/kind; the list does.
                map.entry("apiVersion").or_insert_with(|| Value::String(r.api_version()));
                map.entry("kind").or_insert_with(|| Value::String(r.kind.into()));
            }
            let ns = item.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("_cluster").to_owned();
            let name = item.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("<unnamed>").to_owned();
            if r.kind == "Deployment" && snap.keda_version.is_none() {
                snap.keda_version = operator_version(&item);
            }
            let text = serde_json::to_string_pretty(&item).expect("JSON values serialize");
            snap.objects.push((format!("cluster://{context}/{ns}/{}/{name}", r.kind), text + "\n"));
        }
    }
    Ok(snap)
}

/// The KEDA version of an operator Deployment, from its image tag (`ghcr.io/kedacore/keda:2.16.1`).
fn operator_version(deployment: &Value) -> Option<((u32, u32), String)> {
    let containers = deployment.pointer("/spec/template/spec/containers")?.as_array()?;
    containers.iter().filter_map(|c| c.get("image").and_then(Value::as_str)).find_map(|image| {
        let (repo, tag) = image.rsplit_once(':')?;
        if !repo.ends_with("kedacore/keda") {
            return None;
        }
        let version = crate::config::parse_keda_version(tag.split('@').next()?)?;
        Some((version, image.to_owned()))
    })
}

async fn list(client: &Client, r: &Resource, opts: &Options, url: &str) -> Result<Vec<Value>, String> {
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut path = format!("{}?limit={PAGE}", r.path(opts.namespace.as_deref()));
        if let Some(t) = &token {
            path.push_str("&continue=");
            path.push_str(&urlencode(t));
        }
        let page = get_with_retries(client, &path, r, opts, url).await?;
        items.extend(page.get("items").and_then(Value::as_array).cloned().unwrap_or_default());
        token = page.pointer("/metadata/continue").and_then(Value::as_str).filter(|t| !t.is_empty()).map(str::to_owned);
        if token.is_none() {
            return Ok(items);
        }
    }
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

async fn get_with_retries(client: &Client, path: &str, r: &Resource, opts: &Options, url: &str) -> Result<Value, String> {
    let mut delay = opts.backoff;
    let mut attempt = 1;
    loop {
        let request = http::Request::get(path).body(Vec::new()).map_err(|e| e.to_string())?;
        match client.request::<Value>(request).await {
            Ok(v) => return Ok(v),
            Err(kube::Error::Api(status)) if (status.code == 429 || status.code >= 500) && attempt < opts.attempts => {
                let _ = status;
                tokio::time::sleep(delay).await;
                delay *= 2;
                attempt += 1;
            }
            Err(e) => return Err(explain(e, r, opts, url, attempt)),
        }
    }
}

/// What a failed list means, and what to do about it.
fn explain(e: kube::Error, r: &Resource, opts: &Options, url: &str, attempts: u32) -> String {
    let scope = match (&opts.namespace, r.namespaced) {
        (Some(ns), true) => format!(" in namespace `{ns}`"),
        _ => " cluster-wide".to_owned(),
    };
    match e {
        kube::Error::Api(s) => match s.code {
            401 => format!("the API server at {url} rejected the credentials (401 Unauthorized): the token or certificate is missing or expired; refresh the kubeconfig (e.g. log in again)"),
            403 => format!(
                "RBAC denies `list` on `{}`{scope} (403 Forbidden: {}); grant the `list` verb on `{}` (deploy/cluster/rbac.yaml has the ClusterRole kedalint needs)",
                r.qualified(),
                s.message,
                r.qualified()
            ),
            404 if r.group == "keda.sh" => format!("the KEDA CRDs are not installed: the API server does not serve `{}` (404); install KEDA, or lint files with `kedalint check`", r.qualified()),
            429 | 500.. => format!("listing `{}` failed {attempts} times (HTTP {}: {}); the API server is overloaded or failing", r.qualified(), s.code, s.message),
            code => format!("listing `{}`{scope} failed (HTTP {code}: {})", r.qualified(), s.message),
        },
        other => {
            let text = other.to_string();
            if text.to_lowercase().contains("timed out") || text.to_lowercase().contains("timeout") {
                format!("the API server at {url} did not answer within {}s: {text}", opts.timeout.as_secs())
            } else {
                format!("cannot reach the API server at {url}: {text}")
            }
        }
    }
}

/// Lint the live objects with the desired manifests from `with` (files, directories, charts, `-`)
/// replacing the live objects they name.
pub fn lint(snap: Snapshot, with: &[std::path::PathBuf], config: &crate::config::Config, schemas: &crate::schema::validate::Schemas) -> Result<crate::engine::Outcome, String> {
    use crate::engine::Input;
    let files: Vec<std::path::PathBuf> = with.iter().filter(|p| p.as_os_str() != "-").cloned().collect();
    let found = crate::discovery::discover(&files, &crate::discovery::build_excludes(&config.exclude)?, std::path::Path::new("."));
    if let Some(m) = found.missing.first() {
        return Err(format!("{}: no such file or directory", m.display()));
    }
    let mut rendering = crate::render::render(found.files, config, &crate::render::RenderOptions::default());
    let mut inputs: Vec<Input> = std::mem::take(&mut rendering.plain).into_iter().map(|p| Input::read(p, config.max_file_size)).collect();
    if with.iter().any(|p| p.as_os_str() == "-") {
        let buf = crate::files::read_stdin(config.max_file_size).map_err(|e| format!("stdin: {e}"))?;
        inputs.push(Input::bytes("<stdin>", buf));
    }
    // The identities the desired manifests define: live objects with these are replaced.
    let mut desired = std::collections::HashSet::new();
    let texts = inputs.iter().filter_map(|i| match &i.content { crate::engine::Content::Bytes(b) => Some(b), _ => None }).map(|b| String::from_utf8_lossy(b).into_owned()).chain(rendering.rendered.iter().map(|r| r.text.clone()));
    for text in texts {
        for doc in crate::yaml::load(&text).documents {
            if let Some(o) = doc.root.and_then(|r| Object::from_node(&r, 0, 0, &config.default_namespace)) {
                desired.insert(o.key());
            }
        }
    }
    for (path, json) in snap.objects {
        let root = crate::yaml::load(&json).documents.into_iter().find_map(|d| d.root);
        let replaced = root.and_then(|r| Object::from_node(&r, 0, 0, &config.default_namespace)).is_some_and(|o| desired.contains(&o.key()));
        if !replaced {
            inputs.push(Input::bytes(path, json.into_bytes()));
        }
    }
    // Field paths are read from the live objects' trees after the run.
    let config = crate::Config { keep_trees: true, ..config.clone() };
    let mut outcome = crate::engine::run_rendered(inputs, rendering, &config, schemas);
    annotate_field_paths(&mut outcome);
    Ok(outcome)
}

/// The field path (`spec.triggers[0].metadata.value`) of the deepest node of `root` containing `at`.
pub fn field_path(root: &Node, at: usize) -> String {
    let mut path = String::new();
    let mut node = root;
    'descend: loop {
        match &node.kind {
            NodeKind::Map(entries) => {
                for e in entries {
                    if (e.key.span.start <= at && at < e.key.span.end) || (e.value.span.start <= at && at < e.value.span.end.max(e.value.span.start + 1)) {
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push_str(e.key.text().unwrap_or("?"));
                        node = &e.value;
                        continue 'descend;
                    }
                }
                return path;
            }
            NodeKind::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    if item.span.start <= at && at < item.span.end.max(item.span.start + 1) {
                        path.push_str(&format!("[{i}]"));
                        node = item;
                        continue 'descend;
                    }
                }
                return path;
            }
            NodeKind::Scalar(_) => return path,
        }
    }
}

/// Add the field path to every label that points into a live object.
pub fn annotate_field_paths(outcome: &mut crate::engine::Outcome) {
    let live: Vec<bool> = outcome.index.files.iter().map(|f| f.path.to_string_lossy().starts_with("cluster://")).collect();
    let mut roots: std::collections::HashMap<usize, &Object> = std::collections::HashMap::new();
    for o in outcome.index.objects.iter().filter(|o| live[o.file]) {
        roots.insert(o.file, o);
    }
    for d in &mut outcome.diagnostics {
        for l in &mut d.labels {
            if let Some(obj) = roots.get(&l.file) {
                let p = field_path(&obj.node, l.span.start);
                if !p.is_empty() {
                    l.text = format!("{} (at `{p}`)", l.text).into();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_field_paths() {
        assert_eq!(RESOURCES[0].path(Some("shop")), "/apis/keda.sh/v1alpha1/namespaces/shop/scaledobjects");
        assert_eq!(RESOURCES[3].path(Some("shop")), "/apis/keda.sh/v1alpha1/clustertriggerauthentications");
        assert_eq!(RESOURCES[8].path(None), "/api/v1/limitranges");
        let text = "{\"spec\": {\"triggers\": [{\"type\": \"cpu\", \"metadata\": {\"value\": \"60\"}}]}}";
        let root = crate::yaml::load(text).documents.into_iter().find_map(|d| d.root).unwrap();
        assert_eq!(field_path(&root, text.find("\"60\"").unwrap()), "spec.triggers[0].metadata.value");
    }

    #[test]
    fn operator_version_from_image() {
        let d: Value = serde_json::json!({"spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/kedacore/keda:2.16.1"}]}}}});
        assert_eq!(operator_version(&d).unwrap().0, (2, 16));
        let other: Value = serde_json::json!({"spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/kedacore/keda-metrics-apiserver:2.16.1"}]}}}});
        assert!(operator_version(&other).is_none());
    }
}
