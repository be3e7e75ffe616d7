//! GitHub Actions workflow commands (`::error file=…,line=…::message`), one per finding.
//!
//! Escaping follows GitHub's runner (`%` → `%25`, CR → `%0D`, LF → `%0A` everywhere; `:` and
//! `,` also in properties). `col`/`endColumn` are dropped when a span covers several lines, as
//! GitHub then misplaces the annotation (ruff's github renderer does the same, ruff#22074).

use super::primary_location;
use crate::diagnostic::Severity;
use crate::engine::Outcome;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for d in &outcome.diagnostics {
        let l = primary_location(&outcome.index, d);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = format!("file={},line={}", escape_property(&super::sarif::relative_uri(&l.file)), l.start.line);
        if l.start.line == l.end.line {
            props.push_str(&format!(",col={},endColumn={}", l.start.column, l.end.column));
        }
        props.push_str(&format!(",endLine={},title={}", l.end.line, escape_property(&format!("kedalint ({})", d.rule))));
        let mut message = d.message.to_string();
        if let Some(h) = &d.help {
            message.push_str(&format!("\nhelp: {h}"));
        }
        out.push_str(&format!("::{command} {props}::{}\n", escape_data(&message)));
    }
    out
}
