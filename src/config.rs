//! `.kedalint.yaml`: per-rule and per-category levels, excludes, KEDA version, default namespace.
//!
//! Read with the same spanned YAML reader as manifests, so a config error says where it is.
//! Unknown keys, rule names and category names are errors with "did you mean". Precedence, lowest
//! first: category default → `categories` → `rules` → `--select` / `--ignore` on the command line.

use crate::diagnostic::Severity;
use crate::rules::{self, Category};
use crate::schema::validate::did_you_mean;
use crate::source::SourceFile;
use crate::yaml::{self, Node};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = ".kedalint.yaml";
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "off" => Level::Off,
            "info" => Level::On(Severity::Info),
            "warn" | "warning" => Level::On(Severity::Warning),
            "error" => Level::On(Severity::Error),
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub rules: HashMap<String, Level>,
    pub categories: HashMap<String, Level>,
    pub exclude: Vec<String>,
    /// (major, minor) of the KEDA release to judge against.
    pub keda_version: (u32, u32),
    pub default_namespace: String,
    pub max_file_size: u64,
    /// Where the configuration was read from, if anywhere.
    pub path: Option<PathBuf>,
    /// The instant time-based analyses start from (cron windows); now when unset.
    pub reference_time: Option<i64>,
    /// Helm charts to render, with their values matrix (`charts:`).
    pub charts: Vec<ChartConfig>,
    /// Keep every object's tree in [`crate::engine::Outcome`] (for code that reads trees after a
    /// run, e.g. the cluster check's field paths). Off by default: the engine then holds a
    /// namespaced object's tree only while its namespace is checked. Not a configuration key.
    pub keep_trees: bool,
    /// `units:`: deployment units declared or overridden, and this repository's URLs.
    pub units: UnitsConfig,
}

/// `units:` in `.kedalint.yaml` (see [`crate::units`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitsConfig {
    /// `repo-urls`: this repository's URLs; Argo CD sources with another `repoURL` are not read.
    pub repo_urls: Vec<String>,
    /// `declare`: units to add, or to override discovered ones with the same name.
    pub declare: Vec<UnitConfig>,
}

/// One `units.declare` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitConfig {
    pub name: String,
    /// Repository-relative directories, each with everything below it.
    pub paths: Vec<String>,
    pub cluster: Option<String>,
    pub namespace: Option<String>,
}

/// One `charts:` entry: how to render a chart. `values` paths are relative to the chart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartConfig {
    /// The chart directory, resolved against the configuration file's directory.
    pub path: PathBuf,
    pub release: Option<String>,
    pub namespace: Option<String>,
    /// Each inner list is one render: `-f` files in order.
    pub values: Vec<Vec<PathBuf>>,
    pub set: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rules: HashMap::new(),
            categories: HashMap::new(),
            exclude: Vec::new(),
            keda_version: (2, 20),
            default_namespace: "default".into(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            path: None,
            reference_time: None,
            charts: Vec::new(),
            keep_trees: false,
            units: UnitsConfig::default(),
        }
    }
}

const KEYS: [&str; 9] = ["rules", "categories", "exclude", "keda-version", "default-namespace", "max-file-size", "reference-time", "charts", "units"];
const UNITS_KEYS: [&str; 2] = ["repo-urls", "declare"];
const UNIT_KEYS: [&str; 4] = ["name", "paths", "cluster", "namespace"];
const CHART_KEYS: [&str; 5] = ["path", "release", "namespace", "values", "set"];

/// A configuration error, with its place in the file when it has one.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The newest KEDA release whose behaviour kedalint models (its schemas, scalers and webhooks).
pub const LATEST_KEDA: (u32, u32) = (2, 20);

/// A KEDA version to judge against, as `--keda-version` and `keda-version:` take it: 2.x up to
/// the newest release kedalint models. A later one would be judged as if it were that one
/// without saying so; a typo (`2.200`) would silently switch every version-dependent rule.
pub fn known_keda_version(s: &str) -> Result<(u32, u32), String> {
    match parse_keda_version(s) {
        Some(v @ (2, minor)) if minor <= LATEST_KEDA.1 => Ok(v),
        Some((2, _)) => Err(format!("KEDA `{s}` is newer than kedalint knows (up to {}.{}): judge against {0}.{1}, or update kedalint", LATEST_KEDA.0, LATEST_KEDA.1)),
        _ => Err(format!("a KEDA 2.x version such as \"2.20\" is expected, found `{s}`")),
    }
}

