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
}

impl Diagnostic {
    pub fn new(message: impl Into<Arc<str>>) -> Self {
        Diagnostic { rule: "", severity: Severity::Error, message: message.into(), labels: Vec::new(), help: None, note: None, admitted: false }
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
