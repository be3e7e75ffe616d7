//! Suppressions: `# kedalint: ignore[rule] reason` comments (on the line before, or at the end of
//! the line concerned), `# kedalint: ignore-file[rule]`, and the object annotation
//! `kedalint.io/ignore: "rule-a,rule-b"` (or `"all"`). A suppression that suppresses nothing, or
//! names no rule, is itself reported as `unused-suppression`.

use crate::diagnostic::Diagnostic;
use crate::index::RepoIndex;
use crate::model::{Object, Spanned};
use crate::rules;
use crate::source::{FileId, SourceFile, Span};

pub const ANNOTATION: &str = "kedalint.io/ignore";

#[derive(Debug, Clone, PartialEq)]
enum Scope {
    /// 1-based line the suppression applies to.
    Line(usize),
    File,
    /// A byte range of the object carrying the annotation.
    Object(Span),
}

#[derive(Debug, Clone)]
struct Suppression {
    file: FileId,
    scope: Scope,
    /// Rule ids, or `all`.
    rule: String,
    /// Where the suppression is written, for `unused-suppression`.
    span: Span,
    used: bool,
}

/// What every suppression comment starts with. The engine holds the text of files that have one.
pub const MARK: &str = "# kedalint:";

fn comment_suppressions(file_id: FileId, file: &SourceFile, out: &mut Vec<Suppression>) {
    if !file.text.contains(MARK) {
        return;
    }
    let total = file.line_count();
    for line in 1..=total {
        let text = file.line_text(line);
        let Some(pos) = text.find(MARK) else { continue };
        if pos > 0 && !text[..pos].ends_with(char::is_whitespace) {
            continue;
        }
        let rest = text[pos + MARK.len()..].trim_start();
        let (file_wide, rest) = if let Some(r) = rest.strip_prefix("ignore-file[") {
            (true, r)
        } else if let Some(r) = rest.strip_prefix("ignore[") {
            (false, r)
        } else {
            continue;
        };
        let Some(close) = rest.find(']') else { continue };
        let comment_start = file.line_start(line) + pos;
        let span = comment_start..file.line_start(line) + text.len();
        let scope = if file_wide {
            Scope::File
        } else if text[..pos].trim().is_empty() {
            // A comment on its own line applies to the next line with content.
            let next = (line + 1..=total).find(|l| {
                let t = file.line_text(*l).trim();
                !t.is_empty() && !t.starts_with('#')
            });
            Scope::Line(next.unwrap_or(line))
        } else {
            Scope::Line(line)
        };
        for rule in rest[..close].split(',').map(str::trim).filter(|r| !r.is_empty()) {
            out.push(Suppression { file: file_id, scope: scope.clone(), rule: rule.to_owned(), span: span.clone(), used: false });
        }
    }
}

/// The `kedalint.io/ignore` annotation of an object: its value and where it is written. Read
/// while the object's tree is at hand (the index keeps it; see [`RepoIndex::suppression_annotations`]).
pub fn annotation_of(obj: &Object) -> Option<Spanned<String>> {
    let entry = obj.node.at(&["metadata", "annotations"]).and_then(|a| a.entry(ANNOTATION))?;
    Some(Spanned { value: entry.value.text()?.to_owned(), span: entry.value.span.clone() })
}

fn annotation_suppressions(index: &RepoIndex, out: &mut Vec<Suppression>) {
    for (id, value) in &index.suppression_annotations {
        let obj = index.object(*id);
        for rule in value.value.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            out.push(Suppression {
                file: obj.file,
                scope: Scope::Object(obj.node.span.clone()),
                rule: rule.to_owned(),
                span: value.span.clone(),
                used: false,
            });
        }
    }
}

fn all(index: &RepoIndex) -> Vec<Suppression> {
    let mut sups = Vec::new();
    for (id, f) in index.files.iter().enumerate() {
        comment_suppressions(id, f, &mut sups);
    }
    annotation_suppressions(index, &mut sups);
    sups
}

/// The rules that suppressions in `index` name (`all` included, as written). Whether a
/// suppression is used must not depend on whether its rule is enabled, so the engine runs
/// these too when `unused-suppression` is on, and keeps their findings only to decide it.
pub fn named_rules(index: &RepoIndex) -> std::collections::BTreeSet<String> {
    all(index).into_iter().map(|s| s.rule).collect()
}

fn applies(s: &Suppression, d: &Diagnostic, index: &RepoIndex) -> bool {
    let label = d.primary_label();
    if label.file != s.file || (s.rule != d.rule && s.rule != "all") {
        return false;
    }
    match &s.scope {
        Scope::File => true,
        Scope::Line(line) => index.file(label.file).line_col(label.span.start).line as usize == *line,
        Scope::Object(span) => span.start <= label.span.start && label.span.start <= span.end,
    }
}

/// Drop suppressed diagnostics; return the kept ones plus `unused-suppression` findings (unreported
/// when that rule is off). `enabled` says whether a rule is on, so that a suppression of a rule the
/// configuration turned off is not called unused.
pub fn apply(diagnostics: Vec<Diagnostic>, index: &RepoIndex, enabled: &dyn Fn(&str) -> bool) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut sups = all(index);
    if sups.is_empty() {
        return (diagnostics, Vec::new());
    }
    // Where each file stopped being linted: a suppression past that point cannot be used, and is
    // not called unused (a binary file's bytes may read as a comment; after invalid YAML nothing
    // was checked).
    let mut unlinted_from: std::collections::HashMap<FileId, usize> = std::collections::HashMap::new();
    for d in &diagnostics {
        let from = match d.rule {
            "unreadable-file" | "helm-template-not-rendered" => 0,
            "invalid-yaml" => d.primary_label().span.start,
            _ => continue,
        };
        let at = unlinted_from.entry(d.file()).or_insert(from);
        *at = (*at).min(from);
    }
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let mut suppressed = false;
        for s in sups.iter_mut().filter(|s| s.rule == d.rule || s.rule == "all") {
            if applies(s, &d, index) {
                s.used = true;
                suppressed = true;
            }
        }
        if !suppressed {
            kept.push(d);
        }
    }
    let mut unused = Vec::new();
    for s in sups.iter().filter(|s| !s.used && unlinted_from.get(&s.file).is_none_or(|from| s.span.start < *from)) {
        let known = s.rule == "all" || rules::find(&s.rule).is_some();
        if known && s.rule != "all" && !enabled(&s.rule) {
            continue;
        }
        let d = if known {
            Diagnostic::new(format!("suppression of `{}` suppresses nothing", s.rule))
                .primary(s.file, s.span.clone(), "no such finding here")
                .help("remove the suppression")
        } else {
            let hint = crate::schema::validate::did_you_mean(&s.rule, rules::ALL.iter().map(|r| r.meta().name));
            Diagnostic::new(format!("suppression names unknown rule `{}`", s.rule))
                .primary(s.file, s.span.clone(), "unknown rule")
                .help(hint.map_or("see `kedalint rules` for rule ids".to_owned(), |h| format!("did you mean `{h}`?")))
        };
        unused.push(d);
    }
    (kept, unused)
}
