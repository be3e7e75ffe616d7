//! Invariants of the rule set, one test each: fixtures for every rule, docs with the required
//! headings, examples in the docs that really fail and pass, generated pages that are current,
//! and one wording style for summaries and messages.

mod common;

use kedalint::rules::ALL;
use std::collections::BTreeSet;
use std::path::Path;

fn root() -> std::path::PathBuf {
    common::manifest_dir()
}

#[test]
fn rule_ids_are_unique_sorted_kebab_case() {
    let names: Vec<&str> = ALL.iter().map(|r| r.meta().name).collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(names, sorted, "rules::ALL must be sorted by id and unique");
    for n in names {
        assert!(n.split('-').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())), "`{n}` is not kebab-case");
    }
}

#[test]
fn every_rule_file_is_registered() {
    let dir = root().join("src/rules");
    let registered: BTreeSet<String> = ALL.iter().map(|r| r.meta().name.replace('-', "_")).collect();
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().trim_end_matches(".rs").to_owned();
        if name != "mod" {
            assert!(registered.contains(&name), "src/rules/{name}.rs is not in rules::ALL (or its id does not match its file name)");
        }
    }
}

#[test]
fn every_rule_has_fixtures_and_every_fixture_names_a_rule() {
    let fixtures = root().join("fixtures");
    for r in ALL {
        let name = r.meta().name;
        for kind in ["pass", "fail"] {
            let dir = fixtures.join(name).join(kind);
            let n = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
            assert!(n > 0, "{} has no fixtures", dir.display());
        }
    }
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        // `fixtures/scalers/`: one realistic trigger set per scaler, for tests/scalers.rs.
        assert!(name == "scalers" || kedalint::rules::find(&name).is_some(), "fixtures/{name} names no rule");
    }
}

#[test]
fn fixtures_say_what_they_cover() {
    let fixtures = root().join("fixtures");
    for r in ALL {
        for kind in ["pass", "fail"] {
            for file in walk(&fixtures.join(r.meta().name).join(kind)) {
                let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
                assert!(text.starts_with('#'), "{} must open with a comment saying what it covers", file.display());
                if kind == "pass" && file.parent().unwrap().ends_with("pass") {
                    assert!(text.starts_with("# should not generate diagnostics"), "{} must open with `# should not generate diagnostics`", file.display());
                }
            }
        }
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

#[test]
fn docs_have_the_required_headings() {
    for r in ALL {
        let m = r.meta();
        for h in ["## What it does", "## Why is this bad?", "## Example", "Use instead", "## References"] {
            assert!(m.docs.contains(h), "`{}` docs lack `{h}`", m.name);
        }
        assert!(!m.sources.is_empty(), "`{}` cites no source", m.name);
        assert!(!m.since.is_empty(), "`{}` has no `since`", m.name);
    }
}

#[test]
fn doc_examples_fail_and_pass() {
    for r in ALL {
        let m = r.meta();
        for (pass, text) in kedalint::docs::examples(m) {
            let found = kedalint::testing::lint_text_only(&text, m.name);
            if pass {
                assert!(found.is_empty(), "`{}`: the `yaml,pass` example produces {:?}", m.name, found.iter().map(|d| &d.message).collect::<Vec<_>>());
            } else {
                assert!(!found.is_empty(), "`{}`: the `yaml,fail` example produces no finding", m.name);
            }
        }
    }
}

fn check_wording(what: &str, s: &str) {
    let first = s.chars().next().unwrap();
    assert!(first.is_lowercase() || first == '`' || first.is_ascii_digit(), "{what} must start lowercase: {s:?}");
    assert!(!s.ends_with('.'), "{what} must not end with a period: {s:?}");
}

#[test]
fn summaries_and_messages_follow_the_wording_rule() {
    for r in ALL {
        check_wording("summary", r.meta().summary);
    }
    let fixtures = root().join("fixtures");
    for r in ALL {
        let (_, found) = kedalint::testing::lint_only(&fixtures.join(r.meta().name).join("fail"), r.meta().name);
        for d in found {
            check_wording("message", &d.message);
        }
    }
}

#[test]
fn generated_rule_pages_are_current() {
    let dir = root().join("rules");
    for r in ALL {
        let path = dir.join(format!("{}.md", r.meta().name));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == kedalint::docs::page(r.meta()), "{} is stale: run `cargo run -- rules --format md --output-dir rules`", path.display());
    }
    let index = std::fs::read_to_string(dir.join("README.md")).unwrap_or_default();
    assert!(index == kedalint::docs::index(), "rules/README.md is stale: run `cargo run -- rules --format md --output-dir rules`");
    let scalers = dir.join("scalers");
    let documented = kedalint::scaler_docs::documented();
    for ty in &documented {
        let path = scalers.join(format!("{ty}.md"));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(Some(committed) == kedalint::scaler_docs::page(ty), "{} is stale: run `cargo run -- rules --format md --output-dir rules`", path.display());
    }
    for entry in std::fs::read_dir(&scalers).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let ty = name.strip_suffix(".md").unwrap_or(&name);
        assert!(ty == "README" || documented.contains(&ty), "rules/scalers/{name} documents no scaler");
    }
    let index = std::fs::read_to_string(scalers.join("README.md")).unwrap_or_default();
    assert!(index == kedalint::scaler_docs::index(), "rules/scalers/README.md is stale");
}
