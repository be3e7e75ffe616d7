//! kedalint: a linter for GitOps repositories that hold KEDA objects.
//!
//! The crate is a library with a thin binary (`src/main.rs`). [`lint_paths`] and [`lint_str`] are
//! the entry points for embedding and tests; `cli` is the command line. See `README.md` for the
//! tour and `../shared/STYLE.md` for the shape this follows.

pub mod cli;
pub mod cluster;
pub mod config;
pub mod cron;
pub mod diagnostic;
pub mod docs;
pub mod discovery;
pub mod engine;
pub mod files;
pub mod expr;
pub mod index;
pub mod keda_chart;
pub mod model;
pub mod progress;
pub mod render;
pub mod report;
pub mod rules;
pub mod scaler_docs;
pub mod scalers;
pub mod secrets;
pub mod selector;
pub mod schedule;
pub mod schema;
pub mod source;
pub mod suppress;
#[doc(hidden)]
pub mod testing;
pub mod timeline;
pub mod timings;
pub mod units;
pub mod yaml;

pub use config::Config;
pub use diagnostic::{Diagnostic, Label, Severity};
pub use engine::{Content, Input, Outcome};

/// Where rule pages live (`rules/<id>.md` in this repository).
pub const REPOSITORY_URL: &str = "https://github.com/kedalint/kedalint/blob/main";

/// Lint files and directories as one repository with the built-in KEDA schemas, rendering Helm
/// charts and kustomizations with the tools on PATH.
pub fn lint_paths(paths: &[std::path::PathBuf], config: &Config) -> Result<Outcome, String> {
    lint_paths_with(paths, config, &render::RenderOptions::default(), schema::validate::Schemas::builtin(), None)
}

/// [`lint_paths`] with rendering options, schemas, and optionally stdin (`name`, bytes) as one more file.
pub fn lint_paths_with(
    paths: &[std::path::PathBuf],
    config: &Config,
    render_options: &render::RenderOptions,
    schemas: &schema::validate::Schemas,
    stdin: Option<Input>,
) -> Result<Outcome, String> {
    let base = config.path.as_ref().and_then(|p| p.parent()).map_or_else(|| std::path::PathBuf::from("."), |p| p.to_owned());
    let excludes = discovery::build_excludes(&config.exclude)?;
    let found = timings::phase("discover", || discovery::discover(paths, &excludes, &base));
    if let Some(m) = found.missing.first() {
        return Err(format!("{}: no such file or directory", m.display()));
    }
    // A file named twice (on its own and inside a named directory, or through a link) is read once.
    let files: Vec<std::path::PathBuf> = if found.may_repeat {
        use rayon::prelude::*;
        let resolved: Vec<std::path::PathBuf> = found.files.par_iter().map(|f| std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())).collect();
        let mut seen = std::collections::HashSet::new();
        found.files.into_iter().zip(resolved).filter(|(_, r)| seen.insert(r.clone())).map(|(f, _)| f).collect()
    } else {
        found.files
    };
    let mut notices = Vec::new();
    if files.is_empty() && found.problems.is_empty() && stdin.is_none() {
        let named = paths.iter().map(|p| format!("`{}`", p.display())).collect::<Vec<_>>().join(", ");
        notices.push(match found.excluded {
            0 => format!("no YAML or JSON files under {named}: nothing was linted"),
            n => format!("nothing was linted: every file under {named} is excluded ({n} file(s) or folder(s) left out by `exclude` globs or .gitignore)"),
        });
    }
    if let Some(Input { path, content: Content::Bytes(b) }) = &stdin
        && b.iter().all(u8::is_ascii_whitespace)
    {
        notices.push(format!("`{}` (stdin) is empty: nothing was read from it", path.display()));
    }
    let mut rendering = timings::phase("render", || render::render(files, config, render_options));
    rendering.repository = paths.first().map(|p| units::repository_root(p));
    let plain = std::mem::take(&mut rendering.plain);
    // Read as they are parsed, in parallel: reading them all first held every text at once.
    let mut inputs: Vec<Input> = plain.into_iter().map(|p| Input::file(p, config.max_file_size)).collect();
    inputs.extend(found.problems.into_iter().map(|(path, why)| Input::unreadable(path, why)));
    inputs.extend(stdin);
    let mut outcome = engine::run_rendered(inputs, rendering, config, schemas);
    outcome.notices = notices;
    Ok(outcome)
}

/// Lint one in-memory text as if it were a file named `name`.
pub fn lint_str(name: &str, text: &str, config: &Config) -> Outcome {
    let input = Input::bytes(name, text.as_bytes().to_vec());
    engine::run(vec![input], config, schema::validate::Schemas::builtin())
}
