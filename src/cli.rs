//! The command line: `check`, `rules`, `explain`, `schema export`.
//!
//! Exit codes: 0 no error-level finding; 1 errors found (or warnings with `--deny warnings`);
//! 2 usage, configuration or I/O problem. Reports go to stdout; logs and the summary to stderr.

use crate::config::Config;
use crate::diagnostic::Severity;
use crate::engine::{self, Input};
use crate::report::{human::HumanReporter, json};
use crate::rules;
use crate::schema::validate::Schemas;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(name = "kedalint", version, about = "Lint KEDA ScaledObjects, ScaledJobs and TriggerAuthentications in a GitOps repository")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint files and directories (default `.`); `-` reads a manifest stream from stdin.
    Check(CheckArgs),
    /// List the rules.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
        format: RulesFormat,
        /// With `--format md`: write `<id>.md` for every rule and `README.md` into this directory, and
        /// `scalers/<type>.md` for every scaler.
        #[arg(long)]
        output_dir: Option<PathBuf>,
    },
    /// Print a rule's documentation, or with `scaler TYPE` what kedalint knows of a scaler's
    /// parameters.
    Explain {
        rule: String,
        /// The scaler type, after `scaler`.
        scaler: Option<String>,
    },
    /// Lint the live state of a cluster through the Kubernetes API (read-only), optionally with
    /// desired manifests (`--with`) in place of the live objects they would replace.
    Cluster(ClusterArgs),
    /// Show the cron windows of every workload and the floor of replicas they set.
    Schedule(ScheduleArgs),
    /// Show how the repository is read: its deployment units (Argo CD Applications and
    /// ApplicationSets, Flux Kustomizations and HelmReleases, `units:` in the configuration),
    /// their clusters, namespaces, paths and objects, and the files in no unit.
    Units(UnitsArgs),
    /// JSON Schemas of the KEDA kinds.
    Schema {
        #[command(subcommand)]
        command: SchemaCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum SchemaCommand {
    /// Write `<kind>.json` for ScaledObject, ScaledJob, TriggerAuthentication, ClusterTriggerAuthentication.
    Export { dir: PathBuf },
}

#[derive(clap::Args, Debug)]
pub struct ClusterArgs {
    /// Only this namespace (cluster-scoped kinds are read whole).
    #[arg(long, short = 'n', conflicts_with = "all_namespaces")]
    pub namespace: Option<String>,
    /// Every namespace (the default when no `--namespace` is given).
    #[arg(long, short = 'A')]
    pub all_namespaces: bool,
    /// The kubeconfig context (default: the current context, or the in-cluster service account).
    #[arg(long)]
    pub context: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// Desired manifests (files, directories, charts, or `-` for stdin) that replace the live
    /// objects with the same kind, namespace and name (repeatable).
    #[arg(long = "with", value_name = "PATH")]
    pub with: Vec<PathBuf>,
    /// Seconds to wait for the API server, per request.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Reports, configuration and rule selection: shared by `check` and `cluster`.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct ReportArgs {
    /// Output format; repeat it with `--output` for several reports in one run.
    #[arg(long, value_enum)]
    pub format: Vec<Format>,
    /// Where the report of the `--format` in the same position goes (default: stdout).
    #[arg(long)]
    pub output: Vec<PathBuf>,
    /// Print only the findings (no summary line).
    #[arg(long, short)]
    pub quiet: bool,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Exit 1 on warnings too.
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
    /// Configuration file (default: `.kedalint.yaml` found by walking up from the first path).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Turn on rules or categories (repeatable).
    #[arg(long)]
    pub select: Vec<String>,
    /// Turn off rules or categories (repeatable).
    #[arg(long)]
    pub ignore: Vec<String>,
    /// The KEDA version to judge against, e.g. `2.14` (overrides the configuration, and in
    /// `cluster` the version of the operator's image).
    #[arg(long)]
    pub keda_version: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ScheduleArgs {
    /// Files or directories; `-` for stdin.
    pub paths: Vec<PathBuf>,
    /// Start (RFC 3339 or YYYY-MM-DD, UTC); default: this week's Monday.
    #[arg(long)]
    pub from: Option<String>,
    /// End, exclusive; default: seven days after `--from`. At most 371 days (53 weeks) after
    /// `--from`: a longer range is refused.
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long, value_enum, default_value_t = ScheduleFormat::Text)]
    pub format: ScheduleFormat,
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct UnitsArgs {
    /// Files or directories (default `.`).
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = UnitsFormat::Text)]
    pub format: UnitsFormat,
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub render: RenderArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitsFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleFormat {
    Text,
    Json,
    Svg,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    Table,
    Json,
    Md,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
    Markdown,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ProgressChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deny {
    Warnings,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or directories; `-` for stdin.
    pub paths: Vec<PathBuf>,
    /// The name to report for stdin input.
    #[arg(long, default_value = "<stdin>")]
    pub stdin_filename: String,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Validate against these KEDA CRD files instead of the built-in KEDA 2.20 schemas (repeatable).
    #[arg(long)]
    pub crd: Vec<PathBuf>,
    #[command(flatten)]
    pub render: RenderArgs,
    /// Build the index from this directory (the repository) but report only findings that touch
    /// the files named as PATHS: what a pre-commit hook needs (repeatable).
    #[arg(long, value_name = "DIR")]
    pub context: Vec<PathBuf>,
    /// A progress bar on stderr: `auto` shows it when stderr is a terminal, the run takes more
    /// than a second, and no machine-readable report goes to stdout.
    #[arg(long, value_enum, default_value_t = ProgressChoice::Auto)]
    pub progress: ProgressChoice,
    /// With `-`: copy stdin to stdout unchanged when there is no error-level finding, and write
    /// the findings to stderr (an Argo CD Config Management Plugin's generate step).
    #[arg(long)]
    pub passthrough: bool,
}

/// How Helm charts and kustomizations are rendered before linting.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct RenderArgs {
    /// Lint charts and kustomizations without rendering them (charts are then skipped, with a note).
    #[arg(long)]
    pub no_render: bool,
    /// The helm executable (default: `helm` on PATH).
    #[arg(long, value_name = "PATH")]
    pub helm: Option<PathBuf>,
    /// A kustomize executable (default: `kustomize` on PATH, else `kubectl kustomize`).
    #[arg(long, value_name = "PATH")]
    pub kustomize: Option<PathBuf>,
    /// Helm release name for charts without one in the configuration (default: release-name).
    #[arg(long, value_name = "NAME")]
    pub release: Option<String>,
    /// Helm release namespace for charts without one in the configuration.
    #[arg(long, value_name = "NS")]
    pub namespace: Option<String>,
    /// A values file added to every render of every chart (repeatable, applied in order).
    #[arg(long = "values", short = 'f', value_name = "FILE")]
    pub values: Vec<PathBuf>,
    /// A Helm `--set key=value` added to every render (repeatable).
    #[arg(long, value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// A values file for the kedacore `keda` chart, checked as the KEDA install (repeatable).
    #[arg(long, value_name = "FILE")]
    pub keda_values: Vec<PathBuf>,
}

