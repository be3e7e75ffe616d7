//! A Markdown table of findings, for GitHub step summaries and pull-request comments.
//!
//! Cells are escaped for GitHub-flavoured Markdown tables (`|` and line breaks); the rule links
//! to its documentation page.

use super::primary_location;
use crate::diagnostic::Severity;
use crate::engine::Outcome;

fn cell(s: &str) -> String {
    s.replace('\\', "\\\\").replace('|', "\\|").replace(['\r', '\n'], " ")
}

pub fn render(outcome: &Outcome) -> String {
    let (e, w, i) = (outcome.count(Severity::Error), outcome.count(Severity::Warning), outcome.count(Severity::Info));
    let mut out = format!("### kedalint: {e} error(s), {w} warning(s), {i} info(s)\n\n");
    if outcome.diagnostics.is_empty() {
        out.push_str("No findings.\n");
        return out;
    }
    out.push_str("| severity | location | rule | message |\n|---|---|---|---|\n");
    for d in &outcome.diagnostics {
        let l = primary_location(&outcome.index, d);
        let rule = crate::rules::find(d.rule).map_or_else(|| format!("`{}`", d.rule), |r| format!("[`{}`]({})", d.rule, r.meta().url()));
        out.push_str(&format!(
            "| {} | `{}:{}:{}` | {rule} | {} |\n",
            d.severity.as_str(),
            cell(&super::sarif::relative_uri(&l.file)),
            l.start.line,
            l.start.column,
            cell(&d.message)
        ));
    }
    out
}
