//! Helpers for kedalint's own tests (fixtures, snapshots, doc examples). Not a stable API.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::engine::Outcome;
use crate::report::human::HumanReporter;
use std::path::Path;

/// Lint a fixture (a file, or a folder linted as one mini repository) with the default
/// configuration, and keep only `rule`'s findings. All rules run, so that rules which depend on
/// others' findings (`unused-suppression`) behave as they do for users. Rendering is off, so that
/// fixtures give the same findings on machines with and without helm or kubectl (rendering with
/// the real tools is tested in `tests/render.rs`).
pub fn lint_only(path: &Path, rule: &str) -> (Outcome, Vec<Diagnostic>) {
    let config = config();
    let options = crate::render::RenderOptions { disabled: true, ..Default::default() };
    let outcome = crate::lint_paths_with(&[path.to_owned()], &config, &options, crate::schema::validate::Schemas::builtin(), None).expect("fixture path exists");
    let only = outcome.diagnostics.iter().filter(|d| d.rule == rule).cloned().collect();
    (outcome, only)
}

/// Lint a text with the default configuration and keep only `rule`'s findings.
pub fn lint_text_only(text: &str, rule: &str) -> Vec<Diagnostic> {
    crate::lint_str("example.yaml", text, &config()).diagnostics.into_iter().filter(|d| d.rule == rule).collect()
}

/// The default configuration with a fixed reference time (Monday 2026-01-05), so that findings
/// about dates are the same every day.
pub fn config() -> Config {
    Config { reference_time: Some(1_767_571_200), ..Config::default() }
}

/// Deterministic rendering for snapshots: no colour, width 80, no links.
pub fn render_plain(outcome: &Outcome, diagnostics: &[Diagnostic]) -> String {
    HumanReporter::plain().render_all(diagnostics, &outcome.index)
}
