//! Validating objects against the KEDA schemas, with each error mapped back to the exact span.
//!
//! Validation runs once per object while the index is built; the `schema-violation`, `unknown-field`
//! and `ambiguous-scalar` rules read the results from the index. Errors are mapped as taplo does:
//! the instance path is walked through the spanned tree, and an unknown field points at its key.

use crate::source::Span;
use crate::yaml::{Node, Resolved};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::Validator;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

#[derive(Debug, Clone, PartialEq)]
pub enum SchemaErrorKind {
    /// A field the schema does not have; `suggestion` is the closest known one.
    UnknownField { field: String, suggestion: Option<String> },
    /// A plain YAML scalar that Kubernetes reads as another type than the one required
    /// (`on` as a boolean, `0755` as octal), where a string was expected.
    Ambiguous { text: String, read_as: String, expected: String },
    Violation,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SchemaError {
    pub kind: SchemaErrorKind,
    pub span: Span,
    /// The field path, e.g. `spec.triggers[0].metadata.value`.
    pub path: String,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

type Validators = HashMap<String, (Arc<Validator>, Arc<Value>)>;

/// Compiled validators by kind. Built from the model unless the user supplied CRDs (`--crd`).
pub struct Schemas {
    /// Compiled on first use; the built-in set starts compiling on a background thread as soon as
    /// it is asked for, so that its ~150 ms overlap discovery and parsing instead of adding to them.
    compiled: OnceLock<Validators>,
    /// Where the schemas came from, for messages.
    pub origin: String,
}

impl Schemas {
    /// The model's own schemas, compiled once per process (in the background, see `compiled`).
    pub fn builtin() -> &'static Schemas {
        static BUILTIN: OnceLock<Schemas> = OnceLock::new();
        static WARM_UP: std::sync::Once = std::sync::Once::new();
        let schemas = BUILTIN.get_or_init(|| Schemas { compiled: OnceLock::new(), origin: format!("KEDA v{}", super::KEDA_VERSION) });
        WARM_UP.call_once(|| {
            // If the thread cannot start, the first validation compiles them instead.
            let _ = std::thread::Builder::new().name("kedalint-schemas".into()).spawn(|| {
                schemas.validators();
            });
        });
        schemas
    }

    fn validators(&self) -> &Validators {
        // Sequential on purpose: rayon workers block on this OnceLock while it compiles, so a
        // parallel compile here would wait for those very workers (a deadlock).
        self.compiled.get_or_init(|| {
            super::KINDS
                .iter()
                .map(|kind| {
                    let schema = super::exported_schema(kind).expect("schema for every KEDA kind");
                    ((*kind).to_owned(), compile(schema).expect("the model's schema compiles"))
                })
                .collect()
        })
    }

    /// Schemas from user-supplied CRD manifests (another KEDA version). Kinds the files do not
    /// define fall back to the built-in schemas.
    pub fn from_crds(crds: &[(String, Node)]) -> Result<Schemas, String> {
        let builtin = Schemas::builtin();
        let mut validators = builtin.validators().clone();
        let mut origin = Vec::new();
        for (path, node) in crds {
            let json = node.to_json();
            let kind = json.pointer("/spec/names/kind").and_then(Value::as_str).ok_or_else(|| format!("{path}: not a CustomResourceDefinition (no spec.names.kind)"))?;
            let versions = json.pointer("/spec/versions").and_then(Value::as_array).ok_or_else(|| format!("{path}: no spec.versions"))?;
            let version = versions
                .iter()
                .find(|v| v.get("name").and_then(Value::as_str) == Some("v1alpha1"))
                .ok_or_else(|| format!("{path}: no v1alpha1 version"))?;
            let mut schema = version.pointer("/schema/openAPIV3Schema").cloned().ok_or_else(|| format!("{path}: no openAPIV3Schema"))?;
            super::close_objects(&mut schema);
            if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
                props.insert("metadata".into(), super::object_meta_schema());
                props.remove("status");
            }
            validators.insert(kind.to_owned(), compile(schema).map_err(|e| format!("{path}: {e}"))?);
            origin.push(path.clone());
        }
        Ok(Schemas { compiled: OnceLock::from(validators), origin: origin.join(", ") })
    }

    pub fn validate(&self, kind: &str, node: &Node) -> Vec<SchemaError> {
        let Some((validator, schema)) = self.validators().get(kind) else { return Vec::new() };
        let mut instance = node.to_json();
        prune_nulls(&mut instance, schema);
        // Most objects are valid: the boolean check skips building error paths and messages.
        if validator.is_valid(&instance) {
            return Vec::new();
        }
        // Every unknown field of a mapping is its own finding: fixing one must not reveal the next.
        let mut out: Vec<SchemaError> = validator
            .iter_errors(&instance)
            .flat_map(|e| match e.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected } => unexpected.iter().map(|field| unknown_field(&e, field, node, schema)).collect(),
                _ => vec![map_error(&e, node, schema)],
            })
            .collect();
        out.sort_by(|a, b| (a.span.start, &a.message).cmp(&(b.span.start, &b.message)));
        out.dedup();
        out
    }
}