impl RenderArgs {
    fn options(&self) -> crate::render::RenderOptions {
        crate::render::RenderOptions {
            disabled: self.no_render,
            helm: self.helm.clone(),
            kustomize: self.kustomize.clone(),
            release: self.release.clone(),
            namespace: self.namespace.clone(),
            values: self.values.clone(),
            set: self.set.clone(),
            keda_values: self.keda_values.clone(),
        }
    }
}

pub fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(args) {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            eprintln!("kedalint: error: {msg}");
            ExitCode::from(2)
        }
    }
}

pub fn run(args: Args) -> Result<u8, String> {
    match args.command {
        Command::Check(c) => check(c),
        Command::Rules { format, output_dir } => list_rules(format, output_dir),
        Command::Schedule(a) => schedule(a),
        Command::Units(a) => units(a),
        Command::Cluster(a) => cluster(a),
        Command::Explain { rule, scaler: Some(ty) } if rule == "scaler" => match crate::scaler_docs::page(&ty) {
            Some(page) => {
                print!("{page}");
                Ok(0)
            }
            None => {
                let hint = crate::schema::validate::did_you_mean(&ty, crate::scaler_docs::documented());
                Err(format!("unknown scaler type `{ty}`{}", hint.map_or(String::new(), |h| format!("; did you mean `{h}`?"))))
            }
        },
        Command::Explain { rule, scaler: Some(_) } => Err(format!("`explain {rule}` takes no second argument (did you mean `explain scaler TYPE`?)")),
        Command::Explain { rule, scaler: None } => match rules::find(&rule) {
            Some(r) => {
                print!("{}", crate::docs::explain(r.meta()));
                Ok(0)
            }
            None => {
                let hint = crate::schema::validate::did_you_mean(&rule, rules::ALL.iter().map(|r| r.meta().name));
                Err(format!("unknown rule `{rule}`{}", hint.map_or(String::new(), |h| format!("; did you mean `{h}`?"))))
            }
        },
        Command::Schema { command: SchemaCommand::Export { dir } } => {
            let files = crate::schema::export(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            for f in files {
                eprintln!("wrote {}", f.display());
            }
            Ok(0)
        }
    }
}

fn list_rules(format: RulesFormat, output_dir: Option<PathBuf>) -> Result<u8, String> {
    match format {
        RulesFormat::Table => {
            println!("{:<28} {:<14} {:<8} SUMMARY", "RULE", "CATEGORY", "DEFAULT");
            for r in rules::ALL {
                let m = r.meta();
                println!("{:<28} {:<14} {:<8} {}", m.name, m.category.name(), m.category.default_severity().as_str(), m.summary);
            }
        }
        RulesFormat::Json => {
            let list: Vec<_> = rules::ALL
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({"name": m.name, "category": m.category.name(), "default_severity": m.category.default_severity().as_str(),
                        "summary": m.summary, "since": m.since, "sources": m.sources, "url": m.url()})
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&list).expect("serializes"));
        }
        RulesFormat::Md => match output_dir {
            Some(dir) => {
                std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                for r in rules::ALL {
                    let p = dir.join(format!("{}.md", r.meta().name));
                    std::fs::write(&p, crate::docs::page(r.meta())).map_err(|e| format!("{}: {e}", p.display()))?;
                }
                std::fs::write(dir.join("README.md"), crate::docs::index()).map_err(|e| e.to_string())?;
                let scalers = dir.join("scalers");
                std::fs::create_dir_all(&scalers).map_err(|e| format!("{}: {e}", scalers.display()))?;
                for ty in crate::scaler_docs::documented() {
                    let p = scalers.join(format!("{ty}.md"));
                    std::fs::write(&p, crate::scaler_docs::page(ty).unwrap_or_default()).map_err(|e| format!("{}: {e}", p.display()))?;
                }
                std::fs::write(scalers.join("README.md"), crate::scaler_docs::index()).map_err(|e| e.to_string())?;
            }
            None => print!("{}", crate::docs::index()),
        },
    }
    Ok(0)
}

