//! Every scaler KEDA v2.20.2 builds, through its fixture (`fixtures/scalers/<type>.yaml`: a
//! realistic, clean use of it) and mutations of that fixture derived from the catalogue
//! (rules/scalers.yaml):
//!
//! - the fixture as written gets no error and no warning (the only warning allowed is KEDA's own
//!   announcement that a whole scaler is deprecated);
//! - each metadata parameter misspelled (two letters swapped) is an `unknown-trigger-parameter`
//!   with a "did you mean" naming it, except for external scalers, which hand every key on;
//! - each required parameter removed is a `missing-trigger-parameter`, unless the trigger still
//!   gets it (from its TriggerAuthentication, `<name>FromEnv`, or another of its group);
//! - a value outside an enum, or a word where a number belongs, is an `invalid-trigger-parameter`.
//!
//! The test also requires that every scaler had a misspelling found, and a removal found where
//! it has required parameters, so that no scaler's checks are silently empty.

use kedalint::diagnostic::Diagnostic;
use kedalint::scalers::{Catalogue, From, ParamType, Scaler};
use kedalint::testing::{config, config_only};
use std::collections::BTreeMap;
use std::path::Path;

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scalers");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    out.sort();
    out
}

fn lint(text: &str, rule: Option<&str>) -> Vec<Diagnostic> {
    let c = rule.map_or_else(config, config_only);
    kedalint::lint_str("fixture.yaml", text, &c).diagnostics
}

fn line_of(text: &str, d: &Diagnostic) -> usize {
    text[..d.primary_label().span.start].matches('\n').count()
}

/// One `key: "value"` line of trigger metadata, with the trigger it belongs to.
struct MetaLine {
    line: usize,
    key: String,
    trigger: usize,
    ty: String,
}

/// The metadata lines of the fixture's ScaledObject, and per trigger whether it has an
/// `authenticationRef` and which keys it gives.
fn metadata_lines(text: &str) -> (Vec<MetaLine>, Vec<(bool, Vec<String>)>) {
    let mut lines = Vec::new();
    let mut triggers: Vec<(bool, Vec<String>)> = Vec::new();
    let mut ty = String::new();
    let mut in_triggers = false;
    for (i, l) in text.lines().enumerate() {
        if l == "  triggers:" || l == "---" {
            in_triggers = l != "---";
            continue;
        }
        if !in_triggers {
            continue;
        }
        if let Some(t) = l.strip_prefix("    - type: ") {
            ty = t.trim().to_owned();
            triggers.push((false, Vec::new()));
        } else if l.starts_with("      authenticationRef:") {
            triggers.last_mut().unwrap().0 = true;
        } else if let Some(rest) = l.strip_prefix("        ").filter(|r| !r.starts_with(' '))
            && let Some((key, _)) = rest.split_once(": ")
        {
            triggers.last_mut().unwrap().1.push(key.to_owned());
            lines.push(MetaLine { line: i, key: key.to_owned(), trigger: triggers.len() - 1, ty: ty.clone() });
        }
    }
    (lines, triggers)
}

/// The parameters the fixture's TriggerAuthentications provide.
fn auth_provides(text: &str) -> Vec<String> {
    text.lines().filter_map(|l| l.trim_start().strip_prefix("- {parameter: ")).filter_map(|r| r.split(',').next()).map(str::to_owned).collect()
}

fn replace_line(text: &str, line: usize, with: Option<String>) -> String {
    let mut out: Vec<String> = text.lines().map(str::to_owned).collect();
    match with {
        Some(w) => out[line] = w,
        None => {
            out.remove(line);
        }
    }
    out.join("\n") + "\n"
}

fn swapped(key: &str) -> Option<String> {
    // Swap two letters in the middle: a typo a person makes, close enough for "did you mean".
    let chars: Vec<char> = key.chars().collect();
    (3..chars.len().saturating_sub(1)).find_map(|i| {
        let mut c = chars.clone();
        c.swap(i, i + 1);
        let s: String = c.into_iter().collect();
        (s != key).then_some(s)
    })
}

/// Whether the trigger still gets `param` without its metadata line.
fn still_given(scaler: &Scaler, param: &str, gives: &[String], has_ref: bool, provided: &[String]) -> bool {
    let p = scaler.param(param).unwrap();
    let by_auth = p.reads(From::Auth) && has_ref && provided.iter().any(|a| a == param);
    let by_env = p.reads(From::Env) && gives.iter().any(|g| *g == format!("{param}FromEnv"));
    let by_group = match p.required.as_deref() {
        Some("true") | None => false,
        Some(group) => scaler.params.iter().filter(|q| q.required.as_deref() == Some(group) && q.name != param).any(|q| {
            gives.iter().any(|g| *g == q.name || *g == format!("{}FromEnv", q.name)) || (q.reads(From::Auth) && has_ref && provided.contains(&q.name))
        }),
    };
    by_auth || by_env || by_group
}

