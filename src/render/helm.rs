//! Helm charts: found by their `Chart.yaml`, rendered with `helm template`.
//!
//! Each chart is rendered once per values set: the configuration's `charts[].values` matrix, or
//! the chart's defaults, with `--values` / `--set` from the command line added to every render.
//! A chart whose `Chart.yaml` declares dependencies missing from `charts/` is copied to a
//! temporary directory and `helm dependency build` runs there, so that linting never writes into
//! the repository; when that needs a network the machine does not have, the finding says so.

use super::{run_tool, Attribution, RenderNote, RenderOptions, Rendered, Rendering, Variant};
use crate::config::{ChartConfig, Config};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Chart directories among the discovered files: each directory holding a `Chart.yaml`, except
/// charts inside another chart (subcharts render with their parent).
pub fn find_charts(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "Chart.yaml"))
        .filter_map(|f| f.parent().map(Path::to_owned))
        .collect();
    roots.sort();
    let mut out: Vec<PathBuf> = Vec::new();
    for r in roots {
        if !out.iter().any(|o| r.starts_with(o)) {
            out.push(r);
        }
    }
    out
}

/// One `helm template` invocation.
struct Job<'a> {
    chart: &'a Path,
    release: String,
    namespace: Option<String>,
    values: Vec<PathBuf>,
    set: Vec<String>,
    variant: Variant,
}

/// The configuration entry for `chart`, matched by canonical path.
fn config_for<'c>(chart: &Path, config: &'c Config) -> Option<&'c ChartConfig> {
    let canon = std::fs::canonicalize(chart).ok()?;
    config.charts.iter().find(|c| std::fs::canonicalize(&c.path).is_ok_and(|p| p == canon))
}

fn jobs_for<'a>(chart: &'a Path, config: &Config, opts: &RenderOptions, group: usize) -> Vec<Job<'a>> {
    let entry = config_for(chart, config);
    let matrix: Vec<Vec<PathBuf>> = match entry {
        Some(e) if !e.values.is_empty() => e.values.iter().map(|set| set.iter().map(|v| chart.join(v)).collect()).collect(),
        _ => vec![Vec::new()],
    };
    let of = matrix.len();
    matrix
        .into_iter()
        .enumerate()
        .map(|(index, mut values)| {
            values.extend(opts.values.iter().cloned());
            let label = if values.is_empty() {
                "default values".to_owned()
            } else {
                values.iter().map(|v| format!("-f {}", v.strip_prefix(chart).unwrap_or(v).display())).collect::<Vec<_>>().join(" ")
            };
            let mut set = entry.map(|e| e.set.clone()).unwrap_or_default();
            set.extend(opts.set.iter().cloned());
            Job {
                chart,
                release: entry.and_then(|e| e.release.clone()).or_else(|| opts.release.clone()).unwrap_or_else(|| "release-name".into()),
                namespace: entry.and_then(|e| e.namespace.clone()).or_else(|| opts.namespace.clone()),
                values,
                set,
                variant: Variant { group, index, of, label },
            }
        })
        .collect()
}

/// The text of the chart's `Chart.yaml` (a regular file within the size limit).
fn chart_yaml(chart: &Path) -> Option<String> {
    crate::files::read_regular_text(&chart.join("Chart.yaml"), crate::config::DEFAULT_MAX_FILE_SIZE).ok()
}

/// The chart's name from `Chart.yaml` (it prefixes every `# Source:` path), else the directory's.
fn chart_name(chart: &Path) -> String {
    let text = chart_yaml(chart).unwrap_or_default();
    crate::yaml::load(&text)
        .documents
        .into_iter()
        .find_map(|d| d.root)
        .and_then(|r| r.get("name").and_then(|n| n.text()).map(|s| s.trim().to_owned()))
        .unwrap_or_else(|| chart.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())
}

/// The values key of a `keda` dependency (its alias, else `keda`), when `Chart.yaml` declares one.
pub fn keda_dependency_key(chart: &Path) -> Option<String> {
    let text = chart_yaml(chart)?;
    let root = crate::yaml::load(&text).documents.into_iter().find_map(|d| d.root)?;
    root.get("dependencies")?.as_seq()?.iter().find(|d| d.get("name").and_then(|n| n.text()) == Some("keda")).map(|d| {
        d.get("alias").and_then(|a| a.text()).unwrap_or("keda").to_owned()
    })
}

