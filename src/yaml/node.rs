//! The spanned YAML tree every rule reads.
//!
//! Built straight from saphyr-parser's events (see [`super::load`]) rather than through saphyr's own
//! `MarkedYaml`, so that it keeps what a linter needs and nothing else: the byte span of every node,
//! the span of every mapping key, and each scalar's raw style, so that `"0755"` and `0755` stay
//! different things. Scalars are resolved only when asked, and the way Kubernetes resolves them
//! (sigs.k8s.io/yaml, i.e. YAML 1.1: `yes`/`on` are booleans, `0755` is octal).

use crate::source::Span;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The scalar's value after YAML unescaping, before any type resolution.
    pub text: compact_str::CompactString,
    pub style: Style,
    /// A `!!str`-like tag, if the author wrote one.
    pub tag: Tag,
}

/// A scalar's tag, as far as resolving it goes. One byte rather than the tag's text: tags are
/// rare, only the core schema's change a value's meaning, and every byte of a node is paid
/// hundreds of thousands of times at 50,000 workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    None,
    Str,
    Int,
    Bool,
    Float,
    Null,
    /// Any other tag (a local `!thing`): the value stays a string.
    Other,
}

impl Tag {
    /// The tag as written (`!!int`) or resolved by the parser (`tag:yaml.org,2002:int`).
    pub fn from_written(tag: &str) -> Tag {
        match tag.strip_prefix("tag:yaml.org,2002:").or_else(|| tag.strip_prefix("!!")) {
            Some("str") => Tag::Str,
            Some("int") => Tag::Int,
            Some("bool") => Tag::Bool,
            Some("float") => Tag::Float,
            Some("null") => Tag::Null,
            _ => Tag::Other,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Map(Vec<Entry>),
    Seq(Vec<Node>),
    Scalar(Scalar),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

/// What a scalar means to Kubernetes.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str,
}

impl Scalar {
    /// Resolve the scalar as sigs.k8s.io/yaml (go-yaml v2, YAML 1.1 core types) does.
    pub fn resolve(&self) -> Resolved {
        match self.tag {
            Tag::None => {}
            Tag::Str | Tag::Other => return Resolved::Str,
            Tag::Int => return parse_int(&self.text).map_or(Resolved::Str, Resolved::Int),
            Tag::Bool => return parse_bool(&self.text).map_or(Resolved::Str, Resolved::Bool),
            Tag::Float => return parse_float(&self.text).map_or(Resolved::Str, Resolved::Float),
            Tag::Null => return Resolved::Null,
        }
        if self.style != Style::Plain {
            return Resolved::Str;
        }
        resolve_plain(&self.text)
    }

    pub fn is_plain(&self) -> bool {
        self.style == Style::Plain && self.tag == Tag::None
    }
}

pub fn resolve_plain(text: &str) -> Resolved {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        _ => {}
    }
    if let Some(b) = parse_bool(text) {
        return Resolved::Bool(b);
    }
    if let Some(i) = parse_int(text) {
        return Resolved::Int(i);
    }
    if let Some(f) = parse_float(text) {
        return Resolved::Float(f);
    }
    Resolved::Str
}

/// YAML 1.1 booleans as go-yaml v2 reads them.
fn parse_bool(t: &str) -> Option<bool> {
    match t {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Some(true),
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => Some(false),
        _ => None,
    }
}

/// YAML 1.1 integers: decimal, `0x` hex, `0b` binary, leading-zero and `0o` octal, `_` separators.
fn parse_int(t: &str) -> Option<i64> {
    let (neg, body) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    if body.is_empty() || !body.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let cleaned;
    let clean: &str = if body.contains('_') {
        cleaned = body.replace('_', "");
        &cleaned
    } else {
        body
    };
    let (radix, digits) = if let Some(h) = clean.strip_prefix("0x") {
        (16, h)
    } else if let Some(b) = clean.strip_prefix("0b") {
        (2, b)
    } else if let Some(o) = clean.strip_prefix("0o") {
        (8, o)
    } else if clean.len() > 1 && clean.starts_with('0') {
        (8, &clean[1..])
    } else {
        (10, clean)
    };
    if digits.is_empty() {
        return None;
    }
    let v = i64::from_str_radix(digits, radix).ok()?;
    Some(if neg { -v } else { v })
}

fn parse_float(t: &str) -> Option<f64> {
    match t {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let ok = t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-' | b'_'))
        && t.bytes().any(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    t.replace('_', "").parse::<f64>().ok()
}

impl Node {
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The entry for `key` in a mapping. With duplicate keys the last wins, as in Kubernetes'
    /// non-strict decoding (the duplicate itself is reported by `duplicate-key`).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().rev().find(|e| e.key.as_scalar().is_some_and(|s| s.text == key))
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// An empty mapping at `span`: what stands in for an object's tree while it is not held.
    pub fn empty_map(span: Span) -> Node {
        Node { span, kind: NodeKind::Map(Vec::new()) }
    }

    /// The outermost mapping in this tree whose span is exactly `span`.
    pub fn find_map_at(&self, span: &Span) -> Option<&Node> {
        if self.span.start > span.start || self.span.end < span.end {
            return None;
        }
        if self.span == *span && self.as_map().is_some() {
            return Some(self);
        }
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find_map(|e| e.value.find_map_at(span)),
            NodeKind::Seq(items) => items.iter().find_map(|i| i.find_map_at(span)),
            NodeKind::Scalar(_) => None,
        }
    }

    /// Follow a path of mapping keys.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |n, k| n.get(k))
    }

    /// The value as a string if Kubernetes would read it as one.
    pub fn as_str(&self) -> Option<&str> {
        let s = self.as_scalar()?;
        matches!(s.resolve(), Resolved::Str).then_some(s.text.as_str())
    }

    /// The scalar's text whatever its resolved type (for names and keys in messages).
    pub fn text(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.text.as_str())
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.as_scalar()?.resolve() {
            Resolved::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        self.as_scalar().is_some_and(|s| s.resolve() == Resolved::Null)
    }

    /// The node as Kubernetes' JSON, for schema validation.
    pub fn to_json(&self) -> Value {
        match &self.kind {
            NodeKind::Map(entries) => {
                let mut m = serde_json::Map::with_capacity(entries.len());
                for e in entries {
                    let key = e.key.as_scalar().map_or_else(|| "<complex key>".to_owned(), |s| s.text.to_string());
                    m.insert(key, e.value.to_json());
                }
                Value::Object(m)
            }
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Scalar(s) => match s.resolve() {
                Resolved::Null => Value::Null,
                Resolved::Bool(b) => Value::Bool(b),
                Resolved::Int(i) => Value::from(i),
                Resolved::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
                Resolved::Str => Value::String(s.text.to_string()),
            },
        }
    }

    /// Walk a JSON pointer's segments (as jsonschema reports instance paths) to the node, returning
    /// the deepest node reached and, when the last segment names a mapping key, that entry.
    pub fn pointer(&self, segments: &[String]) -> (&Node, Option<&Entry>) {
        let mut node = self;
        let mut entry = None;
        for seg in segments {
            match &node.kind {
                NodeKind::Map(_) => match node.entry(seg) {
                    Some(e) => {
                        entry = Some(e);
                        node = &e.value;
                    }
                    None => break,
                },
                NodeKind::Seq(items) => match seg.parse::<usize>().ok().and_then(|i| items.get(i)) {
                    Some(n) => {
                        entry = None;
                        node = n;
                    }
                    None => break,
                },
                NodeKind::Scalar(_) => break,
            }
        }
        (node, entry)
    }

    /// Number of nodes in the tree (used to bound alias expansion).
    pub fn weight(&self) -> usize {
        match &self.kind {
            NodeKind::Map(m) => 1 + m.iter().map(|e| e.key.weight() + e.value.weight()).sum::<usize>(),
            NodeKind::Seq(s) => 1 + s.iter().map(Node::weight).sum::<usize>(),
            NodeKind::Scalar(_) => 1,
        }
    }
}

// Trees are most of a run's memory: keep nodes from growing by accident.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Node>() <= 48);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_resolution_matches_kubernetes() {
        assert_eq!(resolve_plain("on"), Resolved::Bool(true));
        assert_eq!(resolve_plain("no"), Resolved::Bool(false));
        assert_eq!(resolve_plain("0755"), Resolved::Int(493));
        assert_eq!(resolve_plain("0o17"), Resolved::Int(15));
        assert_eq!(resolve_plain("0x1f"), Resolved::Int(31));
        assert_eq!(resolve_plain("1_000"), Resolved::Int(1000));
        assert_eq!(resolve_plain("20"), Resolved::Int(20));
        assert_eq!(resolve_plain("0"), Resolved::Int(0));
        assert_eq!(resolve_plain("1.5"), Resolved::Float(1.5));
        assert_eq!(resolve_plain("~"), Resolved::Null);
        assert_eq!(resolve_plain("08"), Resolved::Float(8.0), "not octal: go-yaml v2 falls back to float");
        assert_eq!(resolve_plain("keda"), Resolved::Str);
        assert_eq!(resolve_plain("1e3"), Resolved::Float(1000.0));
        assert_eq!(resolve_plain("-"), Resolved::Str);
    }
}
