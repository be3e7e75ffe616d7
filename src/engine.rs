//! The pipeline: read → parse → index → rules → suppressions → severities → sorted findings →
//! their line:column.
//!
//! Reading and parsing run in parallel per file, rules in parallel per object; the index in
//! between is built once and only read afterwards. Nothing here aborts on bad input: every
//! problem becomes a diagnostic with a location, and the run goes on.
//!
//! Trees are not all held at once. Each object is analysed for the index right after its file
//! is parsed (schema errors, cron windows, secrets, keys), and then a namespaced object's tree is
//! dropped. Rules then check the repository namespace by namespace: a batch's files are parsed
//! again, its objects checked, their trees dropped. This works because no rule reads the tree of
//! an object in another namespace (what crosses namespaces, a ClusterTriggerAuthentication's
//! users, is in the index); cluster-scoped objects, chart values and files over several
//! namespaces keep their trees (see [`analyze`]). Parsing twice is cheaper
//! than it sounds: a tree that is dropped at once leaves its memory warm for the next, while
//! holding every tree of a 50,000-workload repository cost 450 MB and a second of page faults.
//!
//! Nor are the texts: a file on disk is read as it is parsed and let go once its objects are
//! analysed (see [`crate::source`]); the batches, the line:column of findings (filled in last,
//! [`fill_positions`]) and the reporters read it again.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::index::{Analysis, RepoIndex};
use crate::model::{Object, ObjectId};
use crate::rules::{self, RuleContext};
use crate::schema::validate::Schemas;
use crate::render::{origin, Attribution, RenderNote, Rendering, Variant};
use crate::source::{FileId, SourceFile, Span};
use crate::yaml;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;

mod units_pass;
use units_pass::{check_units, plan_units};

/// One input: a path and what it holds.
pub struct Input {
    pub path: PathBuf,
    pub content: Content,
}

/// What an input holds, or where to find it.
pub enum Content {
    /// Bytes at hand (stdin, a live object, a test's text): held for the whole run.
    Bytes(Vec<u8>),
    /// The input could not be read, and why.
    Unreadable(String),
    /// A file on disk, read while it is parsed (refused over `max_size` bytes, before reading),
    /// and read again later when its text is wanted (see [`crate::source`]).
    File { max_size: u64 },
}

impl Input {
    pub fn bytes(path: impl Into<PathBuf>, bytes: Vec<u8>) -> Input {
        Input { path: path.into(), content: Content::Bytes(bytes) }
    }

    pub fn unreadable(path: impl Into<PathBuf>, why: String) -> Input {
        Input { path: path.into(), content: Content::Unreadable(why) }
    }

    /// A file that the engine reads when it parses it, in parallel with the others.
    pub fn file(path: PathBuf, max_size: u64) -> Input {
        Input { path, content: Content::File { max_size } }
    }

    /// A file read now, its bytes held for the whole run (for callers that look at them first).
    pub fn read(path: PathBuf, max_size: u64) -> Input {
        match crate::files::read_named(&path, max_size) {
            Ok((bytes, _)) => Input::bytes(path, bytes),
            Err(why) => Input::unreadable(path, why),
        }
    }
}

pub struct Outcome {
    pub index: RepoIndex,
    pub diagnostics: Vec<Diagnostic>,
    /// Warnings about the run itself rather than a file (nothing to lint, everything excluded):
    /// written to stderr, and failing the run only under `--deny warnings`.
    pub notices: Vec<String>,
    /// How the repository was read: its deployment units (empty when it has none).
    pub units: crate::units::Plan,
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
    /// `objects[i]`'s analysis for the index.
    analyses: Vec<Analysis>,
    findings: Vec<Diagnostic>,
    /// Values files that Argo CD Applications of the KEDA chart name (`helm.valueFiles`).
    keda_value_files: Vec<String>,
    /// Deployment units its Argo CD and Flux objects declare (see [`crate::units`]).
    declarations: Vec<crate::units::Declaration>,
    /// Read from disk as valid UTF-8: the text may be let go and read again (see [`crate::source`]).
    on_disk: bool,
}

fn finding(rule: &'static str, file: FileId, span: std::ops::Range<usize>, label: &str, message: String) -> Diagnostic {
    let mut d = Diagnostic::new(message).primary(file, span, label);
    d.rule = rule;
    d
}

