//! The human reporter: rustc-style snippets rendered by miette.
//!
//! [`Rendered`] adapts a plain [`Diagnostic`] to `miette::Diagnostic`: labels in the primary file
//! become miette labels, labels in other files become related diagnostics with their own source.
//! Sources are [`Shown`] texts: read in time proportional to the lines shown, safe to print.

use super::snippet::Shown;
use crate::diagnostic::{Diagnostic, Severity};
use crate::index::RepoIndex;
use crate::source::FileId;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use std::fmt;
use std::sync::Arc;

struct Rendered {
    code: Option<String>,
    url: Option<String>,
    severity: Severity,
    message: String,
    help: Option<String>,
    file: FileId,
    source: Arc<Shown>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered>,
}

impl fmt::Debug for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code.as_ref().map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url.as_ref().map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
    }
}

/// The files findings are shown in, the last few kept, shared by the threads that render:
/// findings come in file order, and their related labels are mostly in one or two other files
/// (a rendered chart and its template); a file is read again (see [`RepoIndex::shown`]) only
/// when it was not among the last ones.
#[derive(Default)]
struct Sources {
    recent: std::sync::Mutex<Vec<(FileId, Arc<Shown>)>>,
}

impl Sources {
    /// Files kept: a few per rendering thread.
    const KEPT: usize = 16;

    fn get(&self, index: &RepoIndex, file: FileId) -> Arc<Shown> {
        let lookup = |recent: &mut Vec<(FileId, Arc<Shown>)>| {
            let i = recent.iter().position(|(id, _)| *id == file)?;
            let hit = recent.remove(i);
            recent.insert(0, hit);
            Some(recent[0].1.clone())
        };
        if let Some(hit) = self.recent.lock().ok().and_then(|mut r| lookup(&mut r)) {
            return hit;
        }
        // Read outside the lock; two threads may read one file at once, and the first one kept wins.
        let shown = Arc::new(Shown::new(super::display_path(index.file(file).path()), &index.shown(file).text));
        let Ok(mut recent) = self.recent.lock() else { return shown };
        if let Some(hit) = lookup(&mut recent) {
            return hit;
        }
        recent.truncate(Self::KEPT - 1);
        recent.insert(0, (file, shown.clone()));
        shown
    }
}

fn labeled(text: &str, span: &std::ops::Range<usize>, primary: bool, source: &Shown) -> LabeledSpan {
    let span = source.span(span);
    if primary {
        LabeledSpan::new_primary_with_span(Some(text.to_owned()), span)
    } else {
        LabeledSpan::new_with_span(Some(text.to_owned()), span)
    }
}

fn adapt(d: &Diagnostic, index: &RepoIndex, links: bool, sources: &Sources) -> Rendered {
    let primary = d.primary_label();
    let source = sources.get(index, primary.file);
    let mut labels = Vec::new();
    let mut related: Vec<Rendered> = Vec::new();
    for l in &d.labels {
        if l.file == primary.file {
            labels.push(labeled(&l.text, &l.span, l.primary, &source));
        } else if let Some(r) = related.iter_mut().find(|r| index.file(r.file).path() == index.file(l.file).path()) {
            r.labels.push(labeled(&l.text, &l.span, false, &r.source));
        } else {
            let other = sources.get(index, l.file);
            related.push(Rendered {
                code: None,
                url: None,
                severity: Severity::Info,
                message: format!("related: {}", l.text),
                help: None,
                file: l.file,
                labels: vec![labeled(&l.text, &l.span, false, &other)],
                source: other,
                related: Vec::new(),
            });
        }
    }
    let help = match (&d.help, &d.note) {
        (Some(h), Some(n)) => Some(format!("{h}\nnote: {n}")),
        (Some(h), None) => Some(h.to_string()),
        (None, Some(n)) => Some(format!("note: {n}")),
        (None, None) => None,
    };
    let meta = crate::rules::find(d.rule);
    Rendered {
        code: Some(format!("kedalint({})", d.rule)),
        url: if links { meta.map(|m| m.meta().url()) } else { None },
        severity: d.severity,
        message: d.message.to_string(),
        help,
        file: primary.file,
        source,
        labels,
        related,
    }
}

/// Renders diagnostics for a terminal (`color`) or for plain text (tests, pipes).
pub struct HumanReporter {
    handler: GraphicalReportHandler,
    links: bool,
}

impl HumanReporter {
    pub fn new(color: bool, width: usize) -> Self {
        let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(width).with_links(false).with_urls(color);
        HumanReporter { handler, links: color }
    }

    /// Plain, deterministic output for snapshots: no colour, width 80, no links.
    pub fn plain() -> Self {
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(80).with_links(false).with_urls(false);
        HumanReporter { handler, links: false }
    }

    pub fn render(&self, d: &Diagnostic, index: &RepoIndex) -> String {
        self.render_with(d, index, &Sources::default())
    }

    fn render_with(&self, d: &Diagnostic, index: &RepoIndex, sources: &Sources) -> String {
        let r = adapt(d, index, self.links, sources);
        let mut out = String::new();
        if self.handler.render_report(&mut out, &r).is_err() {
            out = format!("{}: {} [{}]\n", d.severity.as_str(), d.message, d.rule);
        }
        out
    }

    /// Every finding, in order, rendered on all cores a slice at a time (miette's layout and
    /// wrapping are most of a large report's time).
    pub fn render_all(&self, diagnostics: &[Diagnostic], index: &RepoIndex) -> String {
        use rayon::prelude::*;
        let sources = Sources::default();
        let slices: Vec<String> = diagnostics.par_chunks(64).map(|slice| slice.iter().map(|d| self.render_with(d, index, &sources) + "\n").collect()).collect();
        slices.concat()
    }
}
