//! Source files as the linter holds them: the text once, shared, plus a line index.
//!
//! Every span in kedalint is a byte range into [`SourceFile::text`]; people see 1-based line:column
//! (columns counted in characters, as editors and SARIF's `unicodeCodePoints` do), computed here.
//!
//! A file read from disk need not be held for the whole run: once its objects are analysed the
//! engine may [release](SourceFile::release) its text and line table, and whoever needs the text
//! again (the rules' namespace batches, line:column of findings, snippets) reads the file again
//! with [`SourceFile::current_text`]. At 50,000 workloads the texts and their line tables were
//! 80 MB of a run's memory, held only to be looked at again for a fraction of the files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a file in [`crate::index::RepoIndex::files`].
pub type FileId = usize;

/// A byte range into one file's text.
pub type Span = std::ops::Range<usize>;

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user named it (or as discovery found it), used in every report.
    pub path: PathBuf,
    /// An `Arc<String>` rather than `Arc<str>`: the text read from disk moves in without a copy.
    pub text: Arc<String>,
    /// Where each line starts: `u32` and sized exactly, since there is one per line of every
    /// file for the whole run. Offsets past 4 GiB (a file that size is refused long before)
    /// are not recorded, and such lines count as the last recorded one.
    line_starts: Vec<u32>,
    /// The text and line table were let go ([`SourceFile::release`]); `path` holds the text,
    /// this many bytes of it.
    released: Option<usize>,
}

/// A 1-based position for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Where a span starts and ends, for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub start: LineCol,
    pub end: LineCol,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        SourceFile::shared(path, Arc::new(text.into()))
    }

    /// A file over a text that others hold too (no copy).
    pub fn shared(path: impl Into<PathBuf>, text: Arc<String>) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(1 + newlines(bytes).count());
        line_starts.push(0);
        line_starts.extend(newlines(bytes).map_while(|at| u32::try_from(at).ok()));
        SourceFile { path: path.into(), text, line_starts, released: None }
    }

    /// Let go of the text and line table; the file on disk at `path` has them. Only for files
    /// that were read from disk as valid UTF-8.
    pub fn release(&mut self) {
        // One empty text shared by all released files (`Arc::default` allocates each time).
        static EMPTY: std::sync::LazyLock<Arc<String>> = std::sync::LazyLock::new(Arc::default);
        self.released = Some(self.text.len());
        self.text = EMPTY.clone();
        self.line_starts = Vec::new();
    }

    pub fn is_released(&self) -> bool {
        self.released.is_some()
    }

    /// The text: the one held, or for a released file the file read again. A file that can no
    /// longer be read as it was (removed, grown, shrunk, or no longer UTF-8 while the run went on)
    /// reads as empty: its positions then clamp to the start, and nothing panics.
    pub fn current_text(&self) -> Arc<String> {
        let Some(len) = self.released else { return self.text.clone() };
        let read = crate::files::read_regular(&self.path, len as u64).ok().filter(|b| b.len() == len);
        Arc::new(read.and_then(|b| String::from_utf8(b).ok()).unwrap_or_default())
    }

    /// This file with its text held again (a copy for a released file, with the text read again).
    pub fn with_text(&self) -> std::borrow::Cow<'_, SourceFile> {
        match self.released {
            None => std::borrow::Cow::Borrowed(self),
            Some(_) => std::borrow::Cow::Owned(SourceFile::new(self.path.clone(), Arc::unwrap_or_clone(self.current_text()))),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Byte offset where 1-based `line` starts (clamped to the end of the text).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line.saturating_sub(1)).map_or(self.text.len(), |s| *s as usize)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line_idx = match self.line_starts.binary_search(&u32::try_from(offset).unwrap_or(u32::MAX)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line_idx] as usize;
        // A byte-order mark is not a character anyone sees: line 1's columns start after it.
        let start = if start == 0 && self.text.starts_with('\u{feff}') && offset >= 3 { 3 } else { start };
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        // Saturating: a line or column past 4 billion belongs to a file refused long before.
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        LineCol { line: narrow(line_idx + 1), column: narrow(column) }
    }

    /// Line and column of both ends of a span.
    pub fn position(&self, span: &Span) -> Position {
        Position { start: self.line_col(span.start), end: self.line_col(span.end) }
    }

    /// The text of 1-based `line`, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_start(line);
        let end = self.line_starts.get(line).map_or(self.text.len(), |e| *e as usize);
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// Where each line after the first starts. Line breaks are YAML's: LF, CRLF, and a CR alone (old
/// Mac files), so that lines here are the lines the parser and the human report count.
fn newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes.iter().enumerate().filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))).map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = SourceFile::new("a.yaml", "a: 1\nnäme: x\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        let x = f.text.find('x').unwrap();
        assert_eq!(f.line_col(x), LineCol { line: 2, column: 7 });
        assert_eq!(f.line_text(2), "näme: x");
    }

    #[test]
    fn lines_break_as_yaml_breaks_them_and_a_bom_is_no_column() {
        let f = SourceFile::new("a.yaml", "a: 1\rb: 2\r\nc: 3\nd");
        let at = |s: &str| f.line_col(f.text.find(s).unwrap());
        assert_eq!([at("b"), at("c"), at("d")].map(|p| p.line), [2, 3, 4]);
        assert_eq!(f.line_text(1), "a: 1");
        let f = SourceFile::new("b.yaml", "\u{feff}bogus: 1\n");
        assert_eq!(f.line_col(3), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(f.text.find(':').unwrap()), LineCol { line: 1, column: 6 });
    }

    /// A released file is read again when its text is wanted; one removed in the meantime reads
    /// as empty, and its positions clamp rather than panic.
    #[test]
    fn released_text_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "a: 1\nb: 2\n").unwrap();
        let mut f = SourceFile::new(&path, "a: 1\nb: 2\n");
        f.release();
        assert!(f.is_released() && f.text.is_empty());
        assert_eq!(f.with_text().line_col(6), LineCol { line: 2, column: 2 });
        std::fs::remove_file(&path).unwrap();
        assert_eq!(f.current_text().as_str(), "");
        assert_eq!(f.with_text().line_col(6), LineCol { line: 1, column: 1 });
    }
}
