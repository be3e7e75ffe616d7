//! The pipeline: read → parse → index → rules → suppressions → severities → sorted findings.
//!
//! Reading and parsing run in parallel per file, rules in parallel per object; the index in
//! between is built once and only read afterwards. Nothing here aborts on bad input: every
//! problem becomes a diagnostic with a location, and the run goes on.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::index::RepoIndex;
use crate::model::Object;
use crate::rules::{self, RuleContext};
use crate::schema::validate::Schemas;
use crate::source::{FileId, SourceFile};
use crate::yaml;
use rayon::prelude::*;
use std::path::PathBuf;

/// One input: a path and its bytes, or why they could not be read.
pub struct Input {
    pub path: PathBuf,
    pub bytes: Result<Vec<u8>, String>,
}

impl Input {
    /// Read a file, refusing files over `max_size` before reading them.
    pub fn read(path: PathBuf, max_size: u64) -> Input {
        let bytes = match std::fs::metadata(&path) {
            Ok(m) if m.len() > max_size => Err(format!(
                "file is {} bytes, over the {max_size}-byte limit (`max-file-size` in .kedalint.yaml)",
                m.len()
            )),
            Ok(_) => std::fs::read(&path).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        Input { path, bytes }
    }
}

pub struct Outcome {
    pub index: RepoIndex,
    pub diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    pub fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }
}

/// A file after parsing: its source, its objects, and the findings made while reading it.
struct Parsed {
    file: SourceFile,
    objects: Vec<Object>,
    findings: Vec<Diagnostic>,
}

fn finding(rule: &'static str, file: FileId, span: std::ops::Range<usize>, label: &str, message: String) -> Diagnostic {
    let mut d = Diagnostic::new(message).primary(file, span, label);
    d.rule = rule;
    d
}

/// Bytes to text, or a finding at the first byte that makes the file unreadable.
fn decode(input: Input, id: FileId) -> Result<SourceFile, (SourceFile, Diagnostic)> {
    let bytes = match input.bytes {
        Ok(b) => b,
        Err(e) => {
            let f = SourceFile::new(input.path.clone(), "");
            let d = finding("unreadable-file", id, 0..0, "could not be read", format!("cannot read `{}`: {e}", input.path.display()));
            return Err((f, d));
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            if let Some(nul) = text.find('\0') {
                let f = SourceFile::new(input.path, text);
                let d = finding("unreadable-file", id, nul..nul + 1, "NUL byte", "file contains a NUL byte: binary data, not YAML".into())
                    .help("YAML files cannot contain NUL bytes; remove the file or exclude it");
                return Err((f, d));
            }
            Ok(SourceFile::new(input.path, text))
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let f = SourceFile::new(input.path, String::from_utf8_lossy(e.as_bytes()).into_owned());
            let d = finding("unreadable-file", id, at..at + 1, "first byte that is not UTF-8", format!("file is not valid UTF-8 (byte {at})"))
                .help("save the file as UTF-8");
            Err((f, d))
        }
    }
}

/// Helm template syntax (`{{ ... }}`): the file is not YAML until rendered.
fn helm_template_at(text: &str) -> Option<usize> {
    let open = text.find("{{")?;
    text[open..].contains("}}").then_some(open)
}

