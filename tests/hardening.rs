//! Hostile charts, streams and outputs (issue #17): what input names is never followed out of its
//! owner, what the user names is never skipped, nothing from input reaches a terminal raw.
//!
//! Tests that render run with the real Helm (tests/tools/helm, Helm's engine from PyPI) under
//! `KEDALINT_EXTERNAL_TESTS=1`, as in tests/render.rs; the rest run under plain `cargo test`.

mod common;

use kedalint::render::RenderOptions;
use kedalint::schema::validate::Schemas;
use kedalint::{Config, Outcome};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn external() -> bool {
    if std::env::var("KEDALINT_EXTERNAL_TESTS").is_ok_and(|v| v == "1") {
        return true;
    }
    eprintln!("notice: KEDALINT_EXTERNAL_TESTS is not set; skipping a test that renders with helm (run scripts/test.sh)");
    false
}

fn helm() -> PathBuf {
    common::manifest_dir().join("tests/tools/helm")
}

fn kedalint() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kedalint"))
}

/// Run `f` on its own thread; a hang is a failure, not a stuck suite (a deadline, not a timing).
fn within_deadline<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(120)).expect("the run ended (no hang, no panic)")
}

const SO: &str = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: NAME\nspec:\n  scaleTargetRef: {name: NAME}\n  minReplicaCount: 20\n  maxReplicaCount: 10\n  triggers:\n  - type: cpu\n    metricType: Utilization\n    metadata: {value: \"50\"}\n";

fn so(name: &str) -> String {
    SO.replace("NAME", name)
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo {}", path.display());
}

/// A chart whose template writes its own `# Source:` lines, naming /etc/passwd, a token next
/// to the chart, /dev/zero and a FIFO: kedalint opens none of them, leaves those findings on
/// the rendered text with a note, and still attributes the honest document to its template.
#[test]
fn a_chart_cannot_make_kedalint_read_outside_it() {
    if !external() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("repo/chart");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(chart.join("Chart.yaml"), "apiVersion: v2\nname: app\nversion: 0.1.0\n").unwrap();
    // Helm loads every chart file: the FIFO inside the chart is one it is told to ignore.
    std::fs::write(chart.join(".helmignore"), "pipe.yaml\n").unwrap();
    mkfifo(&chart.join("pipe.yaml"));
    std::fs::write(dir.path().join("repo/token"), "eyJhbGciOiJSUzI1NiJ9.SERVICE-ACCOUNT-TOKEN\n").unwrap();
    mkfifo(&dir.path().join("repo/fifo.yaml"));
    let template = [
        so("honest"),
        format!("---\n# Source: /etc/passwd\n{}", so("passwd")),
        format!("---\n# Source: app/../token\n{}", so("token")),
        format!("---\n# Source: /dev/zero\n{}", so("zero")),
        format!("---\n# Source: app/../fifo.yaml\n{}", so("outsidefifo")),
        format!("---\n# Source: app/pipe.yaml\n{}", so("insidefifo")),
    ]
    .concat();
    std::fs::write(chart.join("templates/so.yaml"), template).unwrap();

    let options = RenderOptions { helm: Some(helm()), ..Default::default() };
    let paths = vec![chart.clone()];
    let out: Outcome = within_deadline(move || kedalint::lint_paths_with(&paths, &Config::default(), &options, Schemas::builtin(), None).unwrap());
    let above: Vec<_> = out.diagnostics.iter().filter(|d| d.rule == "min-replicas-above-max").collect();
    assert_eq!(above.len(), 6, "{:#?}", out.diagnostics);
    for f in &out.index.files {
        let p = f.path().to_string_lossy();
        assert!(!p.contains("passwd") && !p.contains("token") && !p.contains("zero") && !p.contains("fifo"), "opened {p}");
    }
    // The walk meets the FIFO inside the chart: reported, never opened.
    let pipe = out.diagnostics.iter().find(|d| d.rule == "unreadable-file").expect("the FIFO in the chart is reported");
    assert!(pipe.message.contains("not a regular file") && out.index.file(pipe.file()).path().ends_with("pipe.yaml"), "{pipe:?}");
    let honest = above.iter().find(|d| !d.note.as_deref().unwrap_or_default().contains("did not open")).unwrap();
    assert!(out.index.file(honest.file()).path().ends_with("chart/templates/so.yaml"), "the honest document is attributed to its template: {honest:#?} {:?}", out.index.file(honest.file()).path());
    let refused: Vec<_> = above.iter().filter(|d| d.note.as_deref().is_some_and(|n| n.contains("did not open"))).collect();
    assert_eq!(refused.len(), 5, "{above:#?}");
    for d in &refused {
        assert!(out.index.file(d.file()).path().to_string_lossy().contains("[helm template"), "the finding stays on the rendered text");
    }
    let inside = refused.iter().find(|d| d.note.as_deref().unwrap().contains("pipe.yaml")).unwrap();
    assert!(inside.note.as_deref().unwrap().contains("not a regular file"), "{:?}", inside.note);
    let human = kedalint::report::human::HumanReporter::plain().render_all(&out.diagnostics, &out.index);
    assert!(!human.contains("root:") && !human.contains("SERVICE-ACCOUNT-TOKEN"), "{human}");
}

/// What the user names is read, whatever it is: a FIFO, /dev/stdin, a process substitution.
#[test]
fn named_streams_are_read_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("so.yaml");
    mkfifo(&fifo);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(&fifo, so("w")).unwrap())
    };
    let out = kedalint().args(["check", "--format", "json"]).arg(&fifo).output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("min-replicas-above-max"));

    // /dev/stdin and `<(cat so.yaml)` as a shell gives them.
    std::fs::write(dir.path().join("plain.yaml"), so("w")).unwrap();
    for cmd in ["kedalint check --format json /dev/stdin < plain.yaml", "kedalint check --format json <(cat plain.yaml)"] {
        let script = cmd.replace("kedalint", env!("CARGO_BIN_EXE_kedalint"));
        let out = Command::new("bash").arg("-c").arg(&script).current_dir(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{cmd}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("min-replicas-above-max"), "{cmd}");
    }
}

