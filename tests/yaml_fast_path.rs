//! The YAML fast path (`src/yaml/fast.rs`) must build exactly the tree saphyr's path builds —
//! spans, styles, documents and duplicate-key issues — or decline. Checked on every YAML file in
//! this repository and in the reference material, and on variations of each: every prefix cut at
//! a line end, and each line with its indentation or its first character removed, which makes the
//! broken and borderline inputs a real repository holds mid-edit.

mod common;

use kedalint::yaml::{fast, load_full};
use std::path::{Path, PathBuf};

fn yaml_files(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| !matches!(e.file_name().to_str(), Some("target" | ".git" | ".tools")))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .map(|e| e.into_path())
        .collect()
}

/// Variations of `text` a linter meets in the wild.
fn variations(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = Vec::new();
    let mut prefix = String::new();
    for (i, line) in lines.iter().enumerate() {
        prefix.push_str(line);
        out.push(prefix.clone());
        let mut dedented = lines.clone();
        let trimmed = line.trim_start_matches(' ');
        dedented[i] = trimmed;
        out.push(dedented.concat());
        if let Some((at, c)) = trimmed.char_indices().next() {
            let cut = &trimmed[at + c.len_utf8()..];
            let indent = &line[..line.len() - trimmed.len()];
            let mut altered = lines.clone();
            let owned = format!("{indent}{cut}");
            altered[i] = &owned;
            out.push(altered.concat());
        }
    }
    out
}

/// Compare on `texts`; returns (inputs, inputs the fast path read).
fn check_all(texts: impl IntoIterator<Item = (String, String)>) -> (usize, usize) {
    let (mut seen, mut fast_read) = (0, 0);
    for (name, text) in texts {
        seen += 1;
        if let Some(fast) = fast::load(&text) {
            fast_read += 1;
            let full = load_full(&text);
            if fast != full {
                let (f, s) = (format!("{fast:?}"), format!("{full:?}"));
                let at = f.bytes().zip(s.bytes()).position(|(a, b)| a != b).unwrap_or(f.len().min(s.len()));
                let from = at.saturating_sub(300);
                panic!("fast path and saphyr disagree on {name}:\n{text}\n--- fast: …{}\n--- saphyr: …{}", &f[from..(at + 200).min(f.len())], &s[from..(at + 200).min(s.len())]);
            }
        }
    }
    (seen, fast_read)
}

fn check_tree(root: &Path) -> (usize, usize, usize) {
    let files = yaml_files(root);
    let texts: Vec<(String, String)> = files.iter().filter_map(|f| Some((f.display().to_string(), std::fs::read_to_string(f).ok()?))).collect();
    let (files_seen, files_fast) = check_all(texts.clone());
    let mut varied = 0;
    for (name, text) in texts.iter().filter(|(_, t)| t.len() < 64 * 1024) {
        let v = variations(text);
        varied += v.len();
        check_all(v.into_iter().enumerate().map(|(i, t)| (format!("{name} (variation {i})"), t)));
    }
    eprintln!("{}: {files_fast} of {files_seen} files on the fast path; {varied} variations compared", root.display());
    (files_seen, files_fast, varied)
}

#[test]
fn fast_path_agrees_with_saphyr_on_this_repository() {
    let (seen, fast, _) = check_tree(&common::manifest_dir());
    assert!(seen > 100, "the repository's fixtures were not found");
    // The fixtures are mostly ordinary manifests: most must take the fast path, or it is useless.
    assert!(fast * 2 > seen, "only {fast} of {seen} files took the fast path");
}

#[test]
fn fast_path_agrees_with_saphyr_on_the_reference_material() {
    let Some(shared) = common::shared_dir() else { return };
    let (seen, fast, _) = check_tree(&shared);
    assert!(seen > 100 && fast > 0, "{fast} of {seen}");
}

#[test]
fn fast_path_agrees_on_generated_manifests() {
    // The shapes scripts/bench/gen_repo.py writes, with the quirks that matter: flow mappings,
    // indentless sequences, empty values, comments, several documents.
    let mut docs = Vec::new();
    for i in 0..5 {
        docs.push(format!(
            "# workload {i}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-{i}\n  labels: {{app: svc-{i}, tier: \"web\"}}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        ports: [{{containerPort: 8080}}]\n        env:\n        - name: 'A'\n          value:\n        -\n        - name: \"B\" # quoted, then a comment\n          value: 'it''s'\n---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {{name: svc-{i}}}\nspec:\n  triggers:\n    - type: prometheus\n      metadata:\n        query: sum(rate(x{{app=\"svc-{i}\"}}[2m])) # comment\n        serverAddress: http://prom:9090\n"
        ));
    }
    let text = docs.join("---\n");
    let (seen, fast) = check_all(variations(&text).into_iter().enumerate().map(|(i, t)| (format!("variation {i}"), t)));
    let whole = fast::load(&text).expect("the generated manifests are within the fast path");
    assert_eq!(whole, load_full(&text));
    assert!(fast > seen / 2, "{fast} of {seen}");

    // Tabs after every `:` (YAML 1.2 separation, which go-yaml accepts): the fast path declines,
    // and saphyr's path reads the same trees, spans and all, as with spaces.
    let tabbed = text.replace(": ", ":\t").replace(", ", ",\t");
    assert!(fast::load(&tabbed).is_none());
    assert_eq!(kedalint::yaml::load(&tabbed), whole);
    for (i, v) in variations(&text).into_iter().enumerate().filter(|(_, v)| !load_full(v).issues.iter().any(|i| i.rule == "invalid-yaml")) {
        assert_eq!(load_full(&v.replace(": ", ":\t")), load_full(&v), "variation {i} with tabs:\n{v}");
    }
}
