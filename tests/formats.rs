//! Every output format on the example repository, as insta snapshots: JSON, SARIF, GitHub
//! workflow commands, JUnit, markdown and the human report (no colour). A reporter change shows
//! up here as a reviewed diff. The reference time is fixed (the example has cron triggers).

use std::process::Command;

fn report(format: &str) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("kedalint.yaml");
    std::fs::write(&config, "reference-time: \"2026-01-05T00:00:00Z\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kedalint"))
        .current_dir(root)
        .args(["check", "examples/ml-inference", "--quiet", "--color", "never", "--format", format, "--config"])
        .arg(&config)
        .env("COLUMNS", "100")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{format}: the example has errors on purpose; stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_format_on_the_example() {
    for format in ["json", "sarif", "github", "junit", "markdown", "human"] {
        insta::assert_snapshot!(format!("example_{format}"), report(format));
    }
}
