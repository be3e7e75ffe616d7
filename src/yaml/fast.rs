//! A fast path for the YAML that GitOps repositories are made of.
//!
//! saphyr-parser reads about 20 MB/s per core on Kubernetes manifests, and parsing was half of a
//! large run. Almost every manifest uses a small part of YAML: block mappings and sequences,
//! one-line scalars, one-line flow collections, comments and `---`. This module reads exactly that
//! part, straight from the bytes into the same [`Node`] tree, about 8× faster, and gives up
//! (`None`) the moment it meets anything else: anchors, aliases, tags, block scalars, multi-line
//! scalars, escapes, tabs, complex keys, empty documents, odd indentation, or any error. The
//! caller then parses the file with saphyr ([`super::load`]), so every file gets exactly one
//! answer, and every error message and position still comes from saphyr.
//!
//! The contract is strict: when this returns a tree, it is the tree saphyr's path builds, spans
//! included (saphyr's quirks too: an empty mapping value sits at its `:`, an indentless sequence
//! starts at its first item, a flow collection ends with its last item).
//! `tests/yaml_fast_path.rs` holds it to that on every YAML file in the repository, the corpus,
//! and generated variations.

use super::load::{duplicate_keys, Document, Loaded};
use super::node::{Entry, Node, NodeKind, Scalar, Style, Tag};
use crate::source::Span;
use compact_str::CompactString;

/// Nesting beyond this goes to saphyr, which reports what is too deep.
const MAX_DEPTH: usize = 64;

/// Parse `text` if it stays within the subset; `None` means "use the full parser".
pub fn load(text: &str) -> Option<Loaded> {
    // Tabs, carriage returns, and characters YAML does not allow or reads as breaks or spaces:
    // rare in manifests, and saphyr's to judge.
    if text.as_bytes().iter().any(|&b| (b < 0x20 && b != b'\n') || b == 0x7f) {
        return None;
    }
    if !text.is_ascii() && text.chars().any(|c| matches!(c, '\u{80}'..='\u{a0}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')) {
        return None;
    }
    // The scratch stacks are kept per thread: grown once, not again for every file.
    thread_local! {
        static SCRATCH: std::cell::Cell<(Vec<Entry>, Vec<Node>)> = const { std::cell::Cell::new((Vec::new(), Vec::new())) };
    }
    let (entries, items) = SCRATCH.take();
    let mut p = Fast { s: text, b: text.as_bytes(), pos: 0, depth: 0, out: Loaded::default(), entries, items };
    let parsed = p.documents();
    p.entries.clear();
    p.items.clear();
    SCRATCH.set((p.entries, p.items));
    parsed?;
    Some(p.out)
}

struct Fast<'a> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
    depth: usize,
    out: Loaded,
    /// Children of the open collections, moved into exactly sized Vecs when each closes (as in
    /// [`super::load`]: no growth slack in trees that live for the whole run).
    entries: Vec<Entry>,
    items: Vec<Node>,
}

/// Why a scalar ended.
#[derive(PartialEq)]
enum Stop {
    /// At `: ` (or `:` before the line end): the scalar is a mapping key.
    Colon,
    /// At the end of the line or a comment, or (in flow) at a flow indicator.
    Value,
}