pub fn parse_keda_version(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().trim_start_matches('v');
    let mut parts = s.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().unwrap_or("0").parse().ok()?;
    Some((major, minor))
}

impl Config {
    /// Find `.kedalint.yaml` by walking up from `start` (a file or a directory).
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let abs = std::fs::canonicalize(start).ok()?;
        let mut dir = if abs.is_dir() { Some(abs.as_path()) } else { abs.parent() };
        while let Some(d) = dir {
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                return Some(candidate);
            }
            dir = d.parent();
        }
        None
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = crate::files::read_named(path, DEFAULT_MAX_FILE_SIZE)
            .and_then(|(b, _)| String::from_utf8(b).map_err(|_| "not UTF-8 text".into()))
            .map_err(|e| ConfigError(format!("{}: {e}", path.display())))?;
        let mut c = Config::parse(path, &text)?;
        c.path = Some(path.to_owned());
        Ok(c)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let file = SourceFile::new(path, text);
        let at = |n: &Node| {
            let lc = file.line_col(n.span.start);
            format!("{}:{}:{}", path.display(), lc.line, lc.column)
        };
        let loaded = yaml::load(text);
        if let Some(issue) = loaded.issues.first() {
            let lc = file.line_col(issue.span.start);
            return Err(ConfigError(format!("{}:{}:{}: {}", path.display(), lc.line, lc.column, issue.message)));
        }
        let mut config = Config::default();
        let mut documents = loaded.documents.into_iter().filter_map(|d| d.root);
        let Some(root) = documents.next() else { return Ok(config) };
        if let Some(second) = documents.next() {
            return Err(ConfigError(format!("{}: a second YAML document; the configuration is one document (merge the two)", at(&second))));
        }
        if root.is_null() {
            return Ok(config);
        }
        let entries = root.as_map().ok_or_else(|| ConfigError(format!("{}: the configuration must be a mapping", at(&root))))?;
        for e in entries {
            let key = e.key.text().unwrap_or_default();
            let v = &e.value;
            match key {
                "rules" => {
                    for r in v.as_map().ok_or_else(|| ConfigError(format!("{}: `rules` must map rule ids to levels", at(v))))? {
                        let name = r.key.text().unwrap_or_default();
                        if rules::find(name).is_none() {
                            let hint = did_you_mean(name, rules::ALL.iter().map(|r| r.meta().name)).map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                            return Err(ConfigError(format!("{}: unknown rule `{name}`{hint}", at(&r.key))));
                        }
                        config.rules.insert(name.to_owned(), level(&r.value, &at)?);
                    }
                }
                "categories" => {
                    for r in v.as_map().ok_or_else(|| ConfigError(format!("{}: `categories` must map categories to levels", at(v))))? {
                        let name = r.key.text().unwrap_or_default();
                        if Category::from_name(name).is_none() {
                            let hint = did_you_mean(name, Category::ALL.map(Category::name)).map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                            return Err(ConfigError(format!("{}: unknown category `{name}`{hint}", at(&r.key))));
                        }
                        config.categories.insert(name.to_owned(), level(&r.value, &at)?);
                    }
                }
                "exclude" => {
                    let items = v.as_seq().ok_or_else(|| ConfigError(format!("{}: `exclude` must be a list of globs", at(v))))?;
                    for i in items {
                        config.exclude.push(i.as_str().ok_or_else(|| ConfigError(format!("{}: an exclude glob must be a string", at(i))))?.to_owned());
                    }
                }
                "keda-version" => {
                    let t = v.text().unwrap_or_default();
                    config.keda_version = known_keda_version(t).map_err(|e| ConfigError(format!("{}: `keda-version`: {e}", at(v))))?;
                }
                "default-namespace" => {
                    config.default_namespace = v.as_str().ok_or_else(|| ConfigError(format!("{}: `default-namespace` must be a string", at(v))))?.to_owned();
                }
                "max-file-size" => {
                    config.max_file_size = v.as_i64().filter(|n| *n > 0).ok_or_else(|| ConfigError(format!("{}: `max-file-size` must be a positive number of bytes", at(v))))? as u64;
                }
                "reference-time" => {
                    let t = v.text().unwrap_or_default();
                    config.reference_time = Some(
                        chrono::DateTime::parse_from_rfc3339(t)
                            .map_err(|_| ConfigError(format!("{}: `reference-time` must be an RFC 3339 time such as \"2026-01-05T00:00:00Z\", found `{t}`", at(v))))?
                            .timestamp(),
                    );
                }
                "charts" => {
                    let base = path.parent().unwrap_or(Path::new(""));
                    for c in v.as_seq().ok_or_else(|| ConfigError(format!("{}: `charts` must be a list of {{path, values}} entries", at(v))))? {
                        config.charts.push(chart_entry(c, base, &at)?);
                    }
                }
                "units" => config.units = units_entry(v, &at)?,
                other => {
                    let hint = did_you_mean(other, KEYS).map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                    return Err(ConfigError(format!("{}: unknown configuration key `{other}`{hint}", at(&e.key))));
                }
            }
        }
        Ok(config)
    }

    /// Apply `--select` / `--ignore` (rule ids or category names).
    pub fn apply_cli(&mut self, select: &[String], ignore: &[String]) -> Result<(), ConfigError> {
        for (names, on) in [(select, true), (ignore, false)] {
            for name in names {
                if let Some(r) = rules::find(name) {
                    let lvl = if on { Level::On(r.meta().category.default_severity()) } else { Level::Off };
                    self.rules.insert(name.clone(), lvl);
                } else if let Some(c) = Category::from_name(name) {
                    let lvl = if on { Level::On(c.default_severity()) } else { Level::Off };
                    self.categories.insert(name.clone(), lvl);
                    self.rules.retain(|r, _| rules::find(r).is_some_and(|r| r.meta().category != c));
                } else {
                    let all = rules::ALL.iter().map(|r| r.meta().name).chain(Category::ALL.map(Category::name));
                    let hint = did_you_mean(name, all).map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                    return Err(ConfigError(format!("unknown rule or category `{name}`{hint}")));
                }
            }
        }
        Ok(())
    }

    /// The instant time-based analyses start from.
    pub fn reference(&self) -> i64 {
        self.reference_time.unwrap_or_else(|| chrono::Utc::now().timestamp())
    }

    /// The severity a rule reports at, or `None` when it is off.
    pub fn severity_of(&self, rule: &'static rules::RuleMeta) -> Option<Severity> {
        let level = self
            .rules
            .get(rule.name)
            .or_else(|| self.categories.get(rule.category.name()))
            .copied()
            .unwrap_or(Level::On(rule.category.default_severity()));
        match level {
            Level::Off => None,
            Level::On(s) => Some(s),
        }
    }
}

