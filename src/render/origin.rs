//! Pointing a finding in rendered text back at the file the user wrote.
//!
//! The rendered object is found in its source (a Helm template, a kustomize resource or patch);
//! within it, the finding's line is looked for in three ways, most precise first:
//! 1. a line that reads exactly like the rendered one (a literal in the template, or the line a
//!    kustomize patch sets): the span keeps its column;
//! 2. the only templated line (`{{ ... }}`) with the same key (`desiredReplicas: {{ .Values.x }}`):
//!    the span covers the value;
//! 3. the object's `kind:` line, else the file's first line.
//!
//! Patches are searched before the resource they patch, because an overlay's change is where an
//! overlay's defect is. The rendered location always stays on the finding as a related label.

use super::{Attribution, Origin};
use crate::source::Span;

/// Where the rendered object at `offset` (of kind `kind`, named `name`) came from.
pub fn origin_of(attribution: &Attribution, offset: usize, kind: &str, name: &str) -> Option<Origin> {
    match attribution {
        Attribution::SourceComments { chart, comments } => comments
            .iter()
            .rev()
            .find(|(at, _)| *at <= offset)
            .map(|(_, path)| Origin { path: path.clone(), range: None, patches: Vec::new(), within: Some(chart.clone()) }),
        Attribution::ByIdentity(docs) => docs.origin(kind, name),
    }
}

/// The line of `text` that holds `offset`: (start, end without the line break).
fn line_around(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    (start, end)
}