impl Fast<'_> {
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(b'\n')
    }

    fn eof(&self) -> bool {
        self.pos >= self.b.len()
    }

    fn line_end(&self, from: usize) -> usize {
        self.b[from..].iter().position(|&c| c == b'\n').map_or(self.b.len(), |i| from + i)
    }

    /// From the start of a line, skip blank and comment-only lines; stop at the start of the next
    /// line with content (or the end of the text).
    fn skip_blank_lines(&mut self) {
        while !self.eof() {
            let mut i = self.pos;
            while self.at(i) == b' ' {
                i += 1;
            }
            if i < self.b.len() && self.b[i] != b'\n' && self.b[i] != b'#' {
                return;
            }
            let end = self.line_end(i);
            self.pos = (end + 1).min(self.b.len());
        }
    }

    /// The indentation of the line starting at `self.pos`.
    fn indent(&self) -> usize {
        self.b[self.pos..].iter().take_while(|&&c| c == b' ').count()
    }

    /// After a node on a line: only spaces and a comment may follow. Moves to the next line with
    /// content.
    fn end_of_line(&mut self) -> Option<()> {
        let start = self.pos;
        while self.at(self.pos) == b' ' && self.pos < self.b.len() {
            self.pos += 1;
        }
        if self.pos < self.b.len() && self.b[self.pos] != b'\n' && !(self.b[self.pos] == b'#' && self.pos > start) {
            return None;
        }
        self.pos = (self.line_end(self.pos) + 1).min(self.b.len());
        self.skip_blank_lines();
        Some(())
    }

    /// A block sequence entry's `-` at `i` (followed by a space or the line end).
    fn is_dash(&self, i: usize) -> bool {
        self.at(i) == b'-' && matches!(self.at(i + 1), b' ' | b'\n')
    }

    /// After a child of a block collection in column `col`, with `self.pos` at the next line with
    /// content: `Some(Some(indent))` when that line continues the collection, `Some(None)` when
    /// the collection ends there (less indented, a document marker, the end), `None` (decline)
    /// when it is indented deeper, which is a multi-line scalar or an error.
    fn continues_block(&self, col: usize) -> Option<Option<usize>> {
        if self.eof() {
            return Some(None);
        }
        let ind = self.indent();
        if ind > col {
            return None;
        }
        Some((ind == col && !(col == 0 && self.at_document_marker())).then_some(ind))
    }

    /// `---` on its own line (a comment may follow).
    fn at_document_marker(&self) -> bool {
        self.b[self.pos..].starts_with(b"---") && matches!(self.at(self.pos + 3), b' ' | b'\n')
    }

    fn documents(&mut self) -> Option<()> {
        self.skip_blank_lines();
        while !self.eof() {
            let start = self.pos;
            if self.b[self.pos..].starts_with(b"---") {
                if !self.at_document_marker() {
                    return None;
                }
                self.pos += 3;
                self.end_of_line()?;
                // An empty document: saphyr gives it a root with a quirky span; leave it to saphyr.
                if self.eof() || self.at_document_marker() {
                    return None;
                }
            } else if self.b[self.pos..].starts_with(b"...") {
                return None;
            }
            let content = self.pos;
            let col = self.indent();
            self.pos += col;
            let root = self.block_node(col)?;
            if root.as_scalar().is_some() {
                return None;
            }
            let end = if self.eof() {
                self.b.len()
            } else if self.indent() == 0 && self.at_document_marker() {
                self.pos + 3
            } else {
                return None;
            };
            let doc_start = if start == content { root.span.start } else { start };
            let index = self.out.documents.len();
            self.out.documents.push(Document { index, span: doc_start..end.max(root.span.end), root: Some(root) });
        }
        Some(())
    }

    /// A node in block context whose first character is at `self.pos`, in column `col`. Returns
    /// with `self.pos` at the start of the next line with content.
    fn block_node(&mut self, col: usize) -> Option<Node> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let node = match self.at(self.pos) {
            b'-' if self.is_dash(self.pos) => self.block_seq(col, false),
            b'[' | b'{' => {
                let n = self.flow_node()?;
                self.end_of_line()?;
                Some(n)
            }
            _ => {
                let line_start = self.pos;
                let (scalar, stop) = self.scalar(false)?;
                if stop == Stop::Colon {
                    self.pos = line_start;
                    self.block_map(col)
                } else {
                    self.end_of_line()?;
                    Some(scalar)
                }
            }
        };
        self.depth -= 1;
        node
    }

    fn block_map(&mut self, col: usize) -> Option<Node> {
        let first = self.entries.len();
        loop {
            let (key, stop) = self.scalar(false)?;
            if stop != Stop::Colon {
                return None;
            }
            let colon = self.pos;
            self.pos += 1;
            let mut next = self.pos;
            while self.at(next) == b' ' && next < self.b.len() {
                next += 1;
            }
            let value = if next >= self.b.len() || matches!(self.b[next], b'\n' | b'#') {
                self.end_of_line()?;
                let ind = self.indent();
                let dash_here = !self.eof() && ind == col && self.is_dash(self.pos + col);
                if !self.eof() && ind > col {
                    self.pos += ind;
                    self.block_node(ind)?
                } else if dash_here {
                    self.pos += ind;
                    self.block_seq(col, true)?
                } else {
                    scalar(colon..colon, CompactString::default(), Style::Plain)
                }
            } else {
                self.pos = next;
                let v = match self.b[self.pos] {
                    b'[' | b'{' => self.flow_node()?,
                    b'-' if self.is_dash(self.pos) => return None,
                    _ => {
                        let (v, stop) = self.scalar(false)?;
                        if stop == Stop::Colon {
                            return None;
                        }
                        v
                    }
                };
                self.end_of_line()?;
                v
            };
            self.entries.push(Entry { key, value });
            let Some(ind) = self.continues_block(col)? else { break };
            if self.is_dash(self.pos + ind) {
                return None;
            }
            self.pos += ind;
        }
        let entries: Vec<Entry> = self.entries.drain(first..).collect();
        duplicate_keys(&entries, &mut self.out.issues);
        let start = entries[0].key.span.start;
        let end = entries.last().map_or(start, |e| e.value.span.end.max(e.key.span.end));
        Some(Node { span: start..end, kind: NodeKind::Map(entries) })
    }

    /// A block sequence whose first `-` is at `self.pos` in column `col`. `indentless`: the value
    /// of a mapping key at the same column (`containers:` / `- name: app`).
    fn block_seq(&mut self, col: usize, indentless: bool) -> Option<Node> {
        let dash = self.pos;
        let first = self.items.len();
        loop {
            self.pos += 1;
            while self.at(self.pos) == b' ' && self.pos < self.b.len() {
                self.pos += 1;
            }
            let item = if self.pos >= self.b.len() || self.b[self.pos] == b'\n' {
                let empty_at = self.pos;
                self.end_of_line()?;
                let ind = self.indent();
                if !self.eof() && ind > col {
                    self.pos += ind;
                    self.block_node(ind)?
                } else {
                    if indentless && self.items.len() == first {
                        return None;
                    }
                    scalar(empty_at..empty_at, CompactString::default(), Style::Plain)
                }
            } else {
                match self.b[self.pos] {
                    b'#' => return None,
                    b'-' if self.is_dash(self.pos) => return None,
                    _ => {
                        let line_start = self.s[..self.pos].rfind('\n').map_or(0, |i| i + 1);
                        self.block_node(self.pos - line_start)?
                    }
                }
            };
            self.items.push(item);
            let Some(ind) = self.continues_block(col)? else { break };
            if !self.is_dash(self.pos + ind) {
                break;
            }
            self.pos += ind;
        }
        let items: Vec<Node> = self.items.drain(first..).collect();
        let start = if indentless { items[0].span.start } else { dash };
        let end = items.last().map_or(start, |n| n.span.end);
        Some(Node { span: start..end, kind: NodeKind::Seq(items) })
    }

    /// A collection in flow style that closes on the same line, at `self.pos`.
    fn flow_node(&mut self) -> Option<Node> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let open = self.pos;
        let node = match self.b[open] {
            b'[' => {
                let first = self.items.len();
                self.flow_elements(b']', |p| {
                    let item = p.flow_item()?;
                    p.items.push(item);
                    Some(())
                })?;
                let items: Vec<Node> = self.items.drain(first..).collect();
                let end = items.last().map_or(self.pos, |n| n.span.end);
                Node { span: open..end, kind: NodeKind::Seq(items) }
            }
            b'{' => {
                let first = self.entries.len();
                self.flow_elements(b'}', |p| {
                    let (key, stop) = p.scalar(true)?;
                    if stop != Stop::Colon || p.at(p.pos + 1) != b' ' {
                        return None;
                    }
                    p.pos += 1;
                    p.skip_spaces();
                    let value = p.flow_item()?;
                    p.entries.push(Entry { key, value });
                    Some(())
                })?;
                let entries: Vec<Entry> = self.entries.drain(first..).collect();
                duplicate_keys(&entries, &mut self.out.issues);
                let end = entries.last().map_or(self.pos, |e| e.value.span.end.max(e.key.span.end));
                Node { span: open..end, kind: NodeKind::Map(entries) }
            }
            _ => return None,
        };
        self.depth -= 1;
        Some(node)
    }

    /// The elements of a flow collection whose opening bracket is at `self.pos`, separated by
    /// commas (a trailing comma is declined), up to `close`; leaves `self.pos` after it.
    fn flow_elements(&mut self, close: u8, mut element: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.pos += 1;
        self.skip_spaces();
        if self.at(self.pos) != close {
            loop {
                element(self)?;
                self.skip_spaces();
                match self.at(self.pos) {
                    b',' => {
                        self.pos += 1;
                        self.skip_spaces();
                        if self.at(self.pos) == close {
                            return None;
                        }
                    }
                    c if c == close => break,
                    _ => return None,
                }
            }
        }
        self.pos += 1;
        Some(())
    }

    fn flow_item(&mut self) -> Option<Node> {
        match self.at(self.pos) {
            b'[' | b'{' => self.flow_node(),
            _ => match self.scalar(true)? {
                (n, Stop::Value) => Some(n),
                (_, Stop::Colon) => None,
            },
        }
    }

    fn skip_spaces(&mut self) {
        while self.pos < self.b.len() && self.b[self.pos] == b' ' {
            self.pos += 1;
        }
    }

    /// A one-line scalar at `self.pos`: quoted, or plain. Leaves `self.pos` at the `:` for a key,
    /// else just after the scalar.
    fn scalar(&mut self, flow: bool) -> Option<(Node, Stop)> {
        let start = self.pos;
        let (node, after) = match self.at(start) {
            b'\'' => {
                let mut i = start + 1;
                let mut text = String::new();
                let mut from = i;
                loop {
                    match self.at(i) {
                        b'\n' => return None,
                        b'\'' if self.at(i + 1) == b'\'' && i + 1 < self.b.len() => {
                            text.push_str(&self.s[from..=i]);
                            i += 2;
                            from = i;
                        }
                        b'\'' => break,
                        _ => i += 1,
                    }
                }
                text.push_str(&self.s[from..i]);
                (scalar(start..i + 1, CompactString::from(text), Style::SingleQuoted), i + 1)
            }
            b'"' => {
                let len = self.b[start + 1..].iter().position(|&c| matches!(c, b'"' | b'\\' | b'\n'))?;
                let close = start + 1 + len;
                if self.b[close] != b'"' {
                    return None;
                }
                (scalar(start..close + 1, CompactString::new(&self.s[start + 1..close]), Style::DoubleQuoted), close + 1)
            }
            c => {
                if matches!(c, b'\n' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`') {
                    return None;
                }
                if c == b'-' && self.is_dash(start) {
                    return None;
                }
                let mut i = start;
                loop {
                    match self.at(i) {
                        b'\n' => break,
                        b':' if matches!(self.at(i + 1), b' ' | b'\n') => break,
                        b':' if flow => return None,
                        b'#' if self.b[i - 1] == b' ' => break,
                        b',' | b'[' | b']' | b'{' | b'}' if flow => break,
                        _ => i += 1,
                    }
                }
                let end = start + self.s[start..i].trim_end_matches(' ').len();
                (scalar(start..end, CompactString::new(&self.s[start..end]), Style::Plain), end)
            }
        };
        self.pos = after;
        // A quoted key may not have spaces before its colon here (saphyr allows them; rare).
        let stop = if self.at(after) == b':' && matches!(self.at(after + 1), b' ' | b'\n') && after < self.b.len() { Stop::Colon } else { Stop::Value };
        if stop == Stop::Value && !flow {
            // Plain scalars end at a comment or the line end; quoted ones must be followed by one.
            let rest = &self.b[after..self.line_end(after)];
            let trimmed = rest.iter().position(|&c| c != b' ');
            // Anything else after a scalar on its line (` :` after a key, an error): not ours.
            if trimmed.is_some_and(|t| !(rest[t] == b'#' && t > 0)) {
                return None;
            }
        }
        Some((node, stop))
    }
}

fn scalar(span: Span, text: CompactString, style: Style) -> Node {
    Node { span, kind: NodeKind::Scalar(Scalar { text, style, tag: Tag::None }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(text: &str) {
        let fast = load(text).unwrap_or_else(|| panic!("fast path declined:\n{text}"));
        let full = super::super::load::load_full(text);
        assert_eq!(fast, full, "trees differ for:\n{text}");
    }

    #[test]
    fn matches_saphyr_on_the_common_subset() {
        same("apiVersion: v1   # trailing\nkind: A\nempty:\nseq:\n- a\n- 'b'\nnested:\n  - name: x\n    v: \"q\"\n  -\n  - [1, {a: b}]\nflow: {app: x}\neflow: {}\nlast: y  \n");
        same("--- # c\na: 1\n# tail\n\n---\n# lead\nb: [x]\n# end comment\n\n");
        same("a: 1");
        same("a:\n  b:\n    - x\nc: d\n\n\n");
        same("- a\n- b: 1\n  c: [ ]\n");
        same("k:\n- x: 1\n  y: 2\n- \nz:");
        same("a:   \nb: # c\nc:\n  # x\n  d: 1\n\"q k\": v # c\n'it''s': x#y\ne: -1\nl: [a, \"b\", 'c']   \n");
        same("a: 1\na: 2\n---\nb: {x: 1, x: 2}\n");
    }

    #[test]
    fn declines_what_it_does_not_read() {
        for text in ["a: &x 1\nb: *x\n", "a: |\n  x\n", "a: !!str 1\n", "a: \"x\\ny\"\n", "a: b\n  c\n", "? a\n: b\n", "a:\tb\n", "---\n", "a: 1\n...\n", "a: [1,\n 2]\n", "x\n", "a: b: c\n"] {
            assert!(load(text).is_none(), "should decline:\n{text}");
        }
    }
}