fn chart_entry(c: &Node, base: &Path, at: &dyn Fn(&Node) -> String) -> Result<ChartConfig, ConfigError> {
    let entries = c.as_map().ok_or_else(|| ConfigError(format!("{}: a `charts` entry must be a mapping with `path`", at(c))))?;
    let string = |n: &Node, what: &str| n.as_str().map(str::to_owned).ok_or_else(|| ConfigError(format!("{}: `{what}` must be a string", at(n))));
    let mut chart = ChartConfig::default();
    let mut has_path = false;
    for e in entries {
        let v = &e.value;
        match e.key.text().unwrap_or_default() {
            "path" => {
                chart.path = base.join(string(v, "path")?);
                has_path = true;
            }
            "release" => chart.release = Some(string(v, "release")?),
            "namespace" => chart.namespace = Some(string(v, "namespace")?),
            "set" => {
                for s in v.as_seq().ok_or_else(|| ConfigError(format!("{}: `set` must be a list of `key=value` strings", at(v))))? {
                    chart.set.push(string(s, "set")?);
                }
            }
            "values" => {
                let bad = || ConfigError(format!("{}: `values` must be a list of lists of values files, e.g. [[values-prod.yaml], [a.yaml, b.yaml]]", at(v)));
                for set in v.as_seq().ok_or_else(bad)? {
                    let files = set.as_seq().ok_or_else(bad)?;
                    chart.values.push(files.iter().map(|f| string(f, "values").map(PathBuf::from)).collect::<Result<_, _>>()?);
                }
            }
            other => {
                let hint = did_you_mean(other, CHART_KEYS).map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                return Err(ConfigError(format!("{}: unknown key `{other}` in a `charts` entry{hint}", at(&e.key))));
            }
        }
    }
    if !has_path {
        return Err(ConfigError(format!("{}: a `charts` entry needs `path`", at(c))));
    }
    Ok(chart)
}

