//! Findings as plain data. Rules build them; the engine sets rule id and severity; reporters render.

use crate::source::{FileId, Position, Span};
use serde::Serialize;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// One level lower (an error becomes a warning, a warning an info).
    pub fn lower(self) -> Severity {
        match self {
            Severity::Error => Severity::Warning,
            _ => Severity::Info,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub text: Arc<str>,
    pub primary: bool,
    /// Line and column of `span`, filled in by the engine while it has the file's text at hand
    /// (in the rules' batches, or at the end of a run; see [`crate::source`]); `None` until then.
    pub position: Option<Position>,
}

impl Label {
    pub fn new(file: FileId, span: Span, text: impl Into<Arc<str>>, primary: bool) -> Label {
        Label { file, span, text: text.into(), primary, position: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable kebab-case rule id; filled by the engine from the reporting rule.
    pub rule: &'static str,
    pub severity: Severity,
    /// What is wrong: lowercase, no trailing period, code in backticks.
    ///
    /// The texts of a finding are `Arc<str>`s so that findings with the same text share it
    /// ([`TextShare`]): thousands of objects often have one finding word for word.
    pub message: Arc<str>,
    /// The first label is primary; the others are secondary, in this file or in others.
    pub labels: Vec<Label>,
    /// What to do.
    pub help: Option<Arc<str>>,
    /// Why it matters. Shared: some notes are long and the same for thousands of findings.
    pub note: Option<std::sync::Arc<str>>,
    /// Set when the configured KEDA version admits what the rule reports (it only became an
    /// admission error later): the engine then reports the finding one level lower.
    pub admitted: bool,
    /// The deployment units the finding was found in, when the repository has units (see
    /// [`crate::units`]); set by the engine.
    pub units: Option<Arc<[Arc<str>]>>,
}

impl Diagnostic {
    pub fn new(message: impl Into<Arc<str>>) -> Self {
        Diagnostic { rule: "", severity: Severity::Error, message: message.into(), labels: Vec::new(), help: None, note: None, admitted: false, units: None }
    }

    pub fn primary(mut self, file: FileId, span: Span, text: impl Into<Arc<str>>) -> Self {
        // Most findings have one label: room for exactly it, not the four a first insert makes
        // (168 bytes a finding, 12 MB at 50,000 workloads).
        self.labels.reserve_exact(1);
        self.labels.insert(0, Label::new(file, span, text, true));
        self
    }

    pub fn secondary(mut self, file: FileId, span: Span, text: impl Into<Arc<str>>) -> Self {
        self.labels.push(Label::new(file, span, text, false));
        self
    }

    pub fn help(mut self, help: impl Into<Arc<str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<std::sync::Arc<str>>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Mark the finding as admitted by the configured KEDA version (see [`Diagnostic::admitted`]).
    pub fn admitted_by_keda(mut self, admitted: bool) -> Self {
        self.admitted = admitted;
        self
    }

    pub fn primary_label(&self) -> &Label {
        self.labels.iter().find(|l| l.primary).unwrap_or(&self.labels[0])
    }

    pub fn file(&self) -> FileId {
        self.primary_label().file
    }

    /// Rewrite every text of the finding (message, help, note, labels) that `f` changes.
    pub fn map_texts(&mut self, f: impl Fn(&str) -> Option<String>) {
        let apply = |t: &mut Arc<str>| {
            if let Some(new) = f(t) {
                *t = new.into();
            }
        };
        apply(&mut self.message);
        self.help.iter_mut().for_each(apply);
        self.note.iter_mut().for_each(apply);
        self.labels.iter_mut().for_each(|l| apply(&mut l.text));
    }
}

/// Whether `c` must not reach a terminal, a log or a CI annotation as it is: C0 controls but
/// line feed and tab, DEL, C1 controls (U+0085 is a line break to some readers, U+009B a
/// terminal's CSI), and the bidirectional overrides that make text read other than it is.
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with each unsafe character written as `\u001b` (see [`is_unsafe_char`]); `None` when
/// there is none (the usual case, which costs one scan).
pub fn escape_controls(s: &str) -> Option<String> {
    if !s.chars().any(is_unsafe_char) {
        return None;
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// Makes findings with equal texts share one copy of each. At 50,000 workloads, 50,000 findings
/// of one rule said the same message, help and label: 18 MB of copies.
#[derive(Default)]
pub struct TextShare(std::collections::HashSet<Arc<str>>);

impl TextShare {
    fn share(&mut self, text: &mut Arc<str>) {
        match self.0.get(&**text) {
            Some(shared) => *text = shared.clone(),
            None => drop(self.0.insert(text.clone())),
        }
    }

    /// Point the finding's texts at the copies already seen, keeping the first of each.
    pub fn share_texts(&mut self, d: &mut Diagnostic) {
        self.share(&mut d.message);
        if let Some(help) = &mut d.help {
            self.share(help);
        }
        for l in &mut d.labels {
            self.share(&mut l.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_text_is_kept() {
        assert_eq!(escape_controls("plain `key`\nnext\tline"), None);
        assert_eq!(escape_controls("a\u{1b}[31mb\r\u{9b}c\u{202e}").unwrap(), "a\\u001b[31mb\\u000d\\u009bc\\u202e");
        let mut d = Diagnostic::new("unknown field `\u{1b}]0;pwned\u{7}`").primary(0, 0..1, "x\u{1b}").help("h");
        d.map_texts(escape_controls);
        assert_eq!(&*d.message, "unknown field `\\u001b]0;pwned\\u0007`");
        assert_eq!(&*d.labels[0].text, "x\\u001b");
    }
}
