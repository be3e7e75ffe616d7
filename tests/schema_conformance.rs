//! The model's schemas against KEDA's real CRDs (../shared/keda/crds/v2.20.2, bases plus the
//! release patches): the same property paths, types, enums, required lists and bounds.
//! Every deliberate difference is listed in `ALLOWED` with its reason.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, PartialEq, Clone)]
struct Facts {
    type_: String,
    enum_: Option<Vec<String>>,
    required: Vec<String>,
    bounds: Vec<String>,
}

fn facts(s: &Value) -> Facts {
    let type_ = if s.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true)) {
        "int-or-string".to_owned()
    } else {
        s.get("type").and_then(Value::as_str).unwrap_or("").to_owned()
    };
    let enum_ = s.get("enum").and_then(Value::as_array).map(|a| {
        let mut v: Vec<String> = a.iter().map(|x| x.as_str().map_or(x.to_string(), str::to_owned)).collect();
        v.sort();
        v
    });
    let mut required: Vec<String> = s.get("required").and_then(Value::as_array).map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()).unwrap_or_default();
    required.sort();
    let bounds = ["minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"]
        .iter()
        .filter_map(|k| s.get(*k).map(|v| format!("{k}={}", v.as_f64().unwrap_or_default())))
        .collect();
    Facts { type_, enum_, required, bounds }
}

fn walk(s: &Value, path: String, out: &mut BTreeMap<String, Facts>) {
    out.insert(path.clone(), facts(s));
    if let Some(props) = s.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            walk(v, format!("{path}.{k}"), out);
        }
    }
    if let Some(items) = s.get("items") {
        walk(items, format!("{path}[]"), out);
    }
    if let Some(ap) = s.get("additionalProperties").filter(|a| a.is_object()) {
        walk(ap, format!("{path}{{}}"), out);
    }
}

/// Deliberate differences: (path prefix, reason).
const ALLOWED: &[(&str, &str)] = &[
    (".status", "status is written by the operator; manifests in Git do not carry it, so the model leaves it out"),
    (
        ".spec.jobTargetRef",
        "the Job spec comes from k8s-openapi (Kubernetes 1.35 API), not from the k8s.io/api KEDA vendors: fields and descriptions of newer or older Kubernetes releases may differ; the KEDA-owned fields above it are compared exactly",
    ),
];

/// Deliberate differences in a required list: (path, field, reason).
const OPTIONAL_HERE: &[(&str, &str, &str)] = &[
    (".spec.oauth2", "type", "the CRD requires `type` but defaults it to `clientCredentials`; the API server applies the default before validating, so a manifest may omit it"),
];

fn allowed(path: &str) -> bool {
    ALLOWED.iter().any(|(p, _)| path == *p || path.starts_with(&format!("{p}.")) || path.starts_with(&format!("{p}[")) || path.starts_with(&format!("{p}{{")))
}

fn crd_file_schema(shared: &std::path::Path, file: &str) -> Value {
    let text = std::fs::read_to_string(shared.join("keda/crds/v2.20.2").join(file)).unwrap();
    let loaded = kedalint::yaml::load(&text);
    let crd = loaded.documents[0].root.as_ref().unwrap().to_json();
    let mut schema = crd.pointer("/spec/versions/0/schema/openAPIV3Schema").unwrap().clone();
    apply_release_patches(file, &mut schema);
    schema
}

/// KEDA's release kustomization applies config/crd/patches/*.yaml to the bases; do the same here
/// for the patch operations that change what this test compares.
fn apply_release_patches(file: &str, schema: &mut Value) {
    match file {
        "keda.sh_scaledobjects.yaml" => {
            for dir in ["scaleDown", "scaleUp"] {
                let p = format!("/properties/spec/properties/advanced/properties/horizontalPodAutoscalerConfig/properties/behavior/properties/{dir}/properties/stabilizationWindowSeconds");
                let s = schema.pointer_mut(&p).unwrap();
                s["minimum"] = 0.into();
                s["maximum"] = 3600.into();
            }
        }
        "keda.sh_scaledjobs.yaml" => {
            schema.pointer_mut("/properties/spec/properties/triggers/items/properties").unwrap().as_object_mut().unwrap().remove("metricType");
        }
        _ => {}
    }
}

fn without_optional(path: &str, f: &Facts) -> Facts {
    let mut f = f.clone();
    f.required.retain(|r| !OPTIONAL_HERE.iter().any(|(p, field, _)| *p == path && field == r));
    f
}

#[test]
fn model_schemas_match_keda_crds() {
    let Some(shared) = common::shared_dir() else { return };
    let cases = [
        ("ScaledObject", "keda.sh_scaledobjects.yaml"),
        ("ScaledJob", "keda.sh_scaledjobs.yaml"),
        ("TriggerAuthentication", "keda.sh_triggerauthentications.yaml"),
        ("ClusterTriggerAuthentication", "keda.sh_clustertriggerauthentications.yaml"),
    ];
    let mut problems = Vec::new();
    for (kind, file) in cases {
        let mut ours = BTreeMap::new();
        walk(&kedalint::schema::crd_schema(kind).unwrap(), String::new(), &mut ours);
        let mut theirs = BTreeMap::new();
        walk(&crd_file_schema(&shared, file), String::new(), &mut theirs);
        for (path, f) in &theirs {
            if allowed(path) {
                continue;
            }
            match ours.get(path) {
                None => problems.push(format!("{kind}: missing in the model: {path}")),
                Some(o) if o != &without_optional(path, f) => problems.push(format!("{kind}: {path}: model {o:?} vs CRD {f:?}")),
                Some(_) => {}
            }
        }
        for path in ours.keys() {
            if !allowed(path) && !theirs.contains_key(path) {
                problems.push(format!("{kind}: in the model but not in the CRD: {path}"));
            }
        }
        // The KEDA-owned top of the Job target must still be there.
        if kind == "ScaledJob" {
            assert!(ours.contains_key(".spec.jobTargetRef.template.spec.containers[].resources"), "Job pod template modelled");
        }
    }
    assert!(problems.is_empty(), "{} differences:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn committed_schemas_are_current() {
    let dir = common::manifest_dir().join("schemas");
    for kind in kedalint::schema::KINDS {
        let path = dir.join(format!("{}.json", kind.to_lowercase()));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        let mut fresh = serde_json::to_string_pretty(&kedalint::schema::lint_schema(kind).unwrap()).unwrap();
        fresh.push('\n');
        assert!(committed == fresh, "{} is stale: run `cargo run -- schema export schemas/`", path.display());
        // The binary validates with the committed files (compiled in), so they are the model's.
        assert_eq!(kedalint::schema::exported_schema(kind), kedalint::schema::lint_schema(kind), "{kind}: compiled-in schema is stale");
    }
}