fn compile(schema: Value) -> Result<(Arc<Validator>, Arc<Value>), String> {
    let v = jsonschema::options().with_draft(jsonschema::Draft::Draft7).build(&schema).map_err(|e| e.to_string())?;
    Ok((Arc::new(v), Arc::new(schema)))
}

fn unescape(seg: &str) -> String {
    seg.replace("~1", "/").replace("~0", "~")
}

fn segments(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(unescape).collect()
}

fn display_path(segs: &[String]) -> String {
    let mut s = String::new();
    for seg in segs {
        if seg.parse::<usize>().is_ok() {
            s.push_str(&format!("[{seg}]"));
        } else {
            if !s.is_empty() {
                s.push('.');
            }
            s.push_str(seg);
        }
    }
    if s.is_empty() { "<root>".into() } else { s }
}

/// Known property names of the schema object that holds the keyword at `schema_path`.
fn known_properties(schema: &Value, schema_path: &str) -> Vec<String> {
    let parent = schema_path.rsplit_once('/').map_or("", |(p, _)| p);
    schema
        .pointer(parent)
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The closest candidate by edit distance or case-insensitive match, if close enough to suggest.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let cl = c.to_lowercase();
            let d = if cl == lower {
                0.0
            } else {
                strsim::normalized_damerau_levenshtein(&lower, &cl).max(strsim::jaro_winkler(&lower, &cl) - 0.15)
            };
            (c, d)
        })
        .filter(|(c, d)| *d == 0.0 && c.to_lowercase() == lower || *d >= 0.7)
        .max_by(|a, b| {
            let ka = if a.1 == 0.0 { 2.0 } else { a.1 };
            let kb = if b.1 == 0.0 { 2.0 } else { b.1 };
            ka.partial_cmp(&kb).unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(|(c, _)| c.to_owned())
}

fn type_name(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(t) => t.to_string(),
        TypeKind::Multiple(ts) => ts.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" or "),
    }
}

fn read_as(r: &Resolved) -> String {
    match r {
        Resolved::Null => "null".into(),
        Resolved::Bool(b) => format!("the boolean `{b}`"),
        Resolved::Int(i) => format!("the integer `{i}`"),
        Resolved::Float(f) => format!("the number `{f}`"),
        Resolved::Str => "a string".into(),
    }
}

/// An unknown `field` in the mapping where `e` (an additionalProperties error) points.
fn unknown_field(e: &jsonschema::ValidationError<'_>, field: &str, root: &Node, schema: &Value) -> SchemaError {
    let segs = segments(e.instance_path().as_str());
    let path = display_path(&segs);
    let (node, _) = root.pointer(&segs);
    let key_span = node.entry(field).map_or(node.span.clone(), |en| en.key.span.clone());
    let known = known_properties(schema, e.schema_path().as_str());
    let suggestion = did_you_mean(field, known.iter().map(String::as_str));
    let where_ = if segs.is_empty() { "the object".to_owned() } else { format!("`{path}`") };
    // A field of a mapping around this one, written one level too deep (`pollingInterval` under
    // `scaleTargetRef`): say where it belongs.
    let belongs = (suggestion.is_none()).then(|| enclosing_owner(schema, e.schema_path().as_str(), &segs, field)).flatten();
    SchemaError {
        message: format!("unknown field `{field}` in {where_}"),
        label: "not a field of this object".into(),
        help: Some(match (&suggestion, belongs) {
            (_, Some(owner)) => format!("`{field}` is a field of {owner}: move it there"),
            (Some(s), _) => format!("did you mean `{s}`?"),
            (None, None) if known.is_empty() => "remove it: the API server drops unknown fields".into(),
            (None, None) => format!("remove it (the API server drops unknown fields); known fields: {}", list(&known)),
        }),
        kind: SchemaErrorKind::UnknownField { field: field.to_owned(), suggestion },
        span: key_span,
        path,
    }
}