fn load_config(c: &ReportArgs, paths: &[PathBuf]) -> Result<Config, String> {
    let path = match &c.config {
        Some(p) => Some(p.clone()),
        None => {
            let start = paths.iter().find(|p| p.as_os_str() != "-").cloned().unwrap_or_else(|| PathBuf::from("."));
            Config::discover(&start)
        }
    };
    let mut config = match path {
        Some(p) => Config::load(&p).map_err(|e| e.0)?,
        None => Config::default(),
    };
    config.apply_cli(&c.select, &c.ignore).map_err(|e| e.0)?;
    if let Some(v) = &c.keda_version {
        config.keda_version = crate::config::known_keda_version(v).map_err(|e| format!("`--keda-version`: {e}"))?;
    }
    Ok(config)
}

fn load_crds(paths: &[PathBuf]) -> Result<Schemas, String> {
    let mut crds = Vec::new();
    for p in paths {
        let text = crate::files::read_named(p, crate::config::DEFAULT_MAX_FILE_SIZE)
            .and_then(|(b, _)| String::from_utf8(b).map_err(|_| "not UTF-8 text".into()))
            .map_err(|e| format!("{}: {e}", p.display()))?;
        let loaded = crate::yaml::load(&text);
        if let Some(i) = loaded.issues.first() {
            return Err(format!("{}: {}", p.display(), i.message));
        }
        for d in loaded.documents.into_iter().filter_map(|d| d.root) {
            if d.get("kind").and_then(|k| k.text()) == Some("CustomResourceDefinition") {
                crds.push((p.display().to_string(), d));
            }
        }
    }
    if crds.is_empty() {
        return Err("`--crd` files hold no CustomResourceDefinition".into());
    }
    Schemas::from_crds(&crds)
}