/// A stream named on the command line is bounded by `max-file-size` like a file.
#[test]
fn named_streams_honour_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".kedalint.yaml"), "max-file-size: 1000\n").unwrap();
    let out = kedalint().args(["check", "--config", ".kedalint.yaml", "--format", "json", "/dev/zero"]).current_dir(dir.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("unreadable-file") && stdout.contains("1000-byte limit"), "{stdout}");
    let mut child = kedalint().args(["check", "-", "--format", "json"]).current_dir(dir.path()).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(&vec![b'#'; 100_000]);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("1000-byte limit"));

    // The configuration, CRDs and KEDA values are bounded too (the configuration and CRDs by
    // the default limit: they are read before any configuration is).
    std::fs::write(dir.path().join("so.yaml"), so("w")).unwrap();
    for args in [&["--config", "/dev/zero"][..], &["--crd", "/dev/zero"], &["--config", ".kedalint.yaml", "--keda-values", "/dev/zero"]] {
        let out = within_deadline({
            let dir = dir.path().to_owned();
            let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            move || kedalint().arg("check").arg("so.yaml").args(&args).args(["--format", "json"]).current_dir(dir).output().unwrap()
        });
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(said.contains("-byte limit"), "{args:?}: {said}");
    }
}

/// Empty input and "everything excluded" are said on stderr; `--deny warnings` fails on them.
#[test]
fn nothing_to_lint_is_said() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("so.yaml"), so("w")).unwrap();
    std::fs::write(dir.path().join(".kedalint.yaml"), "exclude: [\"**\"]\n").unwrap();
    let out = kedalint().args(["check", "."]).current_dir(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: nothing was linted: every file under `.` is excluded"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = kedalint().args(["check", ".", "--deny", "warnings"]).current_dir(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));

    let empty = tempfile::tempdir().unwrap();
    let out = kedalint().args(["check", "."]).current_dir(empty.path()).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: no YAML or JSON files under `.`"));

    for stdin in [Stdio::null(), Stdio::piped()] {
        let out = kedalint().args(["check", "-"]).stdin(stdin).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stderr).contains("(stdin) is empty"), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

const FORMATS: [&str; 6] = ["human", "json", "sarif", "github", "junit", "markdown"];

fn every_format(dir: &Path, file: &str) -> Vec<(String, Vec<u8>)> {
    let mut outs: Vec<(String, Vec<u8>)> = FORMATS
        .iter()
        .map(|f| {
            let o = kedalint().args(["check", file, "--format", f, "--color", "always"]).current_dir(dir).output().unwrap();
            (f.to_string(), [o.stdout, o.stderr].concat())
        })
        .collect();
    let text = std::fs::read(dir.join(file)).unwrap();
    let mut child = kedalint().args(["check", "--passthrough", "-"]).current_dir(dir).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&text).unwrap();
    }
    let o = child.wait_with_output().unwrap();
    outs.push(("passthrough".into(), o.stderr));
    outs
}