/// The nearest mapping around the one at `segs` (schema path `schema_path`, ending in
/// `/additionalProperties`) whose schema has `field` as a property, as `` `spec` `` or "the object".
fn enclosing_owner(schema: &Value, schema_path: &str, segs: &[String], field: &str) -> Option<String> {
    let mut path = schema_path.strip_suffix("/additionalProperties")?;
    let mut segs = segs;
    while let Some((parent, tail)) = path.rsplit_once("/properties/") {
        // `triggers/items`: one segment for the field, one for each list index below it.
        let depth = 1 + tail.matches("/items").count();
        segs = &segs[..segs.len().saturating_sub(depth)];
        if schema.pointer(parent).and_then(|s| s.get("properties")).and_then(|p| p.get(field)).is_some() {
            return Some(if segs.is_empty() { "the object".to_owned() } else { format!("`{}`", display_path(segs)) });
        }
        path = parent;
    }
    None
}

fn map_error(e: &jsonschema::ValidationError<'_>, root: &Node, schema: &Value) -> SchemaError {
    let segs = segments(e.instance_path().as_str());
    let path = display_path(&segs);
    let (node, entry) = root.pointer(&segs);
    let span = node.span.clone();
    match e.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => unknown_field(e, unexpected.first().map_or("", String::as_str), root, schema),
        ValidationErrorKind::Type { kind } => {
            let expected = type_name(kind);
            let scalar = node.as_scalar();
            if let Some(s) = scalar.filter(|s| s.is_plain()) {
                let resolved = s.resolve();
                if expected.contains("string") && resolved != Resolved::Str {
                    let in_metadata = segs.iter().any(|s| s == "metadata") && segs.iter().any(|s| s == "triggers");
                    let help = if in_metadata {
                        format!("trigger metadata values must be strings; quote it: `\"{}\"`", s.text)
                    } else {
                        format!("quote it: `\"{}\"`", s.text)
                    };
                    let ambiguous = matches!(resolved, Resolved::Bool(_)) && !matches!(s.text.as_str(), "true" | "false")
                        || matches!(resolved, Resolved::Int(_)) && looks_non_decimal(&s.text);
                    if ambiguous {
                        return SchemaError {
                            message: format!("`{}` at `{path}` is read by Kubernetes as {}, not as a string", s.text, read_as(&resolved)),
                            label: format!("YAML 1.1 reads this as {}", read_as(&resolved)),
                            help: Some(help),
                            kind: SchemaErrorKind::Ambiguous { text: s.text.to_string(), read_as: read_as(&resolved), expected },
                            span,
                            path,
                        };
                    }
                    return SchemaError {
                        message: format!("`{path}` must be a string, found {}", read_as(&resolved)),
                        label: "expected a string".into(),
                        help: Some(help),
                        kind: SchemaErrorKind::Violation,
                        span,
                        path,
                    };
                }
            }
            let found = match &node.kind {
                crate::yaml::NodeKind::Map(_) => "a mapping".to_owned(),
                crate::yaml::NodeKind::Seq(_) => "a list".to_owned(),
                crate::yaml::NodeKind::Scalar(s) => read_as(&s.resolve()),
            };
            SchemaError {
                message: format!("`{path}` must be {}, found {found}", article(&expected)),
                label: format!("expected {}", article(&expected)),
                help: None,
                kind: SchemaErrorKind::Violation,
                span,
                path,
            }
        }
        ValidationErrorKind::Required { property } => {
            let prop = property.as_str().unwrap_or_default();
            // Given as an explicit null, which the API server dropped before validating.
            if let Some(null) = node.entry(prop).filter(|e| e.value.as_scalar().is_some_and(|s| s.resolve() == Resolved::Null)) {
                return SchemaError {
                    message: format!("required field `{prop}` is null in {}", if segs.is_empty() { "the object".to_owned() } else { format!("`{path}`") }),
                    label: "null: the API server drops it, and then it is missing".into(),
                    help: Some(format!("give `{prop}` a value")),
                    kind: SchemaErrorKind::Violation,
                    span: null.key.span.clone(),
                    path,
                };
            }
            let span = entry.map_or(span.start..span.start.min(span.end), |en| en.key.span.clone());
            let where_ = if segs.is_empty() { "the object".to_owned() } else { format!("`{path}`") };
            let known: Vec<&str> = node.as_map().unwrap_or_default().iter().filter_map(|e| e.key.text()).collect();
            let near = did_you_mean(prop, known.iter().copied()).filter(|n| n != prop);
            SchemaError {
                message: format!("missing required field `{prop}` in {where_}"),
                label: format!("`{prop}` is required here"),
                help: Some(match near {
                    Some(n) => format!("add `{prop}` (is `{n}` a misspelling of it?)"),
                    None => format!("add `{prop}`"),
                }),
                kind: SchemaErrorKind::Violation,
                span: if entry.is_none() && segs.is_empty() { root_head(root) } else { span },
                path,
            }
        }
        ValidationErrorKind::Enum { options } => {
            let opts: Vec<String> = options.as_array().map(|a| a.iter().map(|v| v.as_str().map_or(v.to_string(), str::to_owned)).collect()).unwrap_or_default();
            let value = node.text().unwrap_or("this value").to_owned();
            let near = did_you_mean(&value, opts.iter().map(String::as_str));
            SchemaError {
                message: format!("`{path}` must be one of {}, found `{value}`", list(&opts)),
                label: "not an allowed value".into(),
                help: Some(match near {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => format!("use one of {}", list(&opts)),
                }),
                kind: SchemaErrorKind::Violation,
                span,
                path,
            }
        }
        ValidationErrorKind::Minimum { limit } => bound(format!("`{path}` must be at least {}", number(limit)), span, path),
        ValidationErrorKind::Maximum { limit } => bound(format!("`{path}` must be at most {}", number(limit)), span, path),
        ValidationErrorKind::MinLength { limit } => bound(format!("`{path}` must be at least {limit} character(s) long"), span, path),
        ValidationErrorKind::MinItems { limit } => bound(format!("`{path}` must have at least {limit} item(s)"), span, path),
        _ => SchemaError {
            message: format!("`{path}`: {}", e.masked()),
            label: "does not match the schema".into(),
            help: None,
            kind: SchemaErrorKind::Violation,
            span,
            path,
        },
    }
}