fn units_entry(v: &Node, at: &dyn Fn(&Node) -> String) -> Result<UnitsConfig, ConfigError> {
    let string = |n: &Node, what: &str| n.as_str().map(str::to_owned).ok_or_else(|| ConfigError(format!("{}: `{what}` must be a string", at(n))));
    let strings = |n: &Node, what: &str| -> Result<Vec<String>, ConfigError> {
        n.as_seq().ok_or_else(|| ConfigError(format!("{}: `{what}` must be a list of strings", at(n))))?.iter().map(|i| string(i, what)).collect()
    };
    let unknown = |key: &Node, known: &[&str], place: &str| {
        let k = key.text().unwrap_or_default();
        let hint = did_you_mean(k, known.iter().copied()).map_or(String::new(), |s| format!("; did you mean `{s}`?"));
        ConfigError(format!("{}: unknown key `{k}` in {place}{hint}", at(key)))
    };
    let mut out = UnitsConfig::default();
    for e in v.as_map().ok_or_else(|| ConfigError(format!("{}: `units` must be a mapping with `repo-urls` and `declare`", at(v))))? {
        match e.key.text().unwrap_or_default() {
            "repo-urls" => out.repo_urls = strings(&e.value, "repo-urls")?,
            "declare" => {
                for u in e.value.as_seq().ok_or_else(|| ConfigError(format!("{}: `declare` must be a list of units", at(&e.value))))? {
                    let mut unit = UnitConfig::default();
                    for f in u.as_map().ok_or_else(|| ConfigError(format!("{}: a unit must be a mapping with `name` and `paths`", at(u))))? {
                        match f.key.text().unwrap_or_default() {
                            "name" => unit.name = string(&f.value, "name")?,
                            "paths" => unit.paths = strings(&f.value, "paths")?,
                            "cluster" => unit.cluster = Some(string(&f.value, "cluster")?),
                            "namespace" => unit.namespace = Some(string(&f.value, "namespace")?),
                            _ => return Err(unknown(&f.key, &UNIT_KEYS, "a unit")),
                        }
                    }
                    if unit.name.is_empty() {
                        return Err(ConfigError(format!("{}: a unit needs a `name`", at(u))));
                    }
                    out.declare.push(unit);
                }
            }
            _ => return Err(unknown(&e.key, &UNITS_KEYS, "`units`")),
        }
    }
    Ok(out)
}

fn level(n: &Node, at: &dyn Fn(&Node) -> String) -> Result<Level, ConfigError> {
    let t = n.text().unwrap_or_default();
    // `off` is a YAML 1.1 boolean; accept it as the level it obviously is.
    Level::parse(t).ok_or_else(|| ConfigError(format!("{}: level must be one of `off`, `info`, `warn`, `error`, found `{t}`", at(n))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_rules_say_where_and_suggest() {
        let e = Config::parse(Path::new(".kedalint.yaml"), "rule:\n  x: off\n").unwrap_err();
        assert!(e.0.contains(".kedalint.yaml:1:1") && e.0.contains("did you mean `rules`"), "{e}");
        let e = Config::parse(Path::new("c.yaml"), "rules:\n  unknown-feild: off\n").unwrap_err();
        assert!(e.0.contains("c.yaml:2:3") && e.0.contains("`unknown-field`"), "{e}");
    }

    #[test]
    fn levels_and_version() {
        let c = Config::parse(Path::new("c.yaml"), "rules: {unknown-field: warn}\nkeda-version: \"2.14\"\ndefault-namespace: apps\n").unwrap();
        assert_eq!(c.rules["unknown-field"], Level::On(Severity::Warning));
        assert_eq!(c.keda_version, (2, 14));
        assert_eq!(c.default_namespace, "apps");
    }

    #[test]
    fn chart_entries_resolve_against_the_config_directory() {
        let c = Config::parse(Path::new("repo/.kedalint.yaml"), "charts:\n  - path: charts/app\n    release: web\n    values: [[values-prod.yaml], [a.yaml, b.yaml]]\n    set: [image.tag=1]\n").unwrap();
        assert_eq!(c.charts[0].path, PathBuf::from("repo/charts/app"));
        assert_eq!(c.charts[0].values, vec![vec![PathBuf::from("values-prod.yaml")], vec![PathBuf::from("a.yaml"), PathBuf::from("b.yaml")]]);
        let e = Config::parse(Path::new("c.yaml"), "charts:\n  - path: x\n    value: []\n").unwrap_err();
        assert!(e.0.contains("c.yaml:3:5") && e.0.contains("did you mean `values`"), "{e}");
    }
}