fn check(c: CheckArgs) -> Result<u8, String> {
    let started = Instant::now();
    let paths = if c.paths.is_empty() { vec![PathBuf::from(".")] } else { c.paths.clone() };
    let config = load_config(&c.report, &paths)?;
    let owned_schemas;
    let schemas: &Schemas = if c.crd.is_empty() {
        crate::timings::phase("schemas", Schemas::builtin)
    } else {
        owned_schemas = load_crds(&c.crd)?;
        &owned_schemas
    };

    if c.passthrough {
        return passthrough(&c, &config, schemas, started);
    }
    formats(&c.report)?;
    // Never with a machine-readable report on stdout, whatever was asked.
    let machine_on_stdout = c.report.format.iter().skip(c.report.output.len()).any(|f| *f != Format::Human);
    let show = match c.progress {
        ProgressChoice::Never => false,
        ProgressChoice::Always => !machine_on_stdout,
        ProgressChoice::Auto => !machine_on_stdout && std::io::stderr().is_terminal(),
    };
    let _bar = show.then(|| crate::progress::Bar::start(std::time::Duration::from_secs(1)));
    let outcome = if c.context.is_empty() {
        lint(&paths, &config, &c.render.options(), schemas, &c.stdin_filename)?
    } else {
        lint_in_context(&paths, &c.context, &config, &c.render.options(), schemas)?
    };
    drop(_bar);
    let code = crate::timings::phase("report", || emit(&outcome, &c.report, started));
    // The process ends right after: freeing a large repository's trees one by one took longer
    // than checking them (0.2 s of 2 s at 10,000 workloads), and the OS reclaims it all at once.
    std::mem::forget(outcome);
    code
}

/// Write the reports `c` asks for, the summary line, and say whether the run failed.
/// Write a report straight into `--output FILE` or stdout through a buffer.
fn stream(to_file: Option<&PathBuf>, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), String> {
    let written = match to_file {
        Some(path) => std::fs::File::create(path).and_then(|f| {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
            write(&mut w)?;
            w.flush()
        }),
        None => {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            write(&mut w).and_then(|()| w.flush())
        }
    };
    written.map_err(|e| match to_file {
        Some(path) => format!("{}: {e}", path.display()),
        None => e.to_string(),
    })
}

/// The formats to write, once the `--format`/`--output` pairs make sense: checked before the
/// run, so that a mistake costs no lint.
fn formats(c: &ReportArgs) -> Result<Vec<Format>, String> {
    let formats = if c.format.is_empty() { vec![Format::Human] } else { c.format.clone() };
    if c.output.len() > formats.len() {
        return Err("each `--output` needs a `--format` before it".into());
    }
    if formats.len() - c.output.len() > 1 {
        return Err("only one `--format` can go to stdout; give the others an `--output FILE`".into());
    }
    for (i, out) in c.output.iter().enumerate() {
        if c.output[..i].contains(out) {
            return Err(format!("`--output {}` is given twice: each report needs its own file", out.display()));
        }
    }
    Ok(formats)
}

