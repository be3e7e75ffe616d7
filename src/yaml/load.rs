//! Builds [`Node`] trees from saphyr-parser's event stream, one per YAML document.
//!
//! Hostile input is bounded here, never downstream: nesting deeper than [`MAX_DEPTH`] and alias
//! expansion beyond [`MAX_ALIAS_NODES`] abandon the document with a diagnostic (billion laughs,
//! 10,000-deep flow sequences), and the parser's own scan errors end the file with a diagnostic at
//! the exact position. Documents before the error are kept, so no finding in them is lost.

use super::node::{Entry, Node, NodeKind, Scalar, Style, Tag};
use crate::source::Span;
use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;

/// Deeper than any Kubernetes object; deep enough to stop stack-hungry inputs early.
pub const MAX_DEPTH: usize = 200;
/// Nodes that aliases may add to one document (each `*alias` copies its anchor's nodes).
pub const MAX_ALIAS_NODES: usize = 100_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// 0-based index of the document in its file.
    pub index: usize,
    pub span: Span,
    /// `None` for an empty document (`---` followed by nothing).
    pub root: Option<Node>,
}

/// A problem found while reading YAML: reported under `rule`.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadIssue {
    pub rule: &'static str,
    pub span: Span,
    pub label: String,
    pub message: String,
    pub help: Option<String>,
    pub secondary: Option<(Span, String)>,
}

#[derive(Debug, Default, PartialEq)]
pub struct Loaded {
    pub documents: Vec<Document>,
    pub issues: Vec<LoadIssue>,
}

/// An open collection. Its children so far sit at the end of the builder's shared `entries` /
/// `items` stacks from `first` on, and move into an exactly sized Vec when it closes: one
/// allocation per collection and no growth slack in trees that live for the whole run.
enum Frame {
    Map { start: usize, anchor: usize, first: usize, key: Option<Node> },
    Seq { start: usize, anchor: usize, first: usize },
}

/// Converts saphyr's character indices into byte offsets. Events arrive almost in order, so a
/// moving cursor makes the conversion linear; ASCII text needs none.
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    char_pos: usize,
    byte_pos: usize,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        Offsets { text, ascii: text.is_ascii(), char_pos: 0, byte_pos: 0 }
    }

    fn byte(&mut self, char_idx: usize) -> usize {
        if self.ascii {
            return char_idx.min(self.text.len());
        }
        if char_idx < self.char_pos {
            self.char_pos = 0;
            self.byte_pos = 0;
        }
        let mut it = self.text[self.byte_pos..].char_indices();
        while self.char_pos < char_idx {
            match it.next() {
                Some((_, c)) => {
                    self.byte_pos += c.len_utf8();
                    self.char_pos += 1;
                }
                None => break,
            }
        }
        self.byte_pos
    }
}

struct Builder<'a> {
    offsets: Offsets<'a>,
    out: Loaded,
    stack: Vec<Frame>,
    entries: Vec<Entry>,
    items: Vec<Node>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    doc_start: Option<usize>,
    doc_root: Option<Node>,
    /// Set when the current document was abandoned; events are skipped until it ends.
    abandoned: bool,
}

/// Parse a file's YAML: by the fast path when the text stays within what it reads (see
/// [`super::fast`]), else by saphyr-parser. Both give the same trees.
pub fn load(text: &str) -> Loaded {
    super::fast::load(text).unwrap_or_else(|| load_full(text))
}

/// saphyr's refusal of a tab after `:` (see [`load_full`]).
const TAB_AFTER_COLON: &str = "':' must be followed by a valid YAML whitespace";