/// Dependencies declared in `Chart.yaml` that `charts/` does not hold (as `<name>-*.tgz` or a
/// `<name>/` directory).
fn missing_dependencies(chart: &Path) -> Vec<String> {
    let text = chart_yaml(chart).unwrap_or_default();
    let Some(root) = crate::yaml::load(&text).documents.into_iter().find_map(|d| d.root) else { return Vec::new() };
    let names: Vec<String> =
        root.get("dependencies").and_then(|d| d.as_seq()).unwrap_or_default().iter().filter_map(|d| d.get("name").and_then(|n| n.text()).map(str::to_owned)).collect();
    let present: Vec<String> = std::fs::read_dir(chart.join("charts"))
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.into_iter().filter(|n| !present.iter().any(|p| p == n || (p.starts_with(&format!("{n}-")) && p.ends_with(".tgz")))).collect()
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let ty = entry.file_type()?;
        if ty.is_dir() {
            if entry.file_name() != ".git" {
                copy_dir(&entry.path(), &target)?;
            }
        } else if ty.is_file() || std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()) {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// In the scratch copy's `Chart.yaml`, make `file://` repositories absolute: relative ones are
/// relative to the original chart, which the copy no longer sits beside.
fn absolute_file_repositories(chart: &Path, chart_yaml: &Path) -> std::io::Result<()> {
    let text = std::fs::read_to_string(chart_yaml)?;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.find("file://") {
            Some(at) if !line[at + 7..].starts_with('/') => {
                let rel: String = line[at + 7..].chars().take_while(|c| !c.is_whitespace() && *c != '"' && *c != '\'').collect();
                let abs = std::fs::canonicalize(chart.join(&rel)).unwrap_or_else(|_| chart.join(&rel));
                out.push_str(&line[..at + 7]);
                out.push_str(&abs.to_string_lossy());
                out.push_str(&line[at + 7 + rel.len()..]);
            }
            _ => out.push_str(line),
        }
    }
    std::fs::write(chart_yaml, out)
}

fn note(rule: &'static str, path: PathBuf, message: String) -> RenderNote {
    let label = if rule == "render-failed" { "rendering failed" } else { "not rendered" };
    RenderNote { rule, path, at: None, label, message, help: None, note: None }
}

/// Render every chart; successes and findings go into `out`.
pub fn render_all(charts: &[PathBuf], config: &Config, opts: &RenderOptions, next_group: &mut usize, out: &mut Rendering) {
    if charts.is_empty() {
        return;
    }
    let helm = if opts.disabled { Err("rendering is off (`--no-render`)".to_owned()) } else { find_helm(opts.helm.as_deref()) };
    let helm = match helm {
        Ok(h) => h,
        Err(why) => {
            for chart in charts {
                let mut n = note("render-skipped", chart.join("Chart.yaml"), format!("chart `{}` was not rendered: {why}", chart.display()));
                n.help = Some(if opts.disabled {
                    "drop `--no-render` to lint the chart's templates".into()
                } else {
                    "install helm or pass `--helm PATH`; until then the chart's templates are not linted".into()
                });
                out.notes.push(n);
            }
            return;
        }
    };
    let jobs: Vec<Vec<Job>> = charts
        .iter()
        .map(|c| {
            let j = jobs_for(c, config, opts, *next_group);
            *next_group += 1;
            j
        })
        .collect();
    let results: Vec<Vec<Result<Rendered, RenderNote>>> = jobs.par_iter().map(|chart_jobs| render_chart(&helm, chart_jobs, config.max_file_size)).collect();
    for r in results.into_iter().flatten() {
        match r {
            Ok(rendered) => out.rendered.push(rendered),
            Err(n) => out.notes.push(n),
        }
    }
}

fn find_helm(explicit: Option<&Path>) -> Result<PathBuf, String> {
    match explicit {
        Some(p) if p.is_file() => Ok(p.to_owned()),
        Some(p) => Err(format!("`--helm {}` does not exist", p.display())),
        None => super::which("helm").ok_or_else(|| "`helm` is not on PATH".to_owned()),
    }
}

fn render_chart(helm: &Path, jobs: &[Job], max: u64) -> Vec<Result<Rendered, RenderNote>> {
    let Some(first) = jobs.first() else { return Vec::new() };
    let chart = first.chart;
    let name = chart_name(chart);
    // Keep the temporary copy alive until every variant is rendered.
    let mut _scratch = None;
    let mut render_from = chart.to_owned();
    let missing = missing_dependencies(chart);
    if !missing.is_empty() {
        let prepared = tempfile::tempdir().map_err(|e| e.to_string()).and_then(|dir| -> Result<_, String> {
            let copy = dir.path().join(&name);
            copy_dir(chart, &copy).map_err(|e| e.to_string())?;
            absolute_file_repositories(chart, &copy.join("Chart.yaml")).map_err(|e| e.to_string())?;
            run_tool(Command::new(helm).arg("dependency").arg("build").arg(&copy), max)?;
            Ok((dir, copy))
        });
        match prepared {
            Ok((dir, copy)) => {
                _scratch = Some(dir);
                render_from = copy;
            }
            Err(msg) => {
                let mut n = note(
                    "render-failed",
                    chart.join("Chart.yaml"),
                    format!("chart `{}` needs `helm dependency build` for {}, which failed: {}", chart.display(), missing.join(", "), first_line(&msg)),
                );
                n.help = Some("run `helm dependency build` where the chart repositories are reachable and commit charts/, or vendor the dependencies".into());
                n.note = Some(msg);
                return vec![Err(n)];
            }
        }
    }
    jobs.iter()
        .map(|job| {
            let mut cmd = Command::new(helm);
            cmd.arg("template").arg(&job.release).arg(&render_from);
            if let Some(ns) = &job.namespace {
                cmd.arg("--namespace").arg(ns);
            }
            for v in &job.values {
                cmd.arg("--values").arg(v);
            }
            for s in &job.set {
                cmd.arg("--set").arg(s);
            }
            let display = format!("{} [helm template, {}]", chart.display(), job.variant.label);
            match run_tool(&mut cmd, max) {
                Ok(text) => Ok(Rendered {
                    path: PathBuf::from(display),
                    attribution: Attribution::SourceComments { chart: chart.to_owned(), comments: source_comments(&text, &name, chart) },
                    text,
                    root: chart.to_owned(),
                    default_namespace: job.namespace.clone(),
                    variant: job.variant.clone(),
                }),
                Err(msg) => {
                    let (path, at) = failing_template(&msg, &name, chart).map_or((chart.join("Chart.yaml"), None), |(p, lc)| (p, Some(lc)));
                    let only = if job.variant.of > 1 { format!(" with {}", job.variant.label) } else { String::new() };
                    let mut n = note("render-failed", path, format!("`helm template` failed for chart `{}`{only}: {}", chart.display(), first_line(&msg)));
                    n.at = at;
                    n.help = Some("fix the template or the values; run `helm template` on the chart to see the same error".into());
                    n.note = (msg.lines().count() > 1).then(|| msg.clone());
                    Err(n)
                }
            }
        })
        .collect()
}

