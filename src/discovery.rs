//! Which files a run reads.
//!
//! Directories are walked with walkdir, honouring `.gitignore` files (matched with the `ignore`
//! crate's gitignore matcher) and the configuration's `exclude` globs; only `.yaml`, `.yml` and
//! `.json` files are taken. Files named on the command line are always read, whatever their name,
//! because pre-commit passes exactly the files it wants checked. Symbolic links are followed only
//! when they stay inside the tree being walked; a link out of it is skipped, and a link loop is
//! reported by walkdir and skipped, so neither can make a run escape or spin.

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use walkdir::WalkDir;

#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    /// Paths that could not be walked, with the reason (reported as `unreadable-file`).
    pub problems: Vec<(PathBuf, String)>,
    /// Paths named on the command line that do not exist (a usage error).
    pub missing: Vec<PathBuf>,
    /// Manifests that `exclude` globs or `.gitignore` files left out (said when nothing is left).
    pub excluded: usize,
    /// Whether a file may be listed twice: several paths were named, or a walk followed a
    /// symbolic link. Only then do callers pay for resolving every path to find the repeats
    /// (`realpath` is a system call per path component, a tenth of a 50,000-file run).
    pub may_repeat: bool,
}

pub fn build_excludes(globs: &[String]) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).map_err(|e| format!("invalid exclude glob `{g}`: {e}"))?);
        // `dir/**` style globs should also exclude the directory itself.
        if let Some(stripped) = g.strip_suffix("/**") {
            b.add(Glob::new(stripped).map_err(|e| format!("invalid exclude glob `{g}`: {e}"))?);
        }
    }
    b.build().map_err(|e| e.to_string())
}

fn is_manifest(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"))
}

/// Walk `paths`; `exclude` globs match paths relative to `base` (the configuration's directory).
pub fn discover(paths: &[PathBuf], exclude: &GlobSet, base: &Path) -> Discovered {
    let mut out = Discovered::default();
    let base_abs = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_owned());
    out.may_repeat = paths.len() > 1;
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(e) => {
                if std::fs::symlink_metadata(root).is_ok() {
                    out.problems.push((root.clone(), link_problem(&e).into()));
                } else {
                    out.missing.push(root.clone());
                }
                continue;
            }
        };
        // Anything named that is not a directory is read, whatever it is: a FIFO, `/dev/stdin`
        // or a process substitution (`<(cat so.yaml)`) is read as a stream (see crate::files).
        if !meta.is_dir() {
            out.files.push(root.clone());
            continue;
        }
        walk_dir(root, exclude, &base_abs, &mut out);
    }
    out
}

/// What a symbolic link that cannot be followed is: a loop, or a link to nothing.
fn link_problem(e: &std::io::Error) -> &'static str {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return "symbolic link loop";
    }
    let _ = e;
    "broken symbolic link"
}

fn walk_dir(root: &Path, exclude: &GlobSet, base_abs: &Path, out: &mut Discovered) {
    let root_abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
    let mut gitignores: HashMap<PathBuf, Option<Rc<Gitignore>>> = HashMap::new();
    let mut load_gitignore = |dir: &Path| -> Option<Rc<Gitignore>> {
        if let Some(known) = gitignores.get(dir) {
            return known.clone();
        }
        gitignores
            .entry(dir.to_owned())
            .or_insert_with(|| {
                let file = dir.join(".gitignore");
                file.is_file().then(|| {
                    let mut b = GitignoreBuilder::new(dir);
                    b.add(&file);
                    b.build().ok().map(Rc::new)
                })?
            })
            .clone()
    };
    let excluded = |path: &Path| -> bool {
        if exclude.is_empty() {
            return false;
        }
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        let rel = abs.strip_prefix(base_abs).unwrap_or(&abs);
        exclude.is_match(rel) || exclude.is_match(path)
    };
    let mut walker = WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map_or_else(|| root.to_owned(), Path::to_owned);
                if e.loop_ancestor().is_none() {
                    let why = match e.io_error() {
                        Some(io) if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink()) => link_problem(io).to_owned(),
                        _ => e.to_string(),
                    };
                    out.problems.push((path, why));
                }
                continue;
            }
        };
        let path = entry.path();
        let is_dir = entry.file_type().is_dir();
        out.may_repeat |= entry.path_is_symlink();
        if entry.depth() > 0 {
            let name = entry.file_name().to_string_lossy();
            let outside = (is_dir && name == ".git") || (entry.path_is_symlink() && !std::fs::canonicalize(path).is_ok_and(|t| t.starts_with(&root_abs)));
            let left_out = !outside && (excluded(path) || ignored_by_git(path, is_dir, root, &mut load_gitignore));
            if outside || left_out {
                // A directory left out counts as one: what matters is that something was.
                out.excluded += usize::from(left_out && (is_dir || is_manifest(path)));
                if is_dir {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if is_manifest(path) && !is_dir {
            if entry.file_type().is_file() {
                out.files.push(path.to_owned());
            } else {
                // Never opened: a FIFO would hang the run, a device could fill memory. Named
                // on the command line, it would be read (the user asked for it).
                out.problems.push((path.to_owned(), "not a regular file (a FIFO, socket or device): not read".into()));
            }
        }
    }
}

/// Whether a `.gitignore` in `path`'s ancestors (up to `root`) ignores it; the nearest wins.
fn ignored_by_git(path: &Path, is_dir: bool, root: &Path, load: &mut impl FnMut(&Path) -> Option<Rc<Gitignore>>) -> bool {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if let Some(gi) = load(d) {
            let m = gi.matched(path, is_dir);
            if m.is_ignore() {
                return true;
            }
            if m.is_whitelist() {
                return false;
            }
        }
        if d == root {
            break;
        }
        dir = d.parent();
    }
    false
}
