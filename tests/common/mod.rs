//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared`, the reference material. Tests that read it are the reference suite: they run
/// wherever it exists, fail when it is missing under `CI=true`, and skip with a notice on a
/// user's clone without it.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.join("keda").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("../shared is missing, and CI=true requires the reference suite to run");
    }
    eprintln!("notice: ../shared not found; skipping a reference test (it runs where ../shared exists)");
    None
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