/// Parse with saphyr-parser, whatever the text holds.
///
/// YAML 1.2 allows tabs as separation after a `:` (`s-separate-in-line`), and go-yaml, which the
/// API server and kustomize read manifests with, accepts `name:\tweb`; saphyr refuses a tab
/// there before a plain scalar. When it does, the text is parsed again with the tabs that follow
/// a `:` read as spaces (one byte each, so every span stays), except those that turn out to be
/// inside a quoted or block scalar, where a tab is content.
pub fn load_full(text: &str) -> Loaded {
    let loaded = parse(text);
    if !loaded.issues.iter().any(|i| i.message.ends_with(TAB_AFTER_COLON)) {
        return loaded;
    }
    let tabs: Vec<usize> = text
        .match_indices(':')
        .flat_map(|(at, _)| text.as_bytes()[at + 1..].iter().take_while(|b| **b == b'\t').enumerate().map(move |(i, _)| at + 1 + i))
        .collect();
    let spaced = |keep: &[usize]| -> String {
        let mut bytes = text.as_bytes().to_vec();
        tabs.iter().filter(|t| !keep.contains(t)).for_each(|t| bytes[*t] = b' ');
        String::from_utf8(bytes).expect("a tab replaced by a space keeps UTF-8")
    };
    let again = parse(&spaced(&[]));
    let content: Vec<usize> = tabs.iter().copied().filter(|t| again.documents.iter().filter_map(|d| d.root.as_ref()).any(|r| inside_quoted_or_block(r, *t))).collect();
    if content.is_empty() { again } else { parse(&spaced(&content)) }
}

/// Whether offset `at` is inside a quoted or block scalar of `node`'s tree.
fn inside_quoted_or_block(node: &Node, at: usize) -> bool {
    if at <= node.span.start || at >= node.span.end {
        return false;
    }
    match &node.kind {
        NodeKind::Scalar(s) => s.style != Style::Plain,
        NodeKind::Map(entries) => entries.iter().any(|e| inside_quoted_or_block(&e.key, at) || inside_quoted_or_block(&e.value, at)),
        NodeKind::Seq(items) => items.iter().any(|i| inside_quoted_or_block(i, at)),
    }
}

fn parse(text: &str) -> Loaded {
    let mut b = Builder {
        offsets: Offsets::new(text),
        out: Loaded::default(),
        stack: Vec::new(),
        entries: Vec::new(),
        items: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        doc_start: None,
        doc_root: None,
        abandoned: false,
    };
    for item in Parser::new_from_str(text) {
        match item {
            Ok((event, span)) => {
                let start = b.offsets.byte(span.start.index());
                let end = b.offsets.byte(span.end.index()).max(start);
                b.on_event(event, start..end);
            }
            Err(e) => {
                let at = b.offsets.byte(e.marker().index());
                let end = next_char_end(text, at);
                b.out.issues.push(LoadIssue {
                    rule: "invalid-yaml",
                    span: at..end,
                    label: "the parser stopped here".into(),
                    message: format!("invalid YAML: {}", e.info()),
                    help: Some("fix the syntax; nothing after this point in the file was linted".into()),
                    secondary: None,
                });
                break;
            }
        }
    }
    b.out
}