fn parse_file(input: Input, id: FileId, config: &Config) -> Parsed {
    let file = match decode(input, id) {
        Ok(f) => f,
        Err((file, d)) => return Parsed { file, objects: Vec::new(), findings: vec![d] },
    };
    let mut findings = Vec::new();
    if let Some(at) = helm_template_at(&file.text) {
        let end = file.text[at..].find("}}").map_or(at + 2, |e| at + e + 2);
        let d = finding("helm-template-not-rendered", id, at..end, "Helm template syntax", "file contains Helm template syntax and was not linted".into())
            .help("render the chart with `helm template` and lint the output, e.g. `helm template r ./chart | kedalint check -`");
        return Parsed { file, objects: Vec::new(), findings: vec![d] };
    }
    let loaded = yaml::load(&file.text);
    for issue in loaded.issues {
        let mut d = finding(issue.rule, id, issue.span, &issue.label, issue.message);
        if let Some((span, text)) = issue.secondary {
            d = d.secondary(id, span, text);
        }
        if let Some(h) = issue.help {
            d = d.help(h);
        }
        findings.push(d);
    }
    let mut objects = Vec::new();
    for doc in loaded.documents {
        let Some(root) = doc.root else { continue };
        let is_list = root.get("kind").and_then(|k| k.text()).is_some_and(|k| k == "List" || k.ends_with("List"))
            && root.get("items").is_some_and(|i| i.as_seq().is_some());
        if is_list {
            for item in root.get("items").and_then(|i| i.as_seq()).unwrap_or_default() {
                objects.extend(Object::from_node(item, id, doc.index, &config.default_namespace));
            }
        } else {
            objects.extend(Object::from_node(&root, id, doc.index, &config.default_namespace));
        }
    }
    Parsed { file, objects, findings }
}

/// Mask every plaintext secret in the source texts, so that no reporter can show one. Byte
/// lengths are unchanged, so every span stays valid.
fn redact(mut index: RepoIndex) -> RepoIndex {
    let mut by_file: std::collections::BTreeMap<FileId, Vec<std::ops::Range<usize>>> = std::collections::BTreeMap::new();
    for obj in &index.objects {
        for s in crate::secrets::find(obj, &index.files[obj.file].text) {
            by_file.entry(obj.file).or_default().push(s.span);
        }
    }
    for (file, spans) in by_file {
        let f = &index.files[file];
        let masked = crate::secrets::mask(&f.text, &spans);
        index.files[file] = SourceFile::new(f.path.clone(), masked);
    }
    index
}

/// Lint a set of inputs as one repository.
pub fn run(inputs: Vec<Input>, config: &Config, schemas: &Schemas) -> Outcome {
    let parsed: Vec<Parsed> = inputs.into_par_iter().enumerate().map(|(id, input)| parse_file(input, id, config)).collect();
    let mut files = Vec::with_capacity(parsed.len());
    let mut objects = Vec::new();
    let mut source_findings = Vec::new();
    for p in parsed {
        files.push(p.file);
        objects.extend(p.objects);
        source_findings.extend(p.findings);
    }
    let index = RepoIndex::build(files, objects, schemas, config.reference());

    let active: Vec<(&dyn rules::Rule, Severity)> =
        rules::ALL.iter().filter_map(|r| config.severity_of(r.meta()).map(|s| (*r, s))).collect();
    let severity_of = |rule: &str| active.iter().find(|(r, _)| r.meta().name == rule).map(|(_, s)| *s);

    let mut diagnostics: Vec<Diagnostic> = index
        .objects
        .par_iter()
        .flat_map_iter(|obj| {
            let mut out = Vec::new();
            for (rule, severity) in active.iter().filter(|(r, _)| r.meta().kinds.contains(&obj.kind)) {
                let mut cx = RuleContext::new(&index, config);
                rule.check(obj, &mut cx);
                for mut d in cx.into_diagnostics() {
                    d.rule = rule.meta().name;
                    d.severity = if d.admitted { severity.lower() } else { *severity };
                    out.push(d);
                }
            }
            out
        })
        .collect();
    for mut d in source_findings {
        if let Some(s) = severity_of(d.rule) {
            d.severity = s;
            diagnostics.push(d);
        }
    }

    let (mut diagnostics, unused) = crate::suppress::apply(diagnostics, &index, &|r| severity_of(r).is_some());
    if let Some(s) = severity_of("unused-suppression") {
        diagnostics.extend(unused.into_iter().map(|mut d| {
            d.rule = "unused-suppression";
            d.severity = s;
            d
        }));
    }
    let index = redact(index);
    diagnostics.sort_by(|a, b| {
        let (la, lb) = (a.primary_label(), b.primary_label());
        (index.file(la.file).path(), la.span.start, a.rule, &a.message).cmp(&(index.file(lb.file).path(), lb.span.start, b.rule, &b.message))
    });
    diagnostics.dedup();
    Outcome { index, diagnostics }
}
