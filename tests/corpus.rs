//! Real-world manifests (../shared/corpus): linting them never panics, and every file that fails
//! to parse has a finding with a line and column.

mod common;

#[test]
fn real_corpus_lints_and_every_parse_failure_is_located() {
    let Some(shared) = common::shared_dir() else { return };
    let corpus = shared.join("corpus");
    let outcome = kedalint::lint_paths(&[corpus.clone()], &kedalint::Config::default()).unwrap();
    assert!(outcome.index.files.len() > 150, "read {} files", outcome.index.files.len());
    let parse_rules = ["invalid-yaml", "unreadable-file", "helm-template-not-rendered"];
    for (id, f) in outcome.index.files.iter().enumerate() {
        // A file read from disk was released after its first pass: read it again.
        let loaded = kedalint::yaml::load(&f.current_text());
        let broken = loaded.issues.iter().any(|i| i.rule == "invalid-yaml");
        if broken {
            let d = outcome.diagnostics.iter().find(|d| d.file() == id && parse_rules.contains(&d.rule));
            let d = d.unwrap_or_else(|| panic!("{} does not parse but has no finding", f.path().display()));
            let lc = d.primary_label().position.expect("the engine fills in every label's position").start;
            assert!(lc.line >= 1 && lc.column >= 1);
            assert_eq!(lc, f.with_text().line_col(d.primary_label().span.start));
        }
    }
}
