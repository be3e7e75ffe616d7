//! The JSON reporter: kedalint's own stable shape (documented in the README, "JSON output").
//!
//! `{"version": 1, "diagnostics": [{rule, severity, message, file, start:{line,column},
//! end:{line,column}, offset, length, help, note, url, related:[{file, start, end, offset, length,
//! message}], units?: [name]}], "summary": {...}}`. Lines and columns are 1-based, offsets are
//! bytes; `units` is there when the repository has deployment units (see [`crate::units`]).

use super::{location, primary_location, Location};
use crate::diagnostic::Diagnostic;
use crate::engine::Outcome;
use serde::Serialize;

#[derive(Serialize)]
struct Related {
    #[serde(flatten)]
    location: Location,
    message: String,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    #[serde(flatten)]
    location: Location,
    label: &'a str,
    help: Option<&'a str>,
    note: Option<&'a str>,
    url: Option<String>,
    related: Vec<Related>,
    /// The deployment units it was found in, when the repository has units.
    #[serde(skip_serializing_if = "Option::is_none")]
    units: Option<Vec<&'a str>>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    objects: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    diagnostics: Diagnostics<'a>,
    summary: Summary,
}

/// The findings, each converted as it is written: a list of them all converted first held
/// another copy of every path and URL (25 MB at 50,000 workloads).
struct Diagnostics<'a>(&'a Outcome);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.diagnostics.iter().map(|d| convert(d, self.0)))
    }
}

fn convert<'a>(d: &'a Diagnostic, outcome: &Outcome) -> JsonDiagnostic<'a> {
    let idx = &outcome.index;
    JsonDiagnostic {
        rule: d.rule,
        severity: d.severity.as_str(),
        message: &d.message,
        location: primary_location(idx, d),
        label: &d.primary_label().text,
        help: d.help.as_deref(),
        note: d.note.as_deref(),
        url: crate::rules::find(d.rule).map(|m| m.meta().url()),
        related: d.labels.iter().filter(|l| !l.primary).map(|l| Related { location: location(idx, l), message: l.text.to_string() }).collect(),
        units: d.units.as_ref().map(|u| u.iter().map(|n| &**n).collect()),
    }
}

pub fn render(outcome: &Outcome) -> String {
    let mut out = Vec::new();
    write(outcome, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Write the report to `out` as it serializes, rather than building it in memory first (at
/// 50,000 workloads the report is ~90 MB of text).
pub fn write(outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use crate::diagnostic::Severity::*;
    let report = Report {
        version: 1,
        diagnostics: Diagnostics(outcome),
        summary: Summary {
            files: outcome.index.files.len(),
            objects: outcome.index.objects.len(),
            errors: outcome.count(Error),
            warnings: outcome.count(Warning),
            infos: outcome.count(Info),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    out.write_all(b"\n")
}