fn emit(outcome: &engine::Outcome, c: &ReportArgs, started: Instant) -> Result<u8, String> {
    let formats = formats(c)?;
    for (i, format) in formats.iter().enumerate() {
        let to_file = c.output.get(i);
        let text = match format {
            // JSON and SARIF stream into the output; the others are small enough to build first.
            Format::Json => {
                stream(to_file, |w| json::write(outcome, w))?;
                continue;
            }
            Format::Sarif => {
                stream(to_file, |w| crate::report::sarif::write(outcome, w))?;
                continue;
            }
            Format::Github => crate::report::github::render(outcome),
            Format::Junit => crate::report::junit::render(outcome),
            Format::Markdown => crate::report::markdown::render(outcome),
            Format::Human => {
                let color = to_file.is_none()
                    && match c.color {
                        ColorChoice::Always => true,
                        ColorChoice::Never => false,
                        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal(),
                    };
                let width = if color { terminal_width() } else { 100 };
                HumanReporter::new(color, width).render_all(&outcome.diagnostics, &outcome.index)
            }
        };
        match to_file {
            Some(path) => std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?,
            None => std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| e.to_string())?,
        }
    }
    let (errors, warnings, infos) = (outcome.count(Severity::Error), outcome.count(Severity::Warning), outcome.count(Severity::Info));
    print_notices(outcome);
    if !c.quiet {
        eprintln!(
            "kedalint: {} file(s), {} object(s): {errors} error(s), {warnings} warning(s), {infos} info(s) in {:.2}s",
            outcome.index.files.len(),
            outcome.index.objects.len(),
            started.elapsed().as_secs_f64()
        );
    }
    let failed = errors > 0 || (c.deny == Some(Deny::Warnings) && (warnings > 0 || !outcome.notices.is_empty()));
    Ok(u8::from(failed))
}

/// The run's own warnings (nothing to lint), on stderr whatever `--quiet` says.
fn print_notices(outcome: &engine::Outcome) {
    for n in &outcome.notices {
        eprintln!("kedalint: warning: {n}");
    }
}

/// Lint the `--context` directories (and the named files) as one repository, then keep only the
/// findings with a label in a named file: pre-commit passes the changed files, but cross-object
/// rules need the whole repository.
fn lint_in_context(named: &[PathBuf], context: &[PathBuf], config: &Config, render: &crate::render::RenderOptions, schemas: &Schemas) -> Result<engine::Outcome, String> {
    let mut paths = context.to_vec();
    paths.extend(named.iter().filter(|p| p.as_os_str() != "-").cloned());
    let mut outcome = crate::lint_paths_with(&paths, config, render, schemas, None)?;
    let canon = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned());
    let wanted: Vec<PathBuf> = named.iter().map(|p| canon(p)).collect();
    let keep: Vec<bool> = outcome.index.files.iter().map(|f| wanted.iter().any(|w| *w == canon(f.path()))).collect();
    outcome.diagnostics.retain(|d| d.labels.iter().any(|l| keep.get(l.file).copied().unwrap_or(false)));
    Ok(outcome)
}

/// `--passthrough`: lint stdin; the manifests go to stdout only when nothing is an error, the
/// findings always to stderr. Exit 1 (the sync is blocked) on errors.
fn passthrough(c: &CheckArgs, config: &Config, schemas: &Schemas, started: Instant) -> Result<u8, String> {
    if c.paths.len() != 1 || c.paths[0].as_os_str() != "-" {
        return Err("`--passthrough` reads the manifests from stdin: use `kedalint check --passthrough -`".into());
    }
    let buf = crate::files::read_stdin(config.max_file_size).map_err(|e| format!("stdin: {e}"))?;
    let input = Input::bytes(&c.stdin_filename, buf.clone());
    let mut outcome = engine::run(vec![input], config, schemas);
    if buf.iter().all(u8::is_ascii_whitespace) {
        outcome.notices.push(format!("`{}` (stdin) is empty: nothing was read from it", c.stdin_filename));
    }
    let text = HumanReporter::new(false, 100).render_all(&outcome.diagnostics, &outcome.index);
    eprint!("{text}");
    let errors = outcome.count(Severity::Error);
    print_notices(&outcome);
    let failed = errors > 0 || (c.report.deny == Some(Deny::Warnings) && (outcome.count(Severity::Warning) > 0 || !outcome.notices.is_empty()));
    if !c.report.quiet {
        eprintln!("kedalint: {} object(s): {errors} error(s), {} warning(s) in {:.2}s", outcome.index.objects.len(), outcome.count(Severity::Warning), started.elapsed().as_secs_f64());
    }
    if failed {
        return Ok(1);
    }
    std::io::stdout().lock().write_all(&buf).map_err(|e| e.to_string())?;
    Ok(0)
}

