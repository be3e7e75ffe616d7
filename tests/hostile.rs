//! Hostile inputs: each must end in a diagnostic with a location, never a panic or a hang.
//!
//! Each case runs on its own thread with a generous deadline; the deadline guards against hangs
//! and is not a speed assertion (speed is measured in benchmarks, not here).

use kedalint::{Config, Severity};
use std::sync::mpsc;
use std::time::Duration;

fn lint_bytes(name: &str, bytes: Vec<u8>) -> kedalint::Outcome {
    let (tx, rx) = mpsc::channel();
    let name = name.to_owned();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let input = kedalint::Input::bytes(name, bytes);
            let out = kedalint::engine::run(vec![input], &Config::default(), kedalint::schema::validate::Schemas::builtin());
            let _ = tx.send(out);
        })
        .unwrap();
    rx.recv_timeout(Duration::from_secs(120)).expect("linting finished (no hang, no panic)")
}

fn assert_located(out: &kedalint::Outcome, rule: &str) {
    let d = out.diagnostics.iter().find(|d| d.rule == rule).unwrap_or_else(|| panic!("no `{rule}` finding: {:?}", out.diagnostics));
    assert_eq!(d.severity, Severity::Error);
    let l = d.primary_label();
    let f = out.index.file(l.file);
    assert!(l.span.start <= f.text.len(), "span inside the file");
    let _ = f.line_col(l.span.start);
}

#[test]
fn billion_laughs() {
    let mut s = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..20 {
        let p = format!("*a{}", i - 1);
        s.push_str(&format!("a{i}: &a{i} [{}]\n", [p.as_str(); 10].join(", ")));
    }
    assert_located(&lint_bytes("bomb.yaml", s.into_bytes()), "invalid-yaml");
}

#[test]
fn ten_thousand_deep_flow_nesting() {
    let s = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_located(&lint_bytes("deep.yaml", s.into_bytes()), "invalid-yaml");
    let s = format!("{}1{}", "{a: ".repeat(10_000), "}".repeat(10_000));
    assert_located(&lint_bytes("deep-map.yaml", s.into_bytes()), "invalid-yaml");
}

#[test]
fn deep_block_nesting() {
    let mut s = String::new();
    for i in 0..1_000 {
        s.push_str(&" ".repeat(i));
        s.push_str("- \n");
    }
    assert_located(&lint_bytes("deep-block.yaml", s.into_bytes()), "invalid-yaml");
}

#[test]
fn invalid_utf8_and_nul() {
    assert_located(&lint_bytes("latin1.yaml", b"kind: ConfigMap\nname: caf\xe9\n".to_vec()), "unreadable-file");
    assert_located(&lint_bytes("nul.yaml", b"kind: Config\0Map\n".to_vec()), "unreadable-file");
    assert_located(&lint_bytes("utf16.yaml", "kind: x".encode_utf16().flat_map(u16::to_le_bytes).collect()), "unreadable-file");
}

#[test]
fn truncated_files() {
    let full = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: \"worker\"\nspec:\n  scaleTargetRef: {name: worker}\n  triggers: [{type: cpu, metadata: {value: \"60\"}}]\n";
    for cut in [10, 60, 75, 100, 130, full.len() - 5] {
        let out = lint_bytes("truncated.yaml", full.as_bytes()[..cut].to_vec());
        // Whatever the cut, the run ends and anything it says has a location in the file.
        for d in &out.diagnostics {
            assert!(d.primary_label().span.start <= cut);
        }
    }
    assert_located(&lint_bytes("t.yaml", full.as_bytes()[..70].to_vec()), "invalid-yaml");
}

#[test]
fn fifty_megabyte_file() {
    let mut s = String::with_capacity(50 << 20);
    s.push_str("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: \"");
    while s.len() < 50 << 20 {
        s.push_str("0123456789abcdef");
    }
    // The closing quote never comes.
    let out = lint_bytes("big.yaml", s.into_bytes());
    assert_located(&out, "invalid-yaml");
}

#[test]
fn oversized_files_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    std::fs::write(&path, vec![b'#'; 2048]).unwrap();
    let config = Config { max_file_size: 1024, ..Config::default() };
    let out = kedalint::lint_paths(&[path], &config).unwrap();
    assert_located(&out, "unreadable-file");
}

#[test]
fn garbage_never_panics() {
    // A deterministic pseudo-random stream of YAML-ish bytes.
    let alphabet = b"{}[]:,-?&*!|>'\"#%@` \n\t abcXYZ019.\\";
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..300 {
        let mut bytes = Vec::new();
        for _ in 0..200 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            bytes.push(alphabet[(x % alphabet.len() as u64) as usize]);
        }
        let _ = lint_bytes("garbage.yaml", bytes);
    }
}
