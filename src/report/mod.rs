//! Reporters: one per output format, each turning plain-data diagnostics into text.
//! Only `human` knows miette; the JSON shape is kedalint's own and documented in the README.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod snippet;

use crate::diagnostic::{Diagnostic, Label};
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

/// Where a label points. Its line and column are the ones the engine filled in; a label made
/// after a run (or by hand) has them worked out from the file here.
pub fn location(index: &RepoIndex, label: &Label) -> Location {
    let f = index.file(label.file);
    let at = label.position.unwrap_or_else(|| f.with_text().position(&label.span));
    Location {
        file: f.path().display().to_string(),
        start: at.start,
        end: at.end,
        offset: label.span.start,
        length: label.span.end.saturating_sub(label.span.start),
    }
}

/// A path as text reports print it: control characters from a file's name escaped (see
/// [`crate::diagnostic::escape_controls`]).
pub fn display_path(path: &std::path::Path) -> String {
    let shown = path.display().to_string();
    crate::diagnostic::escape_controls(&shown).unwrap_or(shown)
}

/// Location of a diagnostic's primary label.
pub fn primary_location(index: &RepoIndex, d: &Diagnostic) -> Location {
    location(index, d.primary_label())
}
