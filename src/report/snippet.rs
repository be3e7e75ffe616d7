//! A file's text as the human report shows it, read by miette in time proportional to what is
//! shown.
//!
//! miette's own `SourceCode` for strings scans the text from byte 0 for every label, so a file
//! with thousands of findings took quadratic time (2,500 findings in one stream: 7 s; 10,000:
//! over a minute). [`Shown`] answers the same questions from a line table: where a label's lines
//! and their context start and end, binary searches and the bytes in between.
//!
//! The text is made safe to print on the way, with byte offsets mapped through the changes:
//! characters that would act on a terminal (ESC and the other controls, C1 controls, the
//! bidirectional overrides) are shown as visible symbols (`␛`, U+FFFD); a carriage return alone
//! is a line break, as YAML reads it; a byte-order mark at the start is not shown. Secrets were
//! masked before the text comes here ([`crate::index::RepoIndex::shown`]).

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// One replaced character: where it was, how long it was, how long its replacement is.
#[derive(Debug, Clone, Copy)]
struct Edit {
    at: usize,
    len: usize,
    /// Display offset minus original offset after this edit.
    shift_after: isize,
}

#[derive(Debug)]
pub struct Shown {
    name: String,
    text: String,
    line_starts: Vec<usize>,
    /// In original-offset order; empty for the usual, clean text.
    edits: Vec<Edit>,
}

/// What an unsafe character is shown as: its Unicode control picture when it has one.
fn replacement(c: char) -> char {
    match c {
        '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        _ => '\u{fffd}',
    }
}

impl Shown {
    /// `original` as shown, under the name `name`.
    pub fn new(name: String, original: &str) -> Shown {
        let clean = !original.starts_with('\u{feff}') && !original.chars().any(|c| c == '\r' || crate::diagnostic::is_unsafe_char(c));
        let (text, edits) = if clean { (original.to_owned(), Vec::new()) } else { Self::sanitize(original) };
        let mut line_starts = vec![0];
        line_starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        Shown { name, text, line_starts, edits }
    }

    fn sanitize(original: &str) -> (String, Vec<Edit>) {
        let mut text = String::with_capacity(original.len() + 16);
        let mut edits = Vec::new();
        let mut shift = 0isize;
        let mut chars = original.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let shown = match c {
                '\u{feff}' if at == 0 => None,
                // A lone CR breaks the line (YAML's b-break); the CR of CRLF stays for miette.
                '\r' if chars.peek().is_some_and(|(_, n)| *n == '\n') => Some('\r'),
                '\r' => Some('\n'),
                c if crate::diagnostic::is_unsafe_char(c) => Some(replacement(c)),
                c => {
                    text.push(c);
                    continue;
                }
            };
            let new_len = shown.map_or(0, char::len_utf8);
            if let Some(s) = shown {
                text.push(s);
            }
            if new_len != c.len_utf8() {
                shift += new_len as isize - c.len_utf8() as isize;
                edits.push(Edit { at, len: c.len_utf8(), shift_after: shift });
            }
        }
        (text, edits)
    }

    /// The display offset of an original byte offset (inside a replaced character: its start).
    pub fn map(&self, offset: usize) -> usize {
        let i = self.edits.partition_point(|e| e.at < offset);
        let Some(prev) = i.checked_sub(1).map(|i| self.edits[i]) else { return offset.min(self.text.len()) };
        let shift_before = if i >= 2 { self.edits[i - 2].shift_after } else { 0 };
        let shown = if offset < prev.at + prev.len { prev.at as isize + shift_before } else { offset as isize + prev.shift_after };
        (shown.max(0) as usize).min(self.text.len())
    }

    /// A span of the original text as a miette span of the shown text.
    pub fn span(&self, span: &std::ops::Range<usize>) -> SourceSpan {
        let start = self.map(span.start);
        let end = self.map(span.end).max(start);
        (start, end - start).into()
    }

    /// The 0-based line holding display offset `offset` (a line break belongs to its line).
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|s| *s <= offset) - 1
    }

    /// Line breaks before display offset `offset`.
    fn breaks_before(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|s| *s <= offset) - 1
    }
}

impl SourceCode for Shown {
    /// What miette's `SourceCode for [u8]` answers (the same lines, line number, line count and,
    /// without context, the column), from the line table: columns are counted in characters,
    /// as every other format counts them.
    fn read_span<'a>(&'a self, span: &SourceSpan, before: usize, after: usize) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let len = self.text.len();
        let start = span.offset();
        let end = start + span.len();
        if start > len || end > len {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.line_of(start);
        // miette's last line holds the byte after the span's last one: a span that ends with its
        // line's break reaches into the next line, and an empty span sits on the line it starts.
        let last = self.line_of(end.max(1).min(len));
        let (data_start, line, column) = if before == 0 {
            let column = self.text[self.line_starts[first]..start].chars().count();
            (start, first, column)
        } else {
            let line = first.saturating_sub(before);
            (self.line_starts[line], line, 0)
        };
        let data_end = if after == 0 { end.max(start) } else { self.line_starts.get(last + after + 1).copied().unwrap_or(len) };
        let data = &self.text.as_bytes()[data_start..data_end];
        let contents = MietteSpanContents::new_named(self.name.clone(), data, (data_start, data_end - data_start).into(), line, column, self.breaks_before(data_end));
        Ok(Box::new(contents))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where both can be compared (clean text), the answers are miette's own.
    #[test]
    fn answers_as_miette_does() {
        let text = "a: 1\nbb: 22\n\nccc: 333\nd: 4\ne: 5";
        let shown = Shown::new("f".into(), text);
        for start in 0..=text.len() {
            for end in start..=text.len() {
                for (before, after) in [(0, 0), (1, 1), (2, 2), (3, 3)] {
                    let span: SourceSpan = (start, end - start).into();
                    let ours = shown.read_span(&span, before, after).unwrap();
                    let theirs = text.read_span(&span, before, after).unwrap();
                    let at = format!("{start}..{end} ({before}, {after})");
                    assert_eq!(ours.line(), theirs.line(), "line {at}");
                    assert_eq!(ours.line_count(), theirs.line_count(), "line count {at}: {:?} vs {:?}", std::str::from_utf8(ours.data()), std::str::from_utf8(theirs.data()));
                    if before > 0 {
                        assert_eq!(ours.data(), theirs.data(), "data {at}");
                        assert_eq!(ours.span(), theirs.span(), "span {at}");
                        assert_eq!(ours.column(), theirs.column(), "column {at}");
                    } else if end > start {
                        assert_eq!(ours.column(), theirs.column(), "column {at}");
                    }
                }
            }
        }
    }

    #[test]
    fn unsafe_characters_are_shown_and_offsets_follow() {
        let text = "\u{feff}a: \u{1b}[31m\rb: x\u{9b}y\r\nc: z";
        let shown = Shown::new("f".into(), text);
        assert_eq!(shown.text, "a: \u{241b}[31m\nb: x\u{fffd}y\r\nc: z");
        let b = text.find('b').unwrap();
        assert_eq!(&shown.text[shown.map(b)..shown.map(b) + 1], "b");
        let z = text.find('z').unwrap();
        assert_eq!(&shown.text[shown.map(z)..], "z");
        assert_eq!(shown.map(0), 0);
        assert_eq!(shown.map(1), 0, "inside the BOM");
        assert_eq!(shown.line_of(shown.map(b)), 1, "a lone CR breaks the line");
    }
}