#[test]
fn every_scaler_has_a_clean_fixture() {
    let catalogue = Catalogue::get();
    let fixtures = fixtures();
    let have: Vec<&str> = fixtures.iter().map(|(t, _)| t.as_str()).collect();
    for ty in catalogue.types.keys().filter(|t| catalogue.type_exists(t, (2, 20)) && t.as_str() != "external-mock") {
        assert!(have.contains(&ty.as_str()), "fixtures/scalers/{ty}.yaml is missing");
    }
    let mut problems = Vec::new();
    for (ty, text) in &fixtures {
        for d in lint(text, None) {
            let keda_announces = d.rule == "deprecated-trigger-parameter" && d.help.as_deref().is_some_and(|h| h.contains("This scaler is deprecated"));
            if d.severity >= kedalint::diagnostic::Severity::Warning && !keda_announces {
                problems.push(format!("{ty}.yaml:{}: {} {}", line_of(text, &d) + 1, d.rule, d.message));
            }
        }
    }
    assert!(problems.is_empty(), "clean fixtures with findings:\n{}", problems.join("\n"));
}

#[test]
fn every_scaler_finds_misspelled_missing_and_bad_parameters() {
    let catalogue = Catalogue::get();
    let mut problems = Vec::new();
    let mut found: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut needs_missing: Vec<String> = Vec::new();
    for (ty, text) in fixtures() {
        let (lines, triggers) = metadata_lines(&text);
        let provided = auth_provides(&text);
        let scaler = catalogue.scaler(&ty).unwrap_or_else(|| panic!("{ty} is not catalogued"));
        if scaler.params.iter().any(|p| p.required.is_some()) {
            needs_missing.push(ty.clone());
        }
        let counts = found.entry(ty.clone()).or_default();
        for m in &lines {
            let s = catalogue.scaler(&m.ty).unwrap();
            let Some(p) = s.param(&m.key).filter(|p| p.reads(From::Metadata)) else { continue };
            let original = text.lines().nth(m.line).unwrap();
            let value = original.split_once(": ").unwrap().1;
            // Misspelled.
            if let Some(typo) = swapped(&m.key).filter(|t| s.param(t).is_none()) {
                let mutated = replace_line(&text, m.line, Some(format!("        {typo}: {value}")));
                let unknown: Vec<Diagnostic> = lint(&mutated, Some("unknown-trigger-parameter")).into_iter().filter(|d| line_of(&mutated, d) == m.line).collect();
                if s.open {
                    if !unknown.is_empty() {
                        problems.push(format!("{ty}: `{typo}` reported on an external scaler, which hands every key on"));
                    }
                } else if unknown.iter().any(|d| d.help.as_deref().is_some_and(|h| h.contains(&format!("`{}`", m.key)))) {
                    counts.0 += 1;
                } else {
                    problems.push(format!("{ty}: `{typo}` (for `{}`) not reported with a did-you-mean: {:?}", m.key, unknown.iter().map(|d| d.help.clone()).collect::<Vec<_>>()));
                }
            }
            // Removed.
            if p.required.is_some() {
                let (has_ref, gives) = &triggers[m.trigger];
                let mutated = replace_line(&text, m.line, None);
                let missing = lint(&mutated, Some("missing-trigger-parameter"));
                let expected = !still_given(s, &m.key, gives, *has_ref, &provided);
                let reported = missing.iter().any(|d| d.message.contains(&format!("`{}`", m.key)));
                match (expected, reported) {
                    (true, true) => counts.1 += 1,
                    (true, false) => problems.push(format!("{ty}: removing required `{}` is not reported", m.key)),
                    (false, true) => problems.push(format!("{ty}: removing `{}` is reported, but the trigger still gets it", m.key)),
                    (false, false) => {}
                }
            }
            // Broken value.
            let bad = if !p.values.is_empty() {
                Some("\"not-an-allowed-value\"")
            } else if matches!(p.ty, ParamType::Int | ParamType::Float) {
                Some("\"ten\"")
            } else {
                None
            };
            if let Some(bad) = bad {
                let mutated = replace_line(&text, m.line, Some(format!("        {}: {bad}", m.key)));
                let invalid = lint(&mutated, Some("invalid-trigger-parameter"));
                if invalid.iter().any(|d| line_of(&mutated, d) == m.line) {
                    counts.2 += 1;
                } else {
                    problems.push(format!("{ty}: `{}: {bad}` is not reported", m.key));
                }
            }
        }
    }
    for (ty, (typos, _, _)) in &found {
        let open = catalogue.scaler(ty).is_some_and(|s| s.open);
        if *typos == 0 && !open {
            problems.push(format!("{ty}: no misspelling was tried and found"));
        }
    }
    for ty in &needs_missing {
        if found.get(ty).is_none_or(|c| c.1 == 0) && !catalogue.scaler(ty).unwrap().params.iter().any(|p| p.required.as_deref() == Some("true") && !p.reads(From::Metadata)) {
            problems.push(format!("{ty}: no removal of a required parameter was found"));
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    let total = found.values().fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
    eprintln!("{} scalers: {} misspellings, {} removals, {} bad values found", found.len(), total.0, total.1, total.2);
}