/// Where a quoted scalar starting at `span.start` ends: just after its closing quote. saphyr's
/// span for a quoted scalar in block context runs on over the spaces and comment after it
/// (`"1"  # needs a GPU`), which would put labels on the comment.
fn closing_quote_end(text: &str, span: &Span) -> usize {
    let b = text.as_bytes();
    let Some(&quote) = b.get(span.start).filter(|q| matches!(q, b'\'' | b'"')) else { return span.end };
    let mut i = span.start + 1;
    while i < span.end.min(b.len()) {
        match b[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    span.end
}

fn next_char_end(text: &str, at: usize) -> usize {
    text.get(at..).and_then(|s| s.chars().next()).map_or(at, |c| at + c.len_utf8())
}

impl Builder<'_> {
    fn on_event(&mut self, event: Event<'_>, span: Span) {
        match event {
            Event::DocumentStart(_) => {
                self.doc_start = Some(span.start);
                self.doc_root = None;
                self.clear_open();
                self.anchors.clear();
                self.alias_nodes = 0;
                self.abandoned = false;
            }
            Event::DocumentEnd => self.finish_document(span.end),
            _ if self.abandoned => {}
            Event::Scalar(value, style, anchor, tag) => {
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted => Style::SingleQuoted,
                    ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                    ScalarStyle::Literal => Style::Literal,
                    ScalarStyle::Folded => Style::Folded,
                };
                let tag = tag.map_or(Tag::None, |t| Tag::from_written(&format!("{}{}", t.handle, t.suffix)));
                // Copied rather than moved: short scalars (most keys and values) live inline with
                // no allocation, long ones get an exact-size buffer instead of the parser's slack.
                let span = match style {
                    Style::SingleQuoted | Style::DoubleQuoted => span.start..closing_quote_end(self.offsets.text, &span),
                    _ => span,
                };
                let node = Node { span, kind: NodeKind::Scalar(Scalar { text: compact_str::CompactString::new(&value), style, tag }) };
                self.complete(node, anchor);
            }
            Event::SequenceStart(anchor, _) => {
                if self.check_depth(&span) {
                    self.stack.push(Frame::Seq { start: span.start, anchor, first: self.items.len() });
                }
            }
            Event::MappingStart(anchor, _) => {
                if self.check_depth(&span) {
                    self.stack.push(Frame::Map { start: span.start, anchor, first: self.entries.len(), key: None });
                }
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq { start, anchor, first }) = self.stack.pop() {
                    let items: Vec<Node> = self.items.drain(first..).collect();
                    let end = items.last().map_or(span.end, |n| n.span.end).max(start);
                    self.complete(Node { span: start..end, kind: NodeKind::Seq(items) }, anchor);
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map { start, anchor, first, .. }) = self.stack.pop() {
                    let entries: Vec<Entry> = self.entries.drain(first..).collect();
                    self.check_duplicate_keys(&entries);
                    let end = entries.last().map_or(span.end, |e| e.value.span.end.max(e.key.span.end)).max(start);
                    self.complete(Node { span: start..end, kind: NodeKind::Map(entries) }, anchor);
                }
            }
            Event::Alias(id) => match self.anchors.get(&id) {
                Some(target) => {
                    self.alias_nodes += target.weight();
                    if self.alias_nodes > MAX_ALIAS_NODES {
                        self.abandon(
                            span,
                            format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"),
                            "this alias crosses the limit",
                            "an alias bomb (billion laughs) or a document far larger than any Kubernetes object; the document was not linted",
                        );
                    } else {
                        let mut node = target.clone();
                        node.span = span;
                        self.complete(node, 0);
                    }
                }
                None => self.abandon(span, "alias to an unknown anchor".into(), "no anchor defined before this alias", "define the anchor before using it"),
            },
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
    }

    fn clear_open(&mut self) {
        self.stack.clear();
        self.entries.clear();
        self.items.clear();
    }

    fn check_depth(&mut self, span: &Span) -> bool {
        if self.stack.len() >= MAX_DEPTH {
            self.abandon(
                span.clone(),
                format!("YAML nested more than {MAX_DEPTH} levels deep"),
                "nesting limit reached here",
                "no Kubernetes object nests this deep; the document was not linted",
            );
            return false;
        }
        true
    }

    fn abandon(&mut self, span: Span, message: String, label: &str, help: &str) {
        self.out.issues.push(LoadIssue { rule: "invalid-yaml", span, label: label.into(), message, help: Some(help.into()), secondary: None });
        self.abandoned = true;
        self.clear_open();
        self.doc_root = None;
    }

    fn complete(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.doc_root = Some(node),
            Some(Frame::Seq { .. }) => self.items.push(node),
            Some(Frame::Map { key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => self.entries.push(Entry { key: k, value: node }),
            },
        }
    }

    fn finish_document(&mut self, end: usize) {
        let start = self.doc_start.take().unwrap_or(0);
        let root = if self.abandoned { None } else { self.doc_root.take() };
        let end = root.as_ref().map_or(end, |r| r.span.end.max(end));
        let index = self.out.documents.len();
        self.out.documents.push(Document { index, span: start..end.max(start), root });
        self.clear_open();
        self.abandoned = false;
    }

    fn check_duplicate_keys(&mut self, entries: &[Entry]) {
        duplicate_keys(entries, &mut self.out.issues);
    }
}

