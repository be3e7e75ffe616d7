//! The scaler catalogue (`rules/scalers.yaml`), loaded once, and the questions trigger rules ask it.
//!
//! The catalogue is data rather than code so that it reads as a table and can be checked against
//! KEDA's own generated catalogue (tests/scaler_catalogue.rs). It is compiled in; a malformed
//! catalogue is a bug caught by the tests, so loading it panics with the reason.

use crate::config::parse_keda_version;
use crate::yaml::Node;
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub const SOURCE: &str = include_str!("../rules/scalers.yaml");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum From {
    Metadata,
    Auth,
    Env,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    String,
    Int,
    Float,
    Bool,
    Duration,
    List,
    Map,
}

#[derive(Debug, Clone)]
pub struct Removal {
    pub since: (u32, u32),
    /// KEDA fails the scaler (true) or ignores the parameter (false).
    pub error: bool,
    /// From this version on, the parameter is ignored rather than an error.
    pub until: Option<(u32, u32)>,
    pub message: String,
}

impl Removal {
    /// At `version`: `None` before removal, `Some(true)` when KEDA errors, `Some(false)` when ignored.
    pub fn at(&self, version: (u32, u32)) -> Option<bool> {
        if version < self.since {
            return None;
        }
        Some(self.error && self.until.is_none_or(|u| version < u))
    }
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub from: Vec<From>,
    /// `Some("true")` when required alone, `Some(group)` when one of a group is required.
    pub required: Option<String>,
    pub ty: ParamType,
    pub values: Vec<String>,
    pub default: Option<String>,
    pub deprecated: Option<String>,
    pub removed: Option<Removal>,
    /// The value becomes the HPA's metric target.
    pub target: bool,
}

impl Param {
    pub fn reads(&self, f: From) -> bool {
        self.from.contains(&f)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Scaler {
    /// Only some parameters are catalogued: no unknown/missing-parameter checks.
    pub partial: bool,
    pub params: Vec<Param>,
    /// Parameters KEDA no longer reads.
    pub replaced: Vec<(String, Removal)>,
    /// Every metadata key is handed on (external scalers): none is unknown.
    pub open: bool,
    /// Pairs KEDA refuses together: `(a, b, KEDA's message)`; `b` may be `trigger.<field>`.
    pub conflicts: Vec<(String, String, String)>,
    /// Where KEDA's code for it is (`source:` in the catalogue).
    pub source: String,
}

impl Scaler {
    /// The parameter `name`; a catalogued `prefix.*` stands for every `prefix.<anything>`
    /// (sumologic's `query.<rowId>`).
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name).or_else(|| self.params.iter().find(|p| names(&p.name, name)))
    }
}

/// Whether a catalogue name (`query`, or a pattern `query.*`) names the metadata key `key`.
pub fn names(pattern: &str, key: &str) -> bool {
    match pattern.strip_suffix('*').filter(|prefix| prefix.ends_with('.')) {
        Some(prefix) => key.len() > prefix.len() && key.starts_with(prefix),
        None => pattern == key,
    }
}

#[derive(Debug, Clone, Default)]
pub struct TypeInfo {
    pub since: Option<(u32, u32)>,
    pub removed: Option<(u32, u32)>,
    pub replacement: Option<String>,
}

#[derive(Debug, Default)]
pub struct Catalogue {
    pub types: BTreeMap<String, TypeInfo>,
    pub scalers: BTreeMap<String, Scaler>,
    pub metric_name_removed_in: (u32, u32),
    pub metric_name_still_read_by: Vec<String>,
}

fn version(n: Option<&Node>) -> Option<(u32, u32)> {
    n.and_then(Node::text).map(|t| parse_keda_version(t).unwrap_or_else(|| panic!("bad version {t:?} in rules/scalers.yaml")))
}

fn removal(n: &Node) -> Removal {
    Removal {
        since: version(n.get("in")).expect("`removed.in`"),
        error: n.get("error").and_then(Node::text) == Some("true"),
        until: version(n.get("until")),
        message: n.get("message").and_then(Node::text).unwrap_or_default().to_owned(),
    }
}

fn param(name: &str, n: &Node) -> Param {
    let from = match n.get("from").and_then(Node::as_seq) {
        Some(items) => items
            .iter()
            .map(|i| match i.text() {
                Some("metadata") => From::Metadata,
                Some("auth") => From::Auth,
                Some("env") => From::Env,
                other => panic!("unknown source {other:?} for {name} in rules/scalers.yaml"),
            })
            .collect(),
        None => vec![From::Metadata],
    };
    let ty = match n.get("type").and_then(Node::text).unwrap_or("string") {
        "string" => ParamType::String,
        "int" => ParamType::Int,
        "float" => ParamType::Float,
        "bool" => ParamType::Bool,
        "duration" => ParamType::Duration,
        "list" => ParamType::List,
        "map" => ParamType::Map,
        other => panic!("unknown type {other:?} for {name} in rules/scalers.yaml"),
    };
    Param {
        name: name.to_owned(),
        from,
        required: n.get("required").and_then(Node::text).filter(|r| *r != "false").map(str::to_owned),
        ty,
        values: n.get("values").and_then(Node::as_seq).unwrap_or_default().iter().filter_map(Node::text).map(str::to_owned).collect(),
        default: n.get("default").and_then(Node::text).map(str::to_owned),
        deprecated: n.get("deprecated").and_then(Node::text).map(str::to_owned),
        removed: n.get("removed").map(removal),
        target: n.get("target").and_then(Node::text) == Some("true"),
    }
}

