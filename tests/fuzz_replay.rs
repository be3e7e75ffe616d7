//! The fuzz targets' inputs replayed on stable Rust, through the same functions the targets call
//! (`kedalint::testing::fuzz`): the seed corpora in `fuzz/seeds/<target>/`, every crash a fuzzer
//! ever found (`fuzz/crashes/<target>/`, kept once fixed), and, for `lint`, every fixture.

mod common;

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = read.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()).collect();
    out.sort();
    out
}

fn replay(target: &str, run: fn(&[u8]), extra: Vec<PathBuf>) -> usize {
    let fuzz = common::manifest_dir().join("fuzz");
    let seeds = files(&fuzz.join("seeds").join(target));
    assert!(seeds.len() >= 3, "the `{target}` seed corpus is missing");
    let inputs: Vec<PathBuf> = seeds.into_iter().chain(files(&fuzz.join("crashes").join(target))).chain(extra).collect();
    for path in &inputs {
        let data = std::fs::read(path).unwrap();
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            panic!("fuzz target `{target}` fails on {}", path.display());
        }
    }
    inputs.len()
}

#[test]
fn lint_target_replays() {
    let fixtures: Vec<PathBuf> = walkdir::WalkDir::new(common::manifest_dir().join("fixtures"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let n = replay("lint", kedalint::testing::fuzz::lint, fixtures);
    eprintln!("replayed {n} inputs through the `lint` target");
}

#[test]
fn cli_target_replays() {
    let n = replay("cli", kedalint::testing::fuzz::cli, Vec::new());
    eprintln!("replayed {n} inputs through the `cli` target");
}
