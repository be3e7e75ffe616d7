//! Helpers for kedalint's own tests (fixtures, snapshots, doc examples). Not a stable API.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::engine::Outcome;
use crate::report::human::HumanReporter;
use std::path::Path;

/// Lint a fixture (a file, or a folder linted as one mini repository) with only `rule` enabled
/// (ruff's `LinterSettings::for_rule`): a rule's verdict must not depend on which other rules
/// run, and `tests/isolation.rs` holds it to that. Rendering is off, so that fixtures give the
/// same findings on machines with and without helm or kubectl (rendering with the real tools is
/// tested in `tests/render.rs`).
pub fn lint_only(path: &Path, rule: &str) -> (Outcome, Vec<Diagnostic>) {
    let outcome = lint_with(path, &config_only(rule));
    let only = outcome.diagnostics.iter().filter(|d| d.rule == rule).cloned().collect();
    (outcome, only)
}

/// Lint a fixture or a tree with `config`, rendering off (see [`lint_only`]).
pub fn lint_with(path: &Path, config: &Config) -> Outcome {
    let options = crate::render::RenderOptions { disabled: true, ..Default::default() };
    crate::lint_paths_with(&[path.to_owned()], config, &options, crate::schema::validate::Schemas::builtin(), None).expect("path exists")
}

/// [`config`] with every rule off but `rule`, at its default severity.
pub fn config_only(rule: &str) -> Config {
    let mut c = config();
    for category in crate::rules::Category::ALL {
        c.categories.insert(category.name().to_owned(), crate::config::Level::Off);
    }
    let meta = crate::rules::find(rule).unwrap_or_else(|| panic!("no rule `{rule}`")).meta();
    c.rules.insert(rule.to_owned(), crate::config::Level::On(meta.category.default_severity()));
    c
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

/// The fuzz targets' bodies (`fuzz/fuzz_targets/`), here so that `tests/fuzz_replay.rs` replays
/// the seed corpora and every crash ever found through the very same code on stable Rust.
pub mod fuzz {
    use crate::engine::{self, Input, Outcome};
    use crate::report;
    use crate::schema::validate::Schemas;

    /// What every run must hold, whatever the input: spans inside their files, every label
    /// placed, no finding twice, and every report rendered without a control character from
    /// input (the plain human report adds none of its own).
    fn check_outcome(out: &Outcome) {
        for d in &out.diagnostics {
            for l in &d.labels {
                let f = out.index.file(l.file);
                let len = f.with_text().text.len();
                assert!(l.span.start <= l.span.end && l.span.end <= len, "{} label {:?} outside {} ({len} bytes)", d.rule, l.span, f.path().display());
                assert!(l.position.is_some(), "{} label without a position", d.rule);
            }
        }
        for pair in out.diagnostics.windows(2) {
            assert!(pair[0] != pair[1], "a finding reported twice: {:?}", pair[0]);
        }
        let human = crate::report::human::HumanReporter::plain().render_all(&out.diagnostics, &out.index);
        for (format, text) in [("human", human), ("github", report::github::render(out)), ("junit", report::junit::render(out)), ("markdown", report::markdown::render(out))] {
            assert!(!text.chars().any(crate::diagnostic::is_unsafe_char), "{format} output carries a control character: {text:?}");
        }
        for (format, text) in [("json", report::json::render(out)), ("sarif", report::sarif::render(out))] {
            serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|e| panic!("{format} output is not JSON: {e}"));
        }
    }

    /// Target `lint`: arbitrary bytes parsed and linted as one file, every report rendered.
    pub fn lint(data: &[u8]) {
        let input = Input::bytes("fuzz.yaml", data.to_vec());
        let out = engine::run(vec![input], &super::config(), Schemas::builtin());
        check_outcome(&out);
    }

    /// Target `cli`: the bytes split at 0xFF bytes (never in UTF-8, so each part can still be
    /// text) into a `.kedalint.yaml` and up to four manifest files, written to a scratch directory and linted as the command line does
    /// (configuration read and validated, files discovered, read, let go and read again).
    pub fn cli(data: &[u8]) {
        let mut parts = data.split(|b| *b == 0xff).take(5);
        let Ok(dir) = tempfile::tempdir() else { return };
        let config_path = dir.path().join(crate::config::FILE_NAME);
        let _ = std::fs::write(&config_path, parts.next().unwrap_or_default());
        for (i, part) in parts.enumerate() {
            let _ = std::fs::write(dir.path().join(format!("f{i}.yaml")), part);
        }
        // A configuration the user wrote wrong is a usage error (exit 2), not a crash.
        let Ok(mut config) = crate::config::Config::load(&config_path) else { return };
        config.reference_time.get_or_insert(1_767_571_200);
        let options = crate::render::RenderOptions { disabled: true, ..Default::default() };
        if let Ok(out) = crate::lint_paths_with(&[dir.path().to_owned()], &config, &options, Schemas::builtin(), None) {
            check_outcome(&out);
        }
    }
}
