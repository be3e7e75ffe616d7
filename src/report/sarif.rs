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
/// spaces and `%` escaped.
pub fn relative_uri(path: &str) -> String {
    let p = std::path::Path::new(path);
    let rel = std::env::current_dir().ok().and_then(|cwd| p.strip_prefix(&cwd).ok().map(|r| r.to_path_buf())).unwrap_or_else(|| p.to_path_buf());
    let s = rel.to_string_lossy().replace('\\', "/");
    let s = s.strip_prefix("./").unwrap_or(&s).to_owned();
    s.replace('%', "%25").replace(' ', "%20").replace('[', "%5B").replace(']', "%5D")
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

/// Write the SARIF log to `out` as it serializes; results are built in parallel.
pub fn write(outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use rayon::prelude::*;
    let idx = &outcome.index;
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
    let results: Vec<Value> = outcome
        .diagnostics
        .par_iter()
        .map(|d| {
            let loc = primary_location(idx, d);
            let label = d.primary_label();
            let line_text = idx.shown(label.file).line_text(loc.start.line as usize).trim().to_owned();
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
            r
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kedalint", "version": env!("CARGO_PKG_VERSION"), "informationUri": crate::REPOSITORY_URL, "rules": rule_list}},
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    out.write_all(b"\n")
}