/// A numeric password, Go's last-`@` URL rule, an inline Vault token, a Secret's and a
/// ConfigMap's data, and a password next to invalid YAML: none reaches any output.
#[test]
fn secrets_are_masked_before_any_snippet() {
    let dir = tempfile::tempdir().unwrap();
    let text = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: w}\nspec:\n  scaleTargetRef: {name: w}\n  triggers:\n  - type: redis\n    metadata: {address: \"r:6379\", listName: l, password: 987654321}\n  - type: rabbitmq\n    metadata: {queueName: q, mode: QueueLength, value: \"5\", host: \"amqp://user:P4ss@word@rabbit/\"}\n---\napiVersion: keda.sh/v1alpha1\nkind: TriggerAuthentication\nmetadata: {name: vault}\nspec:\n  hashiCorpVault:\n    address: https://vault:8200\n    authentication: token\n    credential: {token: hvs.CAESIJlU9WSZkOdIT9kFd0}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: \"ns\\u0000\"}\nstringData:\n  api-key: sEcReTdAtAvAlUe\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  dsn: cOnFiGsEcReT\n  bad: [1\n---\nkind: X\nmetadata:\n  password: hunter22\n  name: [\n";
    std::fs::write(dir.path().join("s.yaml"), text).unwrap();
    let secrets = ["987654321", "P4ss", "word@rabbit", "hvs.CAESIJlU9WSZkOdIT9kFd0", "sEcReTdAtAvAlUe", "cOnFiGsEcReT", "hunter22"];
    for (format, out) in every_format(dir.path(), "s.yaml") {
        let out = String::from_utf8_lossy(&out);
        assert!(out.contains("plaintext-secret") || format == "junit" || format == "markdown" || format == "passthrough", "{format}: {out}");
        for s in secrets {
            assert!(!out.contains(s), "{format} shows `{s}`:\n{out}");
        }
    }
    let out = kedalint().args(["check", "s.yaml", "--format", "json"]).current_dir(dir.path()).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let flagged: Vec<&str> = json["diagnostics"].as_array().unwrap().iter().filter(|d| d["rule"] == "plaintext-secret").map(|d| d["message"].as_str().unwrap()).collect();
    assert_eq!(flagged.len(), 3, "the numeric password, the URL and the Vault token are findings; data is only masked: {flagged:#?}");
    assert!(flagged.iter().any(|m| m.contains("Vault token")));
}

/// Escape sequences and workflow commands written into keys, comments and file names reach no
/// output raw: every format shows them as `\u001b`, and GitHub's stays one command per line.
#[test]
fn control_characters_never_reach_an_output() {
    let dir = tempfile::tempdir().unwrap();
    let text = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: w}\nspec:\n  scaleTargetRef: {name: w}\n  \"\\e]0;pwned\\a\\e[2J\": 1 # \u{1b}[31mred\u{9b}\n  \"x\\n::error file=a,line=1::forged\\r\\n::set-env name=A::b\": 2\n  triggers: [{type: cpu, metricType: Utilization, metadata: {value: \"50\"}}]\n";
    let name = "so\u{1b}[31m.yaml";
    std::fs::write(dir.path().join(name), text).unwrap();
    for (format, out) in every_format(dir.path(), name) {
        let shown = String::from_utf8_lossy(&out);
        let raw: Vec<char> = shown.chars().filter(|c| kedalint::diagnostic::is_unsafe_char(*c)).collect();
        // Colour codes in human output are kedalint's own (`--color always`); none came from input.
        let from_input = shown.contains("pwned\u{7}") || shown.contains("\u{1b}]0") || shown.contains("\u{1b}[2J") || shown.contains('\u{9b}') || shown.contains("so\u{1b}[31m");
        assert!(!from_input, "{format} prints input's control characters raw: {raw:?}\n{shown}");
        assert!(shown.contains("unknown-field") || format == "junit" || format == "markdown", "{format}: {shown}");
        if format == "github" {
            for line in shown.lines().filter(|l| !l.starts_with("kedalint: ")) {
                assert!(line.starts_with("::error file=") || line.starts_with("::warning file=") || line.starts_with("::notice file="), "a forged command: {line}");
            }
        }
        if format != "human" && format != "passthrough" {
            assert!(raw.is_empty(), "{format}: {raw:?}");
        }
    }
}