/// Helm's message on one line (it wraps "where" and "what" over several), without `Error: `.
fn first_line(msg: &str) -> String {
    let joined = msg.split_whitespace().collect::<Vec<_>>().join(" ");
    let joined = joined.strip_prefix("Error: ").unwrap_or(&joined);
    if joined.chars().count() > 400 { format!("{}…", joined.chars().take(400).collect::<String>()) } else { joined.to_owned() }
}

/// `(offset, template path on disk)` for every `# Source: <chart>/<path>` line of the output.
fn source_comments(text: &str, name: &str, chart: &Path) -> Vec<(usize, PathBuf)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(src) = line.strip_prefix("# Source: ") {
            let src = src.trim_end();
            let rel = src.strip_prefix(name).and_then(|r| r.strip_prefix('/')).unwrap_or(src);
            out.push((offset, chart.join(rel)));
        }
        offset += line.len();
    }
    out
}

/// The template and line:column helm's error names, e.g. `app/templates/so.yaml:12:5`.
fn failing_template(msg: &str, name: &str, chart: &Path) -> Option<(PathBuf, (usize, usize))> {
    let prefix = format!("{name}/");
    let mut rest = msg;
    while let Some(at) = rest.find(&prefix) {
        let candidate: String = rest[at..].chars().take_while(|c| !c.is_whitespace() && !matches!(c, ')' | '"' | '\'' | '>')).collect();
        rest = &rest[at + prefix.len()..];
        let mut parts = candidate.splitn(3, ':');
        let (Some(file), Some(line)) = (parts.next(), parts.next()) else { continue };
        let Ok(line) = line.parse::<usize>() else { continue };
        let col = parts.next().and_then(|c| c.trim_end_matches(':').parse().ok()).unwrap_or(1);
        // Helm's message can say anything a template `fail`s with: only a regular file inside
        // the chart is taken (the finding is shown with its lines).
        let path = chart.join(&file[prefix.len()..]);
        if crate::files::contained(&path, chart).is_ok_and(|p| p.is_file()) {
            return Some((path, (line, col)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_comments_map_to_the_chart_directory() {
        let text = "---\n# Source: app/templates/a.yaml\nkind: A\n---\n# Source: app/charts/sub/templates/b.yaml\nkind: B\n";
        let got = source_comments(text, "app", Path::new("repo/chart"));
        assert_eq!(got, vec![(4, PathBuf::from("repo/chart/templates/a.yaml")), (47, PathBuf::from("repo/chart/charts/sub/templates/b.yaml"))]);
        assert_eq!(&text[47..57], "# Source: ");
    }

    /// Helm's message says whatever a template `fail`s with: a path in it that leaves the chart
    /// is not taken, whether it exists or not.
    #[test]
    fn failing_templates_stay_inside_the_chart() {
        let dir = tempfile::tempdir().unwrap();
        let chart = dir.path().join("chart");
        std::fs::create_dir_all(chart.join("templates")).unwrap();
        std::fs::write(chart.join("templates/so.yaml"), "kind: A\n").unwrap();
        std::fs::write(dir.path().join("token"), "secret\n").unwrap();
        let msg = "Error: execution error at (app/../token:1:1): app/../token:1:1";
        assert_eq!(failing_template(msg, "app", &chart), None);
        let msg = "Error: app/templates/so.yaml:1:3: executing";
        assert_eq!(failing_template(msg, "app", &chart).map(|(_, lc)| lc), Some((1, 3)));
    }

    #[test]
    fn nested_charts_render_with_their_parent() {
        let files = ["a/Chart.yaml", "a/charts/b/Chart.yaml", "c/Chart.yaml", "c/x.yaml"].map(PathBuf::from);
        assert_eq!(find_charts(&files), vec![PathBuf::from("a"), PathBuf::from("c")]);
    }
}
