//! Units where nothing declares any: sibling directories that define the same object.
//!
//! A repository without Argo CD or Flux objects may still hold alternatives side by side:
//! argoproj's example apps keep `guestbook/` and `kustomize-guestbook/`, each deployed by an
//! Application that lives elsewhere, each defining the same Deployment. Two definitions of one
//! object in directories where neither holds the other are read that way: below the directory
//! they share, each one's subdirectory becomes a unit of its own (checked apart, as a cluster
//! would see it), and the files outside those subdirectories are seen with each. Alternatives
//! nest (two sample repositories side by side, each with alternative folders inside): a unit is
//! an innermost such directory, and sees too the files of the directories around it that are in
//! no other alternative. Two definitions in one file, one directory, or a directory and one
//! below it stay one place, and a duplicate.

use super::{Dir, Origin, PathSpec, Unit};
use crate::model::ObjectKey;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The fallback units for objects `defined` (each object's identity and the absolute path of its
/// file), relative to the repository at `root` for their names.
pub fn units<'a>(defined: impl Iterator<Item = (ObjectKey, &'a Path)>, root: &Path) -> Vec<Unit> {
    let mut dirs_of: BTreeMap<ObjectKey, BTreeSet<PathBuf>> = BTreeMap::new();
    for (key, file) in defined {
        if let Some(dir) = file.parent() {
            dirs_of.entry(key).or_default().insert(dir.to_owned());
        }
    }
    let mut candidates: BTreeSet<PathBuf> = BTreeSet::new();
    for dirs in dirs_of.values().filter(|d| d.len() > 1) {
        let dirs: Vec<&PathBuf> = dirs.iter().collect();
        for (i, a) in dirs.iter().enumerate() {
            for b in &dirs[i + 1..] {
                if a.starts_with(b) || b.starts_with(a) {
                    continue;
                }
                let shared: PathBuf = a.components().zip(b.components()).take_while(|(x, y)| x == y).map(|(x, _)| x).collect();
                for d in [a, b] {
                    if let Some(first) = d.strip_prefix(&shared).ok().and_then(|r| r.components().next()) {
                        candidates.insert(shared.join(first));
                    }
                }
            }
        }
    }
    // Units are the innermost alternatives; each also sees what the alternatives around it hold
    // outside their own alternatives.
    let inside = |outer: &PathBuf| -> Vec<PathBuf> { candidates.iter().filter(|c| *c != outer && c.starts_with(outer)).cloned().collect() };
    let leaves: Vec<&PathBuf> = candidates.iter().filter(|c| inside(c).is_empty()).collect();
    leaves
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(root).map_or_else(|_| path.display().to_string(), |r| r.display().to_string());
            let spec = PathSpec { path: name.clone(), recurse: true, include: None, exclude: None, repo_url: None };
            let mut dirs = vec![Dir::new(path.clone(), &spec)];
            for outer in candidates.iter().filter(|o| *o != path && path.starts_with(o)) {
                let mut around = Dir::new(outer.clone(), &spec);
                around.except = inside(outer);
                dirs.push(around);
            }
            Unit { origin: Origin::Fallback, cluster: name.clone(), name, namespace: None, dirs, at: None }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> ObjectKey {
        ObjectKey { group: "apps".into(), kind: "Deployment".into(), namespace: "default".into(), name: name.into() }
    }

    #[test]
    fn siblings_become_units_and_nesting_does_not() {
        let files = [
            (key("web"), PathBuf::from("/r/guestbook/web.yaml")),
            (key("web"), PathBuf::from("/r/kustomize-guestbook/base/web.yaml")),
            (key("api"), PathBuf::from("/r/one/api.yaml")),
            (key("api"), PathBuf::from("/r/one/sub/api.yaml")),
            (key("db"), PathBuf::from("/r/x/db.yaml")),
        ];
        let units = units(files.iter().map(|(k, p)| (k.clone(), p.as_path())), Path::new("/r"));
        let names: Vec<&str> = units.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["guestbook", "kustomize-guestbook"]);
    }

    /// Two repositories side by side, one with alternative folders inside: the inner folders
    /// are units, each seeing its repository's other files.
    #[test]
    fn alternatives_nest() {
        let files = [
            (key("web"), PathBuf::from("/r/a/deploy/web.yaml")),
            (key("web"), PathBuf::from("/r/b/web.yaml")),
            (key("so"), PathBuf::from("/r/a/keda/one/so.yaml")),
            (key("so"), PathBuf::from("/r/a/keda/two/so.yaml")),
        ];
        let units = units(files.iter().map(|(k, p)| (k.clone(), p.as_path())), Path::new("/r"));
        let names: Vec<&str> = units.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["a/keda/one", "a/keda/two", "b"]);
        let one = &units[0];
        assert!(one.dirs.iter().any(|d| d.holds_file(Path::new("/r/a/deploy/web.yaml"))), "sees its repository's files");
        assert!(!one.dirs.iter().any(|d| d.holds_file(Path::new("/r/a/keda/two/so.yaml"))), "not the other alternative");
    }
}
