//! Reporters: one per output format, each turning plain-data diagnostics into text.
//! Only `human` knows miette; the JSON shape is kedalint's own and documented in the README.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

use crate::diagnostic::Diagnostic;
use crate::index::RepoIndex;
use crate::source::LineCol;

/// A diagnostic label resolved to what people and machines read: path, 1-based positions, offsets.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Location {
    pub file: String,
    pub start: LineCol,
    pub end: LineCol,
    pub offset: usize,
    pub length: usize,
}

pub fn location(index: &RepoIndex, file: crate::source::FileId, span: &crate::source::Span) -> Location {
    let f = index.file(file);
    Location {
        file: f.path().display().to_string(),
        start: f.line_col(span.start),
        end: f.line_col(span.end),
        offset: span.start,
        length: span.end.saturating_sub(span.start),
    }
}

/// Location of a diagnostic's primary label.
pub fn primary_location(index: &RepoIndex, d: &Diagnostic) -> Location {
    let l = d.primary_label();
    location(index, l.file, &l.span)
}
