//! Plaintext secrets never reach any output: human, JSON, or the source snippets they quote.

mod common;

use std::process::Command;

const SECRETS: &[&str] = &["hunter2", "correct-horse-battery-staple", "c2VjcmV0a2V5MTIzNDU2Nzg5MA==", "AKIAIOSFODNN7EXAMPLE", "hvs.CAESIJlU9WSZkOdIT9kFd0"];

#[test]
fn secrets_are_masked_in_every_format() {
    let fixture = "fixtures/plaintext-secret/fail/credentials.yaml";
    for format in ["human", "json"] {
        let out = Command::new(env!("CARGO_BIN_EXE_kedalint"))
            .args(["check", fixture, "--format", format, "--color", "never"])
            .current_dir(common::manifest_dir())
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(text.contains("plaintext-secret"), "{format}: {text}");
        for s in SECRETS {
            assert!(!text.contains(s), "{format} output shows `{s}`:\n{text}");
        }
    }
    let snapshot = std::fs::read_to_string(common::manifest_dir().join("tests/snapshots/rules__fail_fixtures@plaintext-secret__fail__credentials.yaml.snap")).unwrap();
    for s in SECRETS {
        assert!(!snapshot.contains(s), "the snapshot shows `{s}`");
    }
}
