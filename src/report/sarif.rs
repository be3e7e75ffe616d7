//! SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
//!
//! `tool.driver.rules` comes from the registry (help URIs, default levels); results carry
//! repository-relative URIs (`uriBaseId: %SRCROOT%`), 1-based regions with `columnKind:
//! unicodeCodePoints`, related locations, and a `partialFingerprints` hash of rule, file and the
//! flagged line's text, so that alerts survive lines moving. Secrets were masked in the source
//! before any reporter runs. Validated against the official schema in tests/reporters.rs.

use super::{location, primary_location, Location};
use crate::diagnostic::Severity;
use crate::engine::Outcome;
use crate::rules;
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a relative URI: relative to the working directory when it is under it, `/` separators,
/// spaces, `%`, brackets, backticks and control characters percent-encoded (a file's name must not
/// carry an escape sequence into a CI log).
pub fn relative_uri(path: &str) -> String {
    let p = std::path::Path::new(path);
    let rel = std::env::current_dir().ok().and_then(|cwd| p.strip_prefix(&cwd).ok().map(|r| r.to_path_buf())).unwrap_or_else(|| p.to_path_buf());
    let s = rel.to_string_lossy().replace('\\', "/");
    let s = s.strip_prefix("./").unwrap_or(&s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | ' ' | '[' | ']' | '`') || crate::diagnostic::is_unsafe_char(c) || c == '\n' || c == '\t' {
            let mut buf = [0; 4];
            c.encode_utf8(&mut buf).bytes().for_each(|b| out.push_str(&format!("%{b:02X}")));
        } else {
            out.push(c);
        }
    }
    out
}

fn region(l: &Location) -> Value {
    json!({"startLine": l.start.line, "startColumn": l.start.column, "endLine": l.end.line, "endColumn": l.end.column.max(if l.end.line == l.start.line { l.start.column + 1 } else { 1 })})
}

fn physical(l: &Location) -> Value {
    // Live objects (`cluster://...`) have absolute URIs; files are relative to the source root.
    let artifact = if l.file.starts_with("cluster://") { json!({"uri": l.file}) } else { json!({"uri": relative_uri(&l.file), "uriBaseId": "%SRCROOT%"}) };
    json!({"artifactLocation": artifact, "region": region(l)})
}

/// FNV-1a, 64 bits: a stable, dependency-free fingerprint.
fn fnv(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

pub fn render(outcome: &Outcome) -> String {
    let mut out = Vec::new();
    write(outcome, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// One result. `shown` is the primary label's file as reports show it (for the line hash).
fn result(d: &crate::diagnostic::Diagnostic, shown: &crate::source::SourceFile, idx: &crate::index::RepoIndex) -> Value {
    let loc = primary_location(idx, d);
    let line_text = shown.line_text(loc.start.line as usize).trim().to_owned();
    let related: Vec<Value> = d
        .labels
        .iter()
        .filter(|l| !l.primary)
        .enumerate()
        .map(|(i, l)| {
            let rl = location(idx, l);
            json!({"id": i, "physicalLocation": physical(&rl), "message": {"text": &*l.text}})
        })
        .collect();
    let mut text = d.message.to_string();
    if let Some(h) = &d.help {
        text.push_str(&format!("\nhelp: {h}"));
    }
    let mut r = json!({
        "ruleId": d.rule,
        "ruleIndex": rules::ALL.iter().position(|r| r.meta().name == d.rule).unwrap_or(0),
        "level": level(d.severity),
        "message": {"text": text},
        "locations": [{"physicalLocation": physical(&loc)}],
        "partialFingerprints": {"primaryLocationLineHash": fnv(&format!("{}:{}:{}", d.rule, relative_uri(&loc.file), line_text))}
    });
    if !related.is_empty() {
        r["relatedLocations"] = Value::Array(related);
    }
    if let Some(units) = &d.units {
        r["properties"] = json!({"units": units.iter().map(|u| &**u).collect::<Vec<&str>>()});
    }
    r
}

/// The results, written a slice at a time as they are built (each slice in parallel, each run
/// of one file's findings reading that file once): building all of them first held the whole
/// log as JSON values, 600 MB at 50,000 workloads.
struct Results<'a>(&'a Outcome);

impl serde::Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use rayon::prelude::*;
        use serde::ser::SerializeSeq;
        let idx = &self.0.index;
        let mut seq = serializer.serialize_seq(Some(self.0.diagnostics.len()))?;
        for slice in self.0.diagnostics.chunks(4096) {
            let runs: Vec<Vec<Value>> = slice
                .par_chunk_by(|a, b| a.file() == b.file())
                .map(|run| {
                    let shown = idx.shown(run[0].file());
                    run.iter().map(|d| result(d, &shown, idx)).collect()
                })
                .collect();
            for r in runs.iter().flatten() {
                seq.serialize_element(r)?;
            }
        }
        seq.end()
    }
}

#[derive(serde::Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Value,
    column_kind: &'static str,
    results: Results<'a>,
}

/// Write the SARIF log to `out` as it serializes.
pub fn write(outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let rule_list: Vec<Value> = rules::ALL
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.name,
                "name": m.name,
                "shortDescription": {"text": m.summary},
                "helpUri": m.url(),
                "help": {"text": format!("{}. See {}", m.summary, m.url())},
                "defaultConfiguration": {"level": level(m.category.default_severity())},
                "properties": {"category": m.category.name()}
            })
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: json!({"driver": {"name": "kedalint", "version": env!("CARGO_PKG_VERSION"), "informationUri": crate::REPOSITORY_URL, "rules": rule_list}}),
            column_kind: "unicodeCodePoints",
            results: Results(outcome),
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}