fn cluster(a: ClusterArgs) -> Result<u8, String> {
    let started = Instant::now();
    let start = a.with.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let mut config = load_config(&a.report, std::slice::from_ref(&start))?;
    formats(&a.report)?;
    let opts = crate::cluster::Options {
        namespace: a.namespace.clone(),
        context: a.context.clone(),
        kubeconfig: a.kubeconfig.clone(),
        timeout: std::time::Duration::from_secs(a.timeout),
        ..Default::default()
    };
    let snap = crate::cluster::snapshot(&opts)?;
    if let Some((version, image)) = &snap.keda_version
        && a.report.keda_version.is_none() {
            config.keda_version = *version;
            if !a.report.quiet {
                eprintln!("kedalint: judging against KEDA {}.{} (the operator runs {image})", version.0, version.1);
            }
        }
    let outcome = crate::cluster::lint(snap, &a.with, &config, Schemas::builtin())?;
    emit(&outcome, &a.report, started)
}

fn parse_day_or_time(s: &str) -> Result<i64, String> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp());
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc().timestamp())
        .map_err(|_| format!("`{s}` is not a date (YYYY-MM-DD) or an RFC 3339 time"))
}

fn schedule(a: ScheduleArgs) -> Result<u8, String> {
    let report = ReportArgs { config: a.config.clone(), ..Default::default() };
    let paths = if a.paths.is_empty() { vec![PathBuf::from(".")] } else { a.paths.clone() };
    let mut config = load_config(&report, &paths)?;
    let from = match &a.from {
        Some(f) => parse_day_or_time(f)?,
        None => crate::cron::analysis::horizon(config.reference()).0,
    };
    let to = match &a.to {
        Some(t) => parse_day_or_time(t)?,
        None => from + 7 * 86_400,
    };
    if to <= from {
        return Err("`--to` must be after `--from`".into());
    }
    // A year of a `*/2` trigger is already 262,000 windows; a century would be output no one
    // reads, so longer ranges are refused rather than cut short without a word.
    let max = crate::schedule::MAX_DAYS;
    if to - from > max * 86_400 {
        let days = (to - from) as f64 / 86_400.0;
        return Err(format!("`--from` to `--to` is {days:.0} days; `schedule` shows at most {max} days (53 weeks, the horizon of the cron rules): narrow the range"));
    }
    config.reference_time.get_or_insert(from);
    // The schedules are read from the ScaledObjects' trees after the run.
    config.keep_trees = true;
    let outcome = lint(&paths, &config, &Default::default(), Schemas::builtin(), "<stdin>")?;
    let schedules = crate::schedule::collect(&outcome, from, to);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match a.format {
        ScheduleFormat::Text => crate::schedule::text(&schedules, from, to, &mut out),
        ScheduleFormat::Json => crate::schedule::json(&schedules, &mut out),
        ScheduleFormat::Svg => crate::schedule::svg(&schedules, from, to, &mut out),
    }
    .and_then(|()| out.flush())
    .map_err(|e| e.to_string())?;
    Ok(0)
}

fn units(a: UnitsArgs) -> Result<u8, String> {
    let report = ReportArgs { config: a.config.clone(), ..Default::default() };
    let paths = if a.paths.is_empty() { vec![PathBuf::from(".")] } else { a.paths.clone() };
    let mut config = load_config(&report, &paths)?;
    // Only the reading matters here: no rule runs.
    for category in crate::rules::Category::ALL {
        config.categories.insert(category.name().to_owned(), crate::config::Level::Off);
    }
    config.rules.clear();
    let outcome = lint(&paths, &config, &a.render.options(), Schemas::builtin(), "<stdin>")?;
    let text = match a.format {
        UnitsFormat::Text => crate::units::show::text(&outcome),
        UnitsFormat::Json => crate::units::show::json(&outcome),
    };
    std::io::stdout().write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(0)
}

/// Discover, render and lint what the command line names (`-` is stdin).
fn lint(paths: &[PathBuf], config: &Config, render: &crate::render::RenderOptions, schemas: &Schemas, stdin_name: &str) -> Result<engine::Outcome, String> {
    let file_paths: Vec<PathBuf> = paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect();
    let stdin = paths.iter().any(|p| p.as_os_str() == "-").then(|| match crate::files::read_stdin(config.max_file_size) {
        Ok(buf) => Input::bytes(stdin_name, buf),
        Err(e) => Input::unreadable(stdin_name, e),
    });
    crate::lint_paths_with(&file_paths, config, render, schemas, stdin)
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(100)
}