/// A `duplicate-key` issue for every key that repeats an earlier one of the same mapping.
pub(super) fn duplicate_keys(entries: &[Entry], issues: &mut Vec<LoadIssue>) {
    fn key_of(e: &Entry) -> Option<&str> {
        e.key.as_scalar().map(|k| k.text.as_str()).filter(|k| *k != "<<")
    }
    // Kubernetes mappings are small: comparing pairs beats hashing (and allocating) for them.
    if entries.len() <= 16 {
        for (i, e) in entries.iter().enumerate() {
            let Some(k) = key_of(e) else { continue };
            if let Some(first) = entries[..i].iter().find(|f| key_of(f) == Some(k)) {
                issues.push(duplicate_key(k, &e.key.span, &first.key.span));
            }
        }
        return;
    }
    let mut seen: HashMap<&str, &Span> = HashMap::with_capacity(entries.len());
    for e in entries {
        let Some(k) = key_of(e) else { continue };
        if let Some(first) = seen.insert(k, &e.key.span) {
            issues.push(duplicate_key(k, &e.key.span, first));
        }
    }
}

fn duplicate_key(key: &str, span: &Span, first: &Span) -> LoadIssue {
    let help = if key.contains('\u{a0}') {
        "the line is indented with non-breaking spaces (U+00A0), which YAML reads as part of the key, not as indentation: replace them with ordinary spaces"
    } else {
        "remove one of the two keys: Kubernetes' strict decoding rejects the object, and lenient decoding silently keeps the last value"
    };
    LoadIssue {
        rule: "duplicate-key",
        span: span.clone(),
        label: "duplicated here".into(),
        message: format!("duplicate mapping key `{}`", key.replace('\u{a0}', "\\u{a0}")),
        help: Some(help.into()),
        secondary: Some((first.clone(), "first defined here".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_byte_offsets() {
        let text = "name: ü\nvalue: \"x\"\n";
        let l = load(text);
        let root = l.documents[0].root.as_ref().unwrap();
        let v = root.get("value").unwrap();
        assert_eq!(&text[v.span.clone()], "\"x\"");
        let n = root.get("name").unwrap();
        assert_eq!(&text[n.span.clone()], "ü");
    }

    /// A tab after `:` separates as a space does (YAML 1.2, go-yaml); a tab after `:` inside a
    /// quoted or block scalar stays content.
    #[test]
    fn tabs_after_colons_separate() {
        let text = "a:\tweb\nb: {minReplicaCount:\t20}\nc: \"x:\ty\"\nd: |\n  p:\tq\ne: 'r:\ts'\n? f\n:\tg\n";
        let l = load(text);
        assert!(l.issues.is_empty(), "{:?}", l.issues);
        let root = l.documents[0].root.as_ref().unwrap();
        assert_eq!(root.get("a").unwrap().text(), Some("web"));
        assert_eq!(root.at(&["b", "minReplicaCount"]).unwrap().as_i64(), Some(20));
        assert_eq!(root.get("c").unwrap().text(), Some("x:\ty"));
        assert_eq!(root.get("d").unwrap().text(), Some("p:\tq\n"));
        assert_eq!(root.get("e").unwrap().text(), Some("r:\ts"));
        assert_eq!(root.get("f").unwrap().text(), Some("g"));
        assert_eq!(&text[root.get("a").unwrap().span.clone()], "web");
    }

    #[test]
    fn multi_document_and_duplicates() {
        let l = load("a: 1\na: 2\n---\nb: [1, 2]\n");
        assert_eq!(l.documents.len(), 2);
        assert_eq!(l.issues.len(), 1);
        assert_eq!(l.issues[0].rule, "duplicate-key");
        assert_eq!(l.documents[0].root.as_ref().unwrap().get("a").unwrap().as_i64(), Some(2));
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            s.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let l = load(&s);
        assert!(l.issues.iter().any(|i| i.message.contains("aliases expand")));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let s = "[".repeat(10_000);
        let l = load(&s);
        assert!(!l.issues.is_empty());
    }

    #[test]
    fn syntax_error_has_position() {
        let text = "a: 1\nb: [1, 2\n";
        let l = load(text);
        assert_eq!(l.issues[0].rule, "invalid-yaml");
    }
}