/// A schema bound as people write it (`1`, not `1.0`).
fn number(v: &Value) -> String {
    match v.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        _ => v.to_string(),
    }
}

fn root_head(root: &Node) -> Span {
    root.entry("kind").map_or(root.span.start..root.span.start, |e| e.key.span.start..e.value.span.end)
}

fn bound(message: String, span: Span, path: String) -> SchemaError {
    SchemaError { message, label: "out of range".into(), help: None, kind: SchemaErrorKind::Violation, span, path }
}

fn looks_non_decimal(text: &str) -> bool {
    let t = text.trim_start_matches(['+', '-']);
    t.len() > 1 && t.starts_with('0') || t.contains('_')
}

fn article(t: &str) -> String {
    match t {
        "integer" | "object" | "array" => format!("an {t}"),
        _ => format!("a {t}"),
    }
}

fn list(items: &[String]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

/// Drop what the API server drops before it validates a custom resource: a `null` given for a
/// field whose schema is not nullable (apiextensions-apiserver `PruneNonNullableNullsWithoutDefaults`,
/// for `properties` and `additionalProperties` alike; a null with a default is defaulted instead,
/// and so is not an error either). Nulls inside lists stay, as they do there. A field the schema
/// does not know is left for the unknown-field check.
pub fn prune_nulls(value: &mut Value, schema: &Value) {
    match value {
        Value::Object(map) => {
            let field_schema = |k: &str| schema.get("properties").and_then(|p| p.get(k)).or_else(|| schema.get("additionalProperties").filter(|a| a.is_object()));
            map.retain(|k, v| !(v.is_null() && field_schema(k).is_some_and(|s| !nullable(s))));
            for (k, v) in map.iter_mut() {
                if let Some(s) = field_schema(k) {
                    prune_nulls(v, s);
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = schema.get("items").filter(|s| s.is_object()) {
                items.iter_mut().for_each(|i| prune_nulls(i, s));
            }
        }
        _ => {}
    }
}

fn nullable(schema: &Value) -> bool {
    schema.get("nullable").and_then(Value::as_bool) == Some(true)
        || schema.get("type").and_then(Value::as_array).is_some_and(|t| t.iter().any(|t| t == "null"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The cases of apiextensions-apiserver's prunenulls_test.go, on JSON Schema spellings.
    #[test]
    fn nulls_are_pruned_as_the_api_server_prunes_them() {
        let schema = json!({
            "type": "object",
            "properties": {
                "plain": {"type": "string"},
                "nullable": {"type": "string", "nullable": true},
                "typed": {"type": ["string", "null"]},
                "map": {"type": "object", "additionalProperties": {"type": "string"}},
                "list": {"type": "array", "items": {"type": "object", "properties": {"x": {"type": "integer"}}}},
                "nested": {"type": "object", "properties": {"deep": {"type": "integer"}}}
            }
        });
        let mut v = json!({
            "plain": null, "nullable": null, "typed": null, "unknown": null,
            "map": {"a": null, "b": "kept"},
            "list": [null, {"x": null}],
            "nested": {"deep": null}
        });
        prune_nulls(&mut v, &schema);
        assert_eq!(
            v,
            json!({"nullable": null, "typed": null, "unknown": null, "map": {"b": "kept"}, "list": [null, {}], "nested": {}})
        );
    }
}