/// Bytes to text, or a finding at the first byte that makes the file unreadable. The flag says
/// whether the text can be read again from `path` (a regular file on disk, not a stream).
fn decode(input: Input, id: FileId) -> Result<(SourceFile, bool), (SourceFile, Diagnostic)> {
    let mut on_disk = false;
    let read = match input.content {
        Content::Bytes(b) => Ok(b),
        Content::Unreadable(e) => Err(e),
        Content::File { max_size } => crate::files::read_named(&input.path, max_size).map(|(bytes, regular)| {
            on_disk = regular;
            bytes
        }),
    };
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            let f = SourceFile::new(input.path.clone(), "");
            let d = finding("unreadable-file", id, 0..0, "could not be read", format!("cannot read `{}`: {e}", input.path.display()));
            return Err((f, d));
        }
    };
    if let Some(encoding) = wide_encoding(&bytes) {
        let f = SourceFile::new(input.path, "");
        let d = finding("unreadable-file", id, 0..0, "not UTF-8", format!("file is {encoding}, not UTF-8"))
            .help(format!("save the file as UTF-8, e.g. `iconv -f {} -t UTF-8`; kedalint reads manifests as UTF-8, as nearly every Kubernetes tool writes them", encoding.split(' ').next().unwrap_or(encoding)));
        return Err((f, d));
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            if let Some(nul) = text.find('\0') {
                let f = SourceFile::new(input.path, text);
                let d = finding("unreadable-file", id, nul..nul + 1, "NUL byte", "file contains a NUL byte: binary data, not YAML".into())
                    .help("YAML files cannot contain NUL bytes; remove the file or exclude it");
                return Err((f, d));
            }
            Ok((SourceFile::new(input.path, text), on_disk))
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

/// The UTF-16 or UTF-32 encoding `bytes` are in, by their byte-order mark, or (without one) by the
/// zero bytes that ASCII text has in every other or every fourth place.
fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xff, 0xfe, 0, 0, ..] => return Some("UTF-32LE (little-endian)"),
        [0, 0, 0xfe, 0xff, ..] => return Some("UTF-32BE (big-endian)"),
        [0xff, 0xfe, ..] => return Some("UTF-16LE (little-endian)"),
        [0xfe, 0xff, ..] => return Some("UTF-16BE (big-endian)"),
        _ => {}
    }
    let head = &bytes[..bytes.len().min(64) & !3];
    if head.len() < 4 || !head.contains(&0) {
        return None;
    }
    let zero_at = |offset: usize, step: usize| head.iter().skip(offset).step_by(step).all(|b| *b == 0);
    let nonzero_at = |offset: usize, step: usize| head.iter().skip(offset).step_by(step).all(|b| *b != 0);
    if nonzero_at(0, 4) && zero_at(1, 4) && zero_at(2, 4) && zero_at(3, 4) {
        Some("UTF-32LE (little-endian)")
    } else if zero_at(0, 4) && zero_at(1, 4) && zero_at(2, 4) && nonzero_at(3, 4) {
        Some("UTF-32BE (big-endian)")
    } else if nonzero_at(0, 2) && zero_at(1, 2) {
        Some("UTF-16LE (little-endian)")
    } else if zero_at(0, 2) && nonzero_at(1, 2) {
        Some("UTF-16BE (big-endian)")
    } else {
        None
    }
}

/// Whether byte `at` of `line` is inside a quoted scalar (quotes counted from the line's start).
fn inside_quotes(line: &str, at: usize) -> bool {
    let (mut single, mut double) = (false, false);
    for c in line[..at].chars() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            _ => {}
        }
    }
    single || double
}

/// Helm template syntax (`{{ ... }}`) outside comments: the file is not YAML until rendered.
/// GitHub Actions' `${{ ... }}` is not Helm's.
/// (Values files often show templates in comments, e.g. the KEDA chart's alert examples.)
fn helm_template_at(text: &str) -> Option<usize> {
    // Most files have no `{{` at all: one search over the text instead of one per line.
    if !text.contains("{{") {
        return None;
    }
    let argo = text.contains("argoproj.io/");
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let code = match line.find('#') {
            Some(h) if h == 0 || line[..h].ends_with([' ', '\t']) => &line[..h],
            _ => line,
        };
        // `${{ ... }}` is a GitHub Actions expression in a workflow file, which is plain YAML; in
        // Argo CD's and Argo Workflows' objects, a quoted `'{{path}}'` is their own template.
        let helm = code.match_indices("{{").map(|(at, _)| at).find(|at| !code[..*at].ends_with('$') && !(argo && inside_quotes(code, *at)));
        if let Some(open) = helm
            && text[offset + open..].contains("}}")
        {
            return Some(offset + open);
        }
        offset += line.len();
    }
    None
}