/// Lines of `text[range]` as (start offset, line without its break).
fn lines(text: &str, range: Span) -> impl Iterator<Item = (usize, &str)> {
    let range = range.start.min(text.len())..range.end.min(text.len());
    let base = range.start;
    let slice = &text[range];
    let mut offset = 0;
    slice.split_inclusive('\n').map(move |l| {
        let at = base + offset;
        offset += l.len();
        (at, l.trim_end_matches(['\n', '\r']))
    })
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The key of a `key: value` line (list dashes dropped).
fn key_of(line: &str) -> Option<&str> {
    let t = line.trim_start().trim_start_matches("- ").trim_start();
    let colon = t.find(": ").or_else(|| t.strip_suffix(':').map(|s| s.len()))?;
    Some(&t[..colon]).filter(|k| !k.is_empty() && !k.contains(' '))
}

/// The keys of the lines enclosing the line at `line_start` (nearest first), found by indentation.
fn ancestors(text: &str, line_start: usize, floor: usize) -> Vec<&str> {
    let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
    let mut want = indent(&text[line_start..line_end]);
    let mut keys = Vec::new();
    for l in text[floor.min(line_start)..line_start].lines().rev() {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        // A list item's own keys sit one level in from its dash: `- name: x` encloses `  value: y`.
        let ind = indent(l) + if t.starts_with("- ") { 1 } else { 0 };
        if ind < want {
            if let Some(k) = key_of(l) {
                keys.push(k);
            }
            want = indent(l);
            if want == 0 {
                break;
            }
        }
    }
    keys
}

/// How many enclosing keys two lines share, nearest first.
fn shared_ancestry(a: &[&str], b: &[&str]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Where the rendered span `span` of `rendered` is in `source[range]`, by rules 1 and 2 above.
/// Among several candidate lines, the one whose enclosing keys agree best with the rendered
/// line's wins (`scaleTargetRef.name: web` over `metadata.name: web`).
pub fn find_line(rendered: &str, span: &Span, source: &str, range: Span) -> Option<Span> {
    let (ls, le) = line_around(rendered, span.start);
    let line = &rendered[ls..le];
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return None;
    }
    let context = ancestors(rendered, ls, 0);
    let floor = range.start;
    let best = |candidates: Vec<(usize, &str)>| -> Option<(usize, usize)> {
        let scored: Vec<(usize, usize)> = candidates.iter().map(|(at, _)| (*at, shared_ancestry(&context, &ancestors(source, *at, floor)))).collect();
        let top = scored.iter().map(|(_, s)| *s).max()?;
        let mut winners = scored.iter().filter(|(_, s)| *s == top);
        let first = *winners.next()?;
        Some((first.0, winners.count()))
    };
    let rel = span.start.saturating_sub(ls + indent(line));
    let len = span.end.min(le).saturating_sub(span.start).max(1);
    let exact: Vec<(usize, &str)> = lines(source, range.clone()).filter(|(_, l)| l.trim() == trimmed).collect();
    if let Some((at, _)) = best(exact) {
        let l = &source[at..source[at..].find('\n').map_or(source.len(), |i| at + i)];
        let start = at + indent(l) + rel.min(l.trim().len());
        return Some(start..(start + len).min(at + l.trim_end().len()));
    }
    let key = key_of(line)?;
    let templated: Vec<(usize, &str)> = lines(source, range).filter(|(_, l)| l.contains("{{") && key_of(l) == Some(key)).collect();
    let (at, ties) = best(templated)?;
    if ties > 0 {
        return None;
    }
    let l = &source[at..source[at..].find('\n').map_or(source.len(), |i| at + i)].trim_end();
    let value = l.find(": ").map_or(indent(l), |c| c + 2);
    Some(at + value..at + l.len())
}

/// Rule 3: the object's `kind:` line in `source[range]`, else the first non-empty line.
pub fn fallback_line(source: &str, range: Span, kind: &str) -> Span {
    let want = format!("kind: {kind}");
    let mut first = None;
    for (at, l) in lines(source, range.clone()) {
        let t = l.trim();
        if t == want {
            return at + indent(l)..at + l.len();
        }
        if first.is_none() && !t.is_empty() && !t.starts_with('#') && t != "---" {
            first = Some(at + indent(l)..at + l.len());
        }
    }
    first.unwrap_or(range.start.min(source.len())..range.start.min(source.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_lines_keep_their_column() {
        let rendered = "spec:\n  pollingInterval: 0\n";
        let span = rendered.find('0').unwrap()..rendered.find('0').unwrap() + 1;
        let source = "kind: ScaledObject\nspec:\n    pollingInterval: 0\n";
        let got = find_line(rendered, &span, source, 0..source.len()).unwrap();
        assert_eq!(&source[got], "0");
    }

    #[test]
    fn templated_lines_match_by_key_when_unique() {
        let rendered = "  desiredReplicas: \"abc\"\n";
        let span = 20..25;
        let source = "kind: ScaledObject\n  desiredReplicas: {{ .Values.n | quote }}\n";
        let got = find_line(rendered, &span, source, 0..source.len()).unwrap();
        assert_eq!(&source[got], "{{ .Values.n | quote }}");
        let twice = format!("{source}  desiredReplicas: {{{{ .Values.m }}}}\n");
        assert_eq!(find_line(rendered, &span, &twice, 0..twice.len()), None);
    }

    #[test]
    fn enclosing_keys_break_ties() {
        let rendered = "metadata:\n  name: web\nspec:\n  scaleTargetRef:\n    name: web\n";
        let at = rendered.rfind("web").unwrap();
        let source = "metadata:\n  name: web\nspec:\n  scaleTargetRef:\n    name: web\n";
        let got = find_line(rendered, &(at..at + 3), source, 0..source.len()).unwrap();
        assert_eq!(got.start, at, "the scaleTargetRef line, not metadata.name");
        let first = rendered.find("web").unwrap();
        assert_eq!(find_line(rendered, &(first..first + 3), source, 0..source.len()).unwrap().start, first);
    }

    #[test]
    fn fallback_is_the_kind_line() {
        let source = "{{- if .Values.on }}\napiVersion: v1\nkind: ScaledObject\n";
        assert_eq!(&source[fallback_line(source, 0..source.len(), "ScaledObject")], "kind: ScaledObject");
        assert_eq!(&source[fallback_line(source, 0..source.len(), "Other")], "{{- if .Values.on }}");
    }
}