/// The smaller defects of the probe, each as a user meets it.
#[test]
fn small_defects() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = |args: &[&str]| kedalint().args(args).current_dir(d).output().unwrap();
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    let json = |o: &std::process::Output| -> serde_json::Value { serde_json::from_slice(&o.stdout).unwrap() };
    let first = |v: &serde_json::Value, rule: &str| v["diagnostics"].as_array().unwrap().iter().find(|x| x["rule"] == rule).cloned().unwrap_or_else(|| panic!("no {rule}: {v}"));

    // The BOM is not a column; a lone CR is a line break in every format.
    std::fs::write(d.join("bom.yaml"), "\u{feff}bogus: 1\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: w}\nspec: {scaleTargetRef: {name: w}, triggers: [{type: cpu, metricType: Utilization, metadata: {value: \"50\"}}]}\n").unwrap();
    let f = first(&json(&run(&["check", "bom.yaml", "--format", "json"])), "unknown-field");
    assert_eq!((f["start"]["line"].as_u64(), f["start"]["column"].as_u64()), (Some(1), Some(1)), "{f}");
    std::fs::write(d.join("cr.yaml"), "apiVersion: keda.sh/v1alpha1\rkind: ScaledObject\rmetadata: {name: w}\rspec:\r  scaleTargetRef: {name: w}\r  bogus: 1\r  triggers: [{type: cpu, metricType: Utilization, metadata: {value: \"50\"}}]\r").unwrap();
    let f = first(&json(&run(&["check", "cr.yaml", "--format", "json"])), "unknown-field");
    assert_eq!((f["start"]["line"].as_u64(), f["start"]["column"].as_u64()), (Some(6), Some(3)), "{f}");
    assert!(String::from_utf8_lossy(&run(&["check", "cr.yaml", "--color", "never"]).stdout).contains("[cr.yaml:6:3]"));

    // A second document in the configuration is an error, not ignored.
    std::fs::write(d.join("two.yaml"), "rules: {unknown-field: off}\n---\nexclude: [x]\n").unwrap();
    let o = run(&["check", "bom.yaml", "--config", "two.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("two.yaml:3:1: a second YAML document"), "{}", stderr(&o));

    // Two reports into one file: refused before the run.
    let o = run(&["check", "bom.yaml", "--format", "json", "--output", "r", "--format", "sarif", "--output", "r"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`--output r` is given twice"), "{}", stderr(&o));

    // A KEDA version kedalint does not model.
    for v in ["2.999", "3.0", "two"] {
        let o = run(&["check", "bom.yaml", "--keda-version", v]);
        assert_eq!(o.status.code(), Some(2), "{v}");
        assert!(stderr(&o).contains("--keda-version"), "{v}: {}", stderr(&o));
    }

    // A file symbolic link that loops is called a loop.
    std::os::unix::fs::symlink("loop.yaml", d.join("loop.yaml")).unwrap();
    let f = first(&json(&run(&["check", "loop.yaml", "--format", "json"])), "unreadable-file");
    assert!(f["message"].as_str().unwrap().contains("symbolic link loop"), "{f}");

    // UTF-16 is named as such.
    let utf16: Vec<u8> = [0xff, 0xfe].into_iter().chain("kind: ScaledObject\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    std::fs::write(d.join("utf16.yaml"), utf16).unwrap();
    let f = first(&json(&run(&["check", "utf16.yaml", "--format", "json"])), "unreadable-file");
    assert!(f["message"].as_str().unwrap().contains("UTF-16LE"), "{f}");

    // A binary file whose bytes read like a suppression comment is not an unused suppression.
    std::fs::write(d.join("bin.yaml"), b"\x89PNG\x01\x02\n# kedalint: ignore[unknown-field]\n").unwrap();
    let v = json(&run(&["check", "bin.yaml", "--format", "json"]));
    assert!(v["diagnostics"].as_array().unwrap().iter().all(|x| x["rule"] != "unused-suppression"), "{v}");
}

/// A reader that stops early ends the run quietly, as it ends `ls | head`.
#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let many: String = (0..3000).map(|i| so(&format!("w{i}"))).collect::<Vec<_>>().join("---\n");
    std::fs::write(dir.path().join("many.yaml"), many).unwrap();
    let mut child = kedalint().args(["check", "many.yaml", "--color", "never"]).current_dir(dir.path()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut first = [0u8; 64];
    {
        use std::io::Read;
        let mut out = child.stdout.take().unwrap();
        out.read_exact(&mut first).unwrap();
    }
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("Broken pipe") && !err.contains("panicked"), "{err}");
    use std::os::unix::process::ExitStatusExt;
    assert!(o.status.signal() == Some(libc::SIGPIPE) || o.status.code() == Some(1), "{:?}", o.status);
}