fn parse_file(input: Input, id: FileId, default_namespace: &str, keda_values: Option<&KedaValuesInput>) -> Parsed {
    let (file, on_disk) = match decode(input, id) {
        Ok(read) => read,
        Err((file, d)) => return Parsed { file, objects: Vec::new(), analyses: Vec::new(), findings: vec![d], keda_value_files: Vec::new(), declarations: Vec::new(), on_disk: false },
    };
    let mut findings = Vec::new();
    if let Some(at) = helm_template_at(&file.text) {
        let end = file.text[at..].find("}}").map_or(at + 2, |e| at + e + 2);
        let d = finding("helm-template-not-rendered", id, at..end, "Helm template syntax", "file contains Helm template syntax and was not linted".into())
            .help("render the chart with `helm template` and lint the output, e.g. `helm template r ./chart | kedalint check -`");
        return Parsed { file, objects: Vec::new(), analyses: Vec::new(), findings: vec![d], keda_value_files: Vec::new(), declarations: Vec::new(), on_disk };
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
    let mut keda_value_files = Vec::new();
    let mut declarations = Vec::new();
    for doc in loaded.documents {
        let Some(root) = doc.root else { continue };
        if let Some(forced) = keda_values {
            let values = match &forced.subtree {
                Some(key) => root.get(key),
                None => Some(&root),
            };
            if let Some(v) = values.filter(|v| v.as_map().is_some()) {
                objects.push(Object::keda_values(v, id, doc.index, &forced.how));
            }
            continue;
        }
        let is_list = root.get("kind").and_then(|k| k.text()).is_some_and(|k| k == "List" || k.ends_with("List"))
            && root.get("items").is_some_and(|i| i.as_seq().is_some());
        if is_list {
            for item in root.get("items").and_then(|i| i.as_seq()).unwrap_or_default() {
                objects.extend(Object::from_node(item, id, doc.index, default_namespace));
            }
        } else {
            match Object::from_owned(root, id, doc.index, default_namespace) {
                Ok(obj) => {
                    for (node, how) in crate::keda_chart::inline_values(&obj) {
                        objects.push(Object::keda_values(node, id, doc.index, &how));
                    }
                    keda_value_files.extend(crate::keda_chart::value_files(&obj));
                    declarations.extend(crate::units::declared_by(&obj));
                    objects.push(obj);
                }
                Err(root) if crate::keda_chart::looks_like_values(&root) => {
                    objects.push(Object::keda_values(&root, id, doc.index, "values for the keda chart"));
                }
                Err(_) => {}
            }
        }
    }
    Parsed { file, objects, analyses: Vec::new(), findings, keda_value_files, declarations, on_disk }
}

/// Each object's analysis for the index, while its tree is fresh; then the trees are dropped
/// unless `keep_trees`, the object is held throughout, or the file's objects are in several
/// namespaces: such a file would be parsed again for every batch holding one of them (a
/// 100 MB file over 50 namespaces took 50 s so). Holding its trees costs memory for the whole
/// run instead, and large files over many namespaces are rare.
fn analyze(objects: &mut [Object], text: &str, schemas: &Schemas, reference: i64, keep_trees: bool) -> Vec<Analysis> {
    let analyses = objects.iter().map(|o| Analysis::of(o, text, schemas, reference)).collect();
    let mut batched = objects.iter().filter(|o| !o.held_throughout()).map(|o| &o.namespace);
    let one_namespace = batched.next().is_none_or(|first| batched.all(|ns| ns == first));
    if !keep_trees && one_namespace {
        objects.iter_mut().filter(|o| !o.held_throughout()).for_each(Object::detach_tree);
    }
    analyses
}

/// A file to read as KEDA chart values whatever it looks like.
#[derive(Debug, Clone)]
pub struct KedaValuesInput {
    /// The key holding the values (`keda` in an umbrella chart's values.yaml), or the whole file.
    pub subtree: Option<String>,
    /// How it was found, for messages.
    pub how: String,
}

/// Mask every plaintext secret in the held source texts, so that no reporter can show one (a
/// released text is masked when it is read again to be shown: [`RepoIndex::shown`]). Byte
/// lengths are unchanged, so every span stays valid.
fn redact(mut index: RepoIndex) -> RepoIndex {
    let mut by_file: Vec<Vec<Span>> = vec![Vec::new(); index.files.len()];
    for obj in index.objects.iter().filter(|o| !index.files[o.file].is_released()) {
        by_file[obj.file].extend(index.secrets[obj.id].iter().map(|s| s.span.clone()));
    }
    // Every held text, not only those with objects: lines that read like secrets are masked
    // in what did not parse too (see `secrets::masked`).
    let masked: Vec<Option<String>> = index
        .files
        .par_iter()
        .zip(&by_file)
        .map(|(f, spans)| {
            let masked = (!f.is_released()).then(|| crate::secrets::masked(&f.text, spans))?;
            (masked != *f.text).then_some(masked)
        })
        .collect();
    for (file, text) in masked.into_iter().enumerate() {
        if let Some(text) = text {
            index.files[file] = SourceFile::new(index.files[file].path.clone(), text);
        }
    }
    index
}

/// Lint a set of inputs as one repository.
pub fn run(inputs: Vec<Input>, config: &Config, schemas: &Schemas) -> Outcome {
    run_rendered(inputs, Rendering::default(), config, schemas)
}

/// What a rendered source keeps besides its text: how to point back, and which variant it is.
struct RenderedMeta {
    attribution: Attribution,
    variant: Variant,
    /// The chart or kustomization rendered.
    root: PathBuf,
}

/// Lint plain inputs together with rendered charts and kustomizations (see [`crate::render`]).
///
/// Variants of one render group (a chart's values sets, overlays of one base) are alternatives:
/// each is checked with the plain files in its own pass ("world"), so that two variants never
/// collide with each other, and a finding that only some variants have says which.
pub fn run_rendered(inputs: Vec<Input>, rendering: Rendering, config: &Config, schemas: &Schemas) -> Outcome {
    let forced: HashMap<PathBuf, KedaValuesInput> = rendering.keda_values.iter().cloned().collect();
    let forced_for: Vec<Option<KedaValuesInput>> = inputs.iter().map(|i| forced.get(&i.path).cloned()).collect();
    let mut metas: Vec<Option<RenderedMeta>> = inputs.iter().map(|_| None).collect();
    let mut all: Vec<(Input, Option<String>)> = inputs.into_iter().map(|i| (i, None)).collect();
    for r in rendering.rendered {
        metas.push(Some(RenderedMeta { attribution: r.attribution, variant: r.variant, root: r.root }));
        all.push((Input::bytes(r.path, r.text.into_bytes()), r.default_namespace));
    }
    crate::progress::expect(all.len());
    let reference = config.reference();
    let parse = |(id, (input, ns)): (FileId, (Input, Option<String>))| {
        let keda_values = forced_for.get(id).and_then(Option::as_ref);
        let mut p = parse_file(input, id, ns.as_deref().unwrap_or(&config.default_namespace), keda_values);
        p.analyses = analyze(&mut p.objects, &p.file.text, schemas, reference, config.keep_trees);
        // Its objects analysed, a file on disk need not be held: what needs the text again
        // reads it again. Files with suppression comments are held, since their comments are
        // read at the end of the run (and they are few).
        if p.on_disk && !config.keep_trees && !p.file.text.contains(crate::suppress::MARK) {
            p.file.release();
        }
        crate::progress::tick();
        p
    };
    let total = all.len();
    let mut files = Vec::with_capacity(total);
    let (mut objects, mut analyses): (Vec<Object>, Vec<Analysis>) = (Vec::new(), Vec::new());
    let mut source_findings = Vec::new();
    let mut value_files = Vec::new();
    let mut declarations = Vec::new();
    // Files are parsed a chunk at a time, and each chunk's objects moved into the run's lists
    // at once: parsing them all first held every object twice while they were moved (at
    // 50,000 workloads, 47 MB of per-file lists beside the 50 MB of the run's).
    let mut inputs = all.into_iter().enumerate();
    crate::timings::phase("parse", || loop {
        const CHUNK: usize = 4096;
        let chunk: Vec<_> = inputs.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let parsed: Vec<Parsed> = chunk.into_par_iter().map(parse).collect();
        for p in parsed {
            files.push(p.file);
            objects.extend(p.objects);
            analyses.extend(p.analyses);
            source_findings.extend(p.findings);
            value_files.extend(p.keda_value_files);
            declarations.extend(p.declarations);
        }
        // Room for the objects the rest of the files will likely bring, reserved once rather
        // than doubled (a doubling copies the list and briefly holds it three times over).
        let expected = objects.len() * total / files.len().max(1);
        reserve_for(&mut objects, &mut analyses, expected + expected / 16);
    });
    // Values files named by Argo CD Applications come last; the index wants file order.
    let named = values_named_by_applications(&value_files, &files, &objects);
    if !named.is_empty() {
        for mut o in named {
            let text = files[o.file].current_text();
            analyses.extend(analyze(std::slice::from_mut(&mut o), &text, schemas, reference, config.keep_trees));
            objects.push(o);
        }
        let mut pairs: Vec<(Object, Analysis)> = objects.into_iter().zip(analyses).collect();
        pairs.sort_by_key(|(o, _)| (o.file, o.doc));
        (objects, analyses) = pairs.into_iter().unzip();
    }

    let active: Vec<(&dyn rules::Rule, Severity)> =
        rules::ALL.iter().filter_map(|r| config.severity_of(r.meta()).map(|s| (*r, s))).collect();
    let severity_of = |rule: &str| active.iter().find(|(r, _)| r.meta().name == rule).map(|(_, s)| *s);
    // With `unused-suppression` on, the rules suppressions name run too, whether enabled or not:
    // their findings decide whether a suppression is used and are then dropped. Otherwise a
    // suppression's verdict would depend on which rules run.
    let judge_suppressions = severity_of("unused-suppression").is_some();
    let check = |index: &mut RepoIndex| {
        let mut rules = active.clone();
        if judge_suppressions {
            let named = crate::suppress::named_rules(index);
            let shadow = rules::ALL.iter().filter(|r| named.contains("all") || named.contains(r.meta().name)).filter(|r| severity_of(r.meta().name).is_none());
            rules.extend(shadow.map(|r| (*r, r.meta().category.default_severity())));
        }
        check_objects(index, &rules, config)
    };

    let mut plan = match &rendering.repository {
        Some(root) => crate::timings::phase("units", || plan_units(root, declarations, &files, &objects, &analyses, &metas, config)),
        None => crate::units::Plan::default(),
    };
    if !plan.is_empty() {
        // The units of each file: a plain file by its path, a render by its chart or kustomization.
        let paths: Vec<&std::path::Path> = files.iter().map(|f| f.path.as_path()).collect();
        let roots: Vec<Option<&std::path::Path>> = (0..files.len()).map(|id| metas.get(id).and_then(Option::as_ref).map(|m| m.root.as_path())).collect();
        plan.membership = plan.membership(&paths, &roots);
    }
    let mut diagnostics = Vec::new();
    let mut index = if !plan.is_empty() {
        diagnostics.extend(check_units(&plan, &files, &objects, &analyses, &metas, reference, &check));
        RepoIndex::build(files, objects, analyses, reference)
    } else {
        let worlds = metas.iter().flatten().map(|m| m.variant.of).max().unwrap_or(1);
        if worlds == 1 {
            let mut index = RepoIndex::build(files, objects, analyses, reference);
            diagnostics.extend(check(&mut index));
            index
        } else {
            for world in 0..worlds {
                let in_world = |o: &Object| metas[o.file].as_ref().is_none_or(|m| m.variant.index == world.min(m.variant.of - 1));
                let (objects, analyses) = objects.iter().zip(&analyses).filter(|(o, _)| in_world(o)).map(|(o, a)| (o.clone(), a.clone())).unzip();
                let mut index = RepoIndex::build(files.clone(), objects, analyses, reference);
                diagnostics.extend(check(&mut index));
            }
            RepoIndex::build(files, objects, analyses, reference)
        }
    };
    let finish = std::time::Instant::now();
    for mut d in source_findings {
        if let Some(s) = severity_of(d.rule) {
            d.severity = s;
            diagnostics.push(d);
        }
    }
    if let Some(s) = severity_of("unresolved-applicationset-generator") {
        for n in &plan.notes {
            let mut d = finding("unresolved-applicationset-generator", n.file, n.span.clone(), "generator resolved as one set of no parameters", n.message.clone()).help(n.help.clone());
            d.severity = s;
            diagnostics.push(d);
        }
    }
    let mut aux = AuxFiles::new(&index, config.max_file_size);
    for n in rendering.notes {
        if let Some(s) = severity_of(n.rule) {
            let mut d = note_diagnostic(n, &mut aux, &mut index);
            d.severity = s;
            diagnostics.push(d);
        }
    }

    let (mut diagnostics, unused) = crate::suppress::apply(diagnostics, &index, &|r| judge_suppressions || severity_of(r).is_some());
    // What ran only to judge suppressions is not reported.
    diagnostics.retain(|d| severity_of(d.rule).is_some());
    if let Some(s) = severity_of("unused-suppression") {
        diagnostics.extend(unused.into_iter().map(|mut d| {
            d.rule = "unused-suppression";
            d.severity = s;
            d
        }));
    }
    let (mut diagnostics, secrets_in_sources) = attribute(diagnostics, &metas, &mut aux, &mut index);
    clean_texts(&mut diagnostics, &index);
    for (file, secret) in secrets_in_sources {
        // Held from here on (read again if it was released): masked, it is no longer the file on
        // disk. Before `redact`, which then masks the file's own objects' secrets in it too.
        let (f, text) = (&index.files[file], index.files[file].current_text());
        let spans: Vec<_> = text.match_indices(secret.as_str()).map(|(at, s)| at..at + s.len()).collect();
        let masked = crate::secrets::masked(&text, &spans);
        index.files[file] = SourceFile::new(f.path.clone(), masked);
    }
    let index = redact(index);
    let rank = path_ranks(&index.files);
    diagnostics.sort_by(|a, b| {
        let (la, lb) = (a.primary_label(), b.primary_label());
        (rank[la.file], la.span.start, a.rule, &a.message).cmp(&(rank[lb.file], lb.span.start, b.rule, &b.message))
    });
    diagnostics.dedup();
    crate::timings::phase("positions", || fill_positions(&mut diagnostics, &index.files));
    crate::timings::since("finish", finish);
    Outcome { index, diagnostics, notices: Vec::new(), units: plan }
}

/// Make every finding's texts safe to print, in one place for every format: a secret a message
/// quotes (a schema message names the value at `password: 987654321`) is masked, and control
/// characters from input (a key with an escape sequence) are written as `\u001b`.
fn clean_texts(diagnostics: &mut [Diagnostic], index: &RepoIndex) {
    /// Shorter secrets would mask common words and numbers in messages.
    const MIN_SCRUBBED: usize = 3;
    let mut secrets: HashMap<FileId, Vec<&str>> = HashMap::new();
    for o in &index.objects {
        for s in index.secrets[o.id].iter().filter(|s| s.text.len() >= MIN_SCRUBBED) {
            secrets.entry(o.file).or_default().push(&s.text);
        }
    }
    diagnostics.par_iter_mut().for_each(|d| {
        let mut here: Vec<&str> = d.labels.iter().flat_map(|l| secrets.get(&l.file)).flatten().copied().collect();
        here.sort_unstable();
        here.dedup();
        d.map_texts(|t| {
            let scrubbed = here.iter().filter(|s| t.contains(**s)).fold(None, |acc: Option<String>, s| Some(acc.as_deref().unwrap_or(t).replace(s, "***")));
            match scrubbed {
                Some(s) => Some(crate::diagnostic::escape_controls(&s).unwrap_or(s)),
                None => crate::diagnostic::escape_controls(t),
            }
        });
    });
}

/// Line and column of every label that has none yet, each file's text looked at once (read again
/// for a file whose text was released; files in parallel). The findings are in file order by
/// then: each run of findings in one file is done with that file's text, and the few labels in
/// other files are done after, grouped by their file.
fn fill_positions(diagnostics: &mut [Diagnostic], files: &[SourceFile]) {
    diagnostics.par_chunk_by_mut(|a, b| a.file() == b.file()).for_each(|run| {
        let id = run[0].file();
        // Most were filled in while their batch's texts were at hand: read no file for them.
        if run.iter().all(|d| d.labels.iter().all(|l| l.file != id || l.position.is_some())) {
            return;
        }
        let file = files[id].with_text();
        fill_labels(&file, id, &mut run.iter_mut().flat_map(|d| d.labels.iter_mut()));
    });
    let mut elsewhere: Vec<&mut Label> = diagnostics.iter_mut().flat_map(|d| d.labels.iter_mut()).filter(|l| l.position.is_none()).collect();
    elsewhere.sort_unstable_by_key(|l| l.file);
    elsewhere.par_chunk_by_mut(|a, b| a.file == b.file).for_each(|run| {
        let id = run[0].file;
        let file = files[id].with_text();
        fill_labels(&file, id, &mut run.iter_mut().map(|l| &mut **l));
    });
}

/// Line and column of those `labels` in file `id` (whose text `file` holds) that have none yet.
fn fill_labels(file: &SourceFile, id: FileId, labels: &mut dyn Iterator<Item = &mut Label>) {
    for l in labels.filter(|l| l.file == id && l.position.is_none()) {
        l.position = Some(file.position(&l.span));
    }
}

/// Room for `expected` objects and their analyses, when the lists have less.
fn reserve_for(objects: &mut Vec<Object>, analyses: &mut Vec<Analysis>, expected: usize) {
    if objects.capacity() < expected {
        objects.reserve_exact(expected - objects.len());
        analyses.reserve_exact(expected - analyses.len());
    }
}

/// Each file's place in path order (files with the same path share it). Findings are sorted by
/// it: comparing paths component by component inside the sort was a third of its time, while
/// files arrive almost in path order already, which the sort here notices.
fn path_ranks(files: &[SourceFile]) -> Vec<usize> {
    let mut order: Vec<FileId> = (0..files.len()).collect();
    order.sort_by(|a, b| files[*a].path.cmp(&files[*b].path));
    let mut rank = vec![0; files.len()];
    for (i, pair) in order.windows(2).enumerate() {
        let same = files[pair[0]].path == files[pair[1]].path;
        rank[pair[1]] = if same { rank[pair[0]] } else { i + 1 };
    }
    rank
}

/// KEDA values in the files that Argo CD Applications name in `helm.valueFiles` (`$ref/path`
/// resolved by path suffix among the linted files), unless already read as values.
fn values_named_by_applications(value_files: &[String], files: &[SourceFile], objects: &[Object]) -> Vec<Object> {
    let mut out = Vec::new();
    for vf in value_files {
        let rel = vf.strip_prefix('$').map_or(vf.as_str(), |r| r.split_once('/').map_or(r, |(_, rest)| rest));
        let rel = std::path::Path::new(rel.trim_start_matches("./"));
        for (id, f) in files.iter().enumerate().filter(|(_, f)| f.path.ends_with(rel)) {
            if objects.iter().chain(&out).any(|o: &Object| o.file == id && o.kind == crate::model::Kind::KedaValues) {
                continue;
            }
            for doc in yaml::load(&f.current_text()).documents {
                if let Some(root) = doc.root.filter(|r| r.as_map().is_some()) {
                    out.push(Object::keda_values(&root, id, doc.index, &format!("values file `{vf}` of an Argo CD Application")));
                }
            }
        }
    }
    out
}

/// Every active object rule over every object of `index`, in parallel, namespace batch by
/// namespace batch (see the module docs). Findings come back in object order.
fn check_objects(index: &mut RepoIndex, active: &[(&dyn rules::Rule, Severity)], config: &Config) -> Vec<Diagnostic> {
    crate::progress::expect(index.objects.len());
    let clock = crate::timings::RuleClock::new(active.len());
    // The rules for each kind, worked out once rather than by asking all rules for every object.
    let mut for_kind: HashMap<crate::model::Kind, Vec<usize>> = HashMap::new();
    for (i, (rule, _)) in active.iter().enumerate() {
        for kind in rule.meta().kinds {
            let rules = for_kind.entry(*kind).or_default();
            if rules.last() != Some(&i) {
                rules.push(i);
            }
        }
    }
    let check = |index: &RepoIndex, obj: &Object| {
        crate::progress::tick();
        let mut out = Vec::new();
        for &i in for_kind.get(&obj.kind).into_iter().flatten() {
            let (rule, severity) = &active[i];
            let mut cx = RuleContext::new(index, config);
            clock.time(i, || rule.check(obj, &mut cx));
            for mut d in cx.into_diagnostics() {
                d.rule = rule.meta().name;
                d.severity = if d.admitted { severity.lower() } else { *severity };
                out.push(d);
            }
        }
        out
    };
    // Findings tagged with their object's id, collected flat: a Vec per object kept its growth
    // slack (480 bytes for an object with one finding, 24 MB at 50,000 workloads).
    let mut found: Vec<(ObjectId, Diagnostic)> = Vec::new();
    let mut shared = crate::diagnostic::TextShare::default();
    let (mut attaching, mut detaching) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    crate::timings::phase("rules", || {
        for batch in batches(&index.objects) {
            let t = std::time::Instant::now();
            // Every object gets its tree back, whichever rules are on: a rule may read the trees
            // of other objects in its namespace (a LimitRange's defaults, a Deployment's pods),
            // and giving back only the kinds the enabled rules check made one rule's verdict
            // depend on which others ran (tests/isolation.rs). With every rule on, as by
            // default, this is no more than before: `duplicate-object` checks every kind.
            let detached: Vec<ObjectId> = batch.iter().copied().filter(|id| index.objects[*id].tree_detached).collect();
            let texts: HashMap<FileId, std::sync::Arc<String>> = index.attach_trees(&detached).into_iter().collect();
            attaching += t.elapsed();
            let index_ref = &*index;
            let before = found.len();
            found.par_extend(batch.par_iter().flat_map_iter(|id| check(index_ref, index_ref.object(*id)).into_iter().map(|d| (*id, d))));
            // A batch's findings share their texts with all found before, at once: left for the
            // end, every copy would be alive until then.
            found[before..].iter_mut().for_each(|(_, d)| shared.share_texts(d));
            // Line and column while the batch's texts are at hand, rather than reading the
            // files once more at the end (a tenth of a 50,000-workload run).
            found[before..].par_chunk_by_mut(|a, b| a.1.file() == b.1.file()).for_each(|run| {
                let id = run[0].1.file();
                if let Some(text) = texts.get(&id) {
                    let file = SourceFile::shared(PathBuf::new(), text.clone());
                    fill_labels(&file, id, &mut run.iter_mut().flat_map(|(_, d)| d.labels.iter_mut()));
                }
            });
            let t = std::time::Instant::now();
            index.detach_trees(&detached);
            detaching += t.elapsed();
        }
    });
    crate::timings::note(&format!("rules: {:.1} ms parsing batches again, {:.1} ms dropping their trees", attaching.as_secs_f64() * 1e3, detaching.as_secs_f64() * 1e3));
    clock.report(|i| active[i].0.meta().name);
    // Stable: an object's findings keep the order its rules made them in.
    found.sort_by_key(|(id, _)| *id);
    found.into_iter().map(|(_, d)| d).collect()
}

/// Objects to check together, each batch in id order: first the objects held throughout, then
/// whole namespaces, small ones sharing a batch so that every batch has work for every core.
fn batches(objects: &[Object]) -> Vec<Vec<ObjectId>> {
    /// Objects per batch (more when one namespace has more): ~10 MB of trees at the benchmarks'.
    const BATCH: usize = 4096;
    let mut held = Vec::new();
    let mut by_namespace: std::collections::BTreeMap<&str, Vec<ObjectId>> = std::collections::BTreeMap::new();
    for o in objects {
        match o.held_throughout() {
            true => held.push(o.id),
            false => by_namespace.entry(&o.namespace).or_default().push(o.id),
        }
    }
    let mut namespaced: Vec<Vec<ObjectId>> = Vec::new();
    for ids in by_namespace.into_values() {
        match namespaced.last_mut() {
            Some(last) if last.len() < BATCH => last.extend(ids),
            _ => namespaced.push(ids),
        }
    }
    namespaced.iter_mut().for_each(|b| b.sort_unstable());
    let held = (!held.is_empty()).then_some(held);
    held.into_iter().chain(namespaced).collect()
}

/// Files findings point into without being linted themselves (templates, Chart.yaml, patches),
/// added to the index on first use. Read as paths from input are (see [`crate::files`]): only a
/// regular file within the size limit, and inside its owner's directory when one is given.
struct AuxFiles {
    by_path: HashMap<PathBuf, FileId>,
    max_size: u64,
    /// Each (path, owner) asked for once: a chart's findings ask for the same templates often.
    verdicts: HashMap<(PathBuf, Option<PathBuf>), Result<FileId, NotFollowed>>,
}

/// Why a finding could not be moved to the file its render names.
#[derive(Clone)]
enum NotFollowed {
    /// The file is not there (a subchart packaged as a .tgz): nothing to say.
    Missing,
    /// kedalint refused to open it: the finding says so.
    Refused(String),
}

impl AuxFiles {
    fn new(index: &RepoIndex, max_size: u64) -> AuxFiles {
        AuxFiles { by_path: index.files.iter().enumerate().map(|(i, f)| (f.path.clone(), i)).collect(), max_size, verdicts: HashMap::new() }
    }

    fn get(&mut self, path: &std::path::Path, within: Option<&std::path::Path>, index: &mut RepoIndex) -> Result<FileId, NotFollowed> {
        let key = (path.to_owned(), within.map(std::path::Path::to_owned));
        if let Some(verdict) = self.verdicts.get(&key) {
            return verdict.clone();
        }
        let verdict = self.open(path, within, index);
        self.verdicts.insert(key, verdict.clone());
        verdict
    }

    fn open(&mut self, path: &std::path::Path, within: Option<&std::path::Path>, index: &mut RepoIndex) -> Result<FileId, NotFollowed> {
        let meta = std::fs::metadata(path).map_err(|_| NotFollowed::Missing)?;
        if let Some(root) = within {
            crate::files::contained(path, root).map_err(NotFollowed::Refused)?;
        }
        // Before the linted files are looked at: a FIFO the walk reported is in the index too.
        if !meta.is_file() {
            return Err(NotFollowed::Refused("not a regular file".into()));
        }
        if let Some(id) = self.by_path.get(path) {
            return Ok(*id);
        }
        let text = crate::files::read_regular_text(path, self.max_size).map_err(NotFollowed::Refused)?;
        index.files.push(SourceFile::new(path.to_owned(), text));
        let id = index.files.len() - 1;
        self.by_path.insert(path.to_owned(), id);
        Ok(id)
    }
}

/// A rendering step's finding, at the line:column the tool named or the file's first line.
fn note_diagnostic(n: RenderNote, aux: &mut AuxFiles, index: &mut RepoIndex) -> Diagnostic {
    let file = aux.get(&n.path, None, index).unwrap_or_else(|_| {
        index.files.push(SourceFile::new(n.path.clone(), ""));
        index.files.len() - 1
    });
    let f = index.files[file].with_text();
    let span = match n.at {
        Some((line, col)) => {
            let start = f.line_start(line);
            let at = f.line_text(line).char_indices().nth(col.saturating_sub(1)).map_or(start, |(b, _)| start + b);
            at..start + f.line_text(line).len()
        }
        None => 0..f.line_text(1).len(),
    };
    let mut d = finding(n.rule, file, span, n.label, n.message);
    d.help = n.help.map(Into::into);
    d.note = n.note.map(Into::into);
    d
}

/// Move findings in rendered text to the files they came from (the rendered place stays as a
/// related label), and merge the copies that several variants produced, saying which variants
/// have a finding when not all do. Returns the findings, and secrets seen in rendered text paired
/// with the source files that now show them, to be masked there too.
fn attribute(diagnostics: Vec<Diagnostic>, metas: &[Option<RenderedMeta>], aux: &mut AuxFiles, index: &mut RepoIndex) -> (Vec<Diagnostic>, Vec<(FileId, String)>) {
    if metas.iter().all(Option::is_none) {
        return (diagnostics, Vec::new());
    }
    let mut objects_by_file: HashMap<FileId, Vec<(Span, String, String)>> = HashMap::new();
    for o in index.objects.iter().filter(|o| metas.get(o.file).is_some_and(Option::is_some)) {
        objects_by_file.entry(o.file).or_default().push((o.node.span.clone(), o.kind_str().to_owned(), o.name().to_owned()));
    }
    let mut secrets = Vec::new();
    for o in index.objects.iter().filter(|o| metas.get(o.file).is_some_and(Option::is_some)) {
        for s in &index.secrets[o.id] {
            secrets.push((o.file, index.files[o.file].text[s.span.clone()].to_owned()));
        }
    }
    // Where a label in rendered text came from; `Err` when the render names a file kedalint
    // refuses to open (the label then stays where it is, and the finding says why).
    let mut relocate = |label: &Label, index: &mut RepoIndex| -> Option<Result<(FileId, Span), String>> {
        let meta = metas.get(label.file)?.as_ref()?;
        let (_, kind, name) = objects_by_file.get(&label.file)?.iter().find(|(s, _, _)| s.start <= label.span.start && label.span.start <= s.end)?;
        let origin = origin::origin_of(&meta.attribution, label.span.start, kind, name)?;
        let open = |path: &std::path::Path, aux: &mut AuxFiles, index: &mut RepoIndex| match aux.get(path, origin.within.as_deref(), index) {
            Ok(id) => Some(Ok(id)),
            Err(NotFollowed::Missing) => None,
            Err(NotFollowed::Refused(why)) => Some(Err(format!("the render names `{}` as the source, which kedalint did not open: {why}", path.display()))),
        };
        // Sources may be files linted on their own too (a kustomize base), whose text was released.
        let rendered = index.files[label.file].current_text();
        for (path, range) in &origin.patches {
            let id = match open(path, aux, index)? {
                Ok(id) => id,
                Err(why) => return Some(Err(why)),
            };
            if let Some(span) = origin::find_line(&rendered, &label.span, &index.files[id].current_text(), range.clone()) {
                return Some(Ok((id, span)));
            }
        }
        let id = match open(&origin.path, aux, index)? {
            Ok(id) => id,
            Err(why) => return Some(Err(why)),
        };
        let text = index.files[id].current_text();
        let range = origin.range.clone().unwrap_or(0..text.len());
        let span = origin::find_line(&rendered, &label.span, &text, range.clone()).unwrap_or_else(|| origin::fallback_line(&text, range, kind));
        Some(Ok((id, span)))
    };

    // (rule, primary file, span, message) → index into `out`, and the variants seen.
    let mut merged: HashMap<(&'static str, FileId, Span, std::sync::Arc<str>), (usize, Vec<usize>)> = HashMap::new();
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    let mut qualifiers: Vec<Option<(usize, usize)>> = Vec::new();
    for mut d in diagnostics {
        let rendered_from = metas.get(d.file()).and_then(Option::as_ref).map(|m| &m.variant);
        let mut labels = Vec::with_capacity(d.labels.len() + 1);
        for l in std::mem::take(&mut d.labels) {
            match relocate(&l, index) {
                Some(Err(why)) => {
                    d.note = Some(match &d.note {
                        Some(n) if !n.contains(&why) => format!("{n}; {why}").into(),
                        Some(n) => n.clone(),
                        None => why.into(),
                    });
                    labels.push(l);
                }
                Some(Ok((file, span))) if l.primary => {
                    let as_rendered = match rendered_from {
                        Some(v) if v.of > 1 => format!("as rendered with {}", v.label),
                        _ => "as rendered".to_owned(),
                    };
                    labels.push(Label::new(file, span, l.text.clone(), true));
                    labels.push(Label { text: as_rendered.into(), primary: false, ..l });
                }
                Some(Ok((file, span))) => labels.push(Label { file, span, position: None, ..l }),
                None => labels.push(l),
            }
        }
        d.labels = labels;
        let Some(v) = rendered_from else {
            out.push(d);
            qualifiers.push(None);
            continue;
        };
        let p = d.primary_label();
        let key = (d.rule, p.file, p.span.clone(), d.message.clone());
        match merged.get_mut(&key) {
            Some((_, seen)) => seen.push(v.index),
            None => {
                merged.insert(key, (out.len(), vec![v.index]));
                qualifiers.push(Some((v.group, v.of)));
                out.push(d);
            }
        }
    }
    let labels_of_group: HashMap<(usize, usize), String> = metas.iter().flatten().map(|m| ((m.variant.group, m.variant.index), m.variant.label.clone())).collect();
    // Variants that failed to render have their own finding; "only with" counts the ones that rendered.
    let rendered_in_group = |group: usize| labels_of_group.keys().filter(|(g, _)| *g == group).count();
    for (_, (at, mut seen)) in merged {
        let Some((group, _)) = qualifiers[at] else { continue };
        seen.sort_unstable();
        seen.dedup();
        if seen.len() < rendered_in_group(group) {
            let which: Vec<&str> = seen.iter().filter_map(|i| labels_of_group.get(&(group, *i)).map(String::as_str)).collect();
            out[at].message = format!("{} (only with {})", out[at].message, which.join("; ")).into();
        }
    }
    (out, secrets)
}