impl Catalogue {
    pub fn get() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE.get_or_init(|| Catalogue::parse(SOURCE))
    }

    pub fn parse(text: &str) -> Catalogue {
        let loaded = crate::yaml::load(text);
        assert!(loaded.issues.is_empty(), "rules/scalers.yaml: {:?}", loaded.issues);
        let root = loaded.documents.into_iter().find_map(|d| d.root).expect("rules/scalers.yaml is empty");
        let mut c = Catalogue::default();
        for e in root.get("types").and_then(Node::as_map).unwrap_or_default() {
            let v = &e.value;
            c.types.insert(
                e.key.text().unwrap_or_default().to_owned(),
                TypeInfo { since: version(v.get("since")), removed: version(v.get("removed")), replacement: v.get("replacement").and_then(Node::text).map(str::to_owned) },
            );
        }
        for e in root.get("scalers").and_then(Node::as_map).unwrap_or_default() {
            let v = &e.value;
            let scaler = Scaler {
                partial: v.get("partial").and_then(Node::text) == Some("true"),
                params: v.get("parameters").and_then(Node::as_map).unwrap_or_default().iter().map(|p| param(p.key.text().unwrap_or_default(), &p.value)).collect(),
                replaced: v
                    .get("replaced-by")
                    .and_then(Node::as_map)
                    .unwrap_or_default()
                    .iter()
                    .map(|p| (p.key.text().unwrap_or_default().to_owned(), removal(p.value.get("removed").expect("`replaced-by` entries need `removed`"))))
                    .collect(),
                open: v.get("open").and_then(Node::text) == Some("true"),
                conflicts: v
                    .get("conflicts")
                    .and_then(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .map(|c| {
                        let parts: Vec<&str> = c.as_seq().unwrap_or_default().iter().filter_map(Node::text).collect();
                        assert!(parts.len() == 3, "`conflicts` entries are [a, b, message] in rules/scalers.yaml");
                        (parts[0].to_owned(), parts[1].to_owned(), parts[2].to_owned())
                    })
                    .collect(),
                source: v.get("source").and_then(Node::text).unwrap_or_default().to_owned(),
            };
            c.scalers.insert(e.key.text().unwrap_or_default().to_owned(), scaler);
        }
        if let Some(m) = root.get("metric-name") {
            c.metric_name_removed_in = version(m.get("removed-in")).unwrap_or((2, 12));
            c.metric_name_still_read_by = m.get("still-read-by").and_then(Node::as_seq).unwrap_or_default().iter().filter_map(Node::text).map(str::to_owned).collect();
        }
        c
    }

    /// Whether KEDA `version` builds scalers of this type.
    pub fn type_exists(&self, ty: &str, version: (u32, u32)) -> bool {
        self.types.get(ty).is_some_and(|t| t.since.is_none_or(|s| version >= s) && t.removed.is_none_or(|r| version < r))
    }

    pub fn scaler(&self, ty: &str) -> Option<&Scaler> {
        self.scalers.get(ty)
    }
}

/// Go's `strconv.ParseBool`.
pub fn go_bool(s: &str) -> bool {
    matches!(s, "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false" | "False")
}

/// An integer as `encoding/json` reads it into an int64: no sign `+`, no leading zeros, no fraction.
pub fn json_int(s: &str) -> bool {
    let d = s.strip_prefix('-').unwrap_or(s);
    !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) && (d == "0" || !d.starts_with('0')) && s.parse::<i64>().is_ok()
}

/// A number as `encoding/json` reads it into a float64.
pub fn json_float(s: &str) -> bool {
    let d = s.strip_prefix('-').unwrap_or(s);
    let (int_part, rest) = d.split_at(d.find(['.', 'e', 'E']).unwrap_or(d.len()));
    if int_part.is_empty() || !int_part.bytes().all(|b| b.is_ascii_digit()) || (int_part.len() > 1 && int_part.starts_with('0')) {
        return false;
    }
    let mut r = rest;
    if let Some(frac) = r.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        r = &frac[n..];
    }
    if let Some(exp) = r.strip_prefix(['e', 'E']) {
        let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        return !exp.is_empty() && exp.bytes().all(|b| b.is_ascii_digit());
    }
    r.is_empty()
}

/// A Go duration (`30s`, `1m30s`, `250ms`) or a whole number of milliseconds, not negative.
pub fn go_duration(s: &str) -> bool {
    if s.starts_with('-') {
        return false;
    }
    if json_int(s) {
        return true;
    }
    let mut rest = s;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let n = rest.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
        if n == 0 {
            return false;
        }
        rest = &rest[n..];
        let unit = ["ns", "us", "µs", "ms", "s", "m", "h"].iter().find(|u| rest.starts_with(**u));
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_loads() {
        let c = Catalogue::get();
        assert!(c.type_exists("rabbitmq", (2, 20)));
        assert!(!c.type_exists("stan", (2, 20)));
        assert!(c.type_exists("stan", (2, 18)));
        assert!(!c.type_exists("opensearch", (2, 18)));
        let r = c.scaler("rabbitmq").unwrap();
        assert!(r.param("host").unwrap().reads(From::Env));
        assert_eq!(c.scaler("memory").unwrap().params.len(), 3, "aliases resolve");
    }

    #[test]
    fn go_parsers() {
        assert!(json_int("10") && json_int("-3") && json_int("0"));
        assert!(!json_int("010") && !json_int("+1") && !json_int("5.0") && !json_int(""));
        assert!(json_float("1.5") && json_float("1e3") && json_float("0.25") && json_float("20"));
        assert!(!json_float("1.") && !json_float(".5") && !json_float("01") && !json_float("abc"));
        assert!(go_duration("30s") && go_duration("1m30s") && go_duration("500") && go_duration("250ms"));
        assert!(!go_duration("-1s") && !go_duration("10 seconds") && !go_duration(""));
        assert!(go_bool("true") && go_bool("F") && !go_bool("yes"));
    }
}
