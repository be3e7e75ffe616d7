//! Fixture tests: `fixtures/<rule>/fail/*` must produce findings of that rule (snapshotted as a
//! person sees them), `fixtures/<rule>/pass/*` must produce none. A folder is one mini repository.

use std::path::{Path, PathBuf};

fn rule_under_test(path: &Path) -> String {
    let rel = relative(path);
    rel.components().nth(1).unwrap().as_os_str().to_string_lossy().into_owned()
}

/// Fixture paths relative to the crate root, so that snapshots do not depend on the checkout.
fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path).to_owned()
}

#[test]
fn fail_fixtures() {
    insta::glob!("../fixtures", "*/fail/*", |path| {
        let rule = rule_under_test(path);
        let (outcome, found) = kedalint::testing::lint_only(&relative(path), &rule);
        assert!(!found.is_empty(), "{} produced no `{rule}` finding", path.display());
        insta::assert_snapshot!(kedalint::testing::render_plain(&outcome, &found));
    });
}

#[test]
fn pass_fixtures() {
    insta::glob!("../fixtures", "*/pass/*", |path| {
        let rule = rule_under_test(path);
        let (outcome, found) = kedalint::testing::lint_only(&relative(path), &rule);
        assert!(found.is_empty(), "{} produced `{rule}` findings:\n{}", path.display(), kedalint::testing::render_plain(&outcome, &found));
    });
}
