//! kedalint's cron semantics against KEDA's own: cronoracle (../shared/oracles/cron), a Go
//! program on robfig/cron v3.0.1 that makes KEDA's exact decisions.
//!
//! - `golden_windows`: curated cases whose windows cronoracle computed once, committed in
//!   tests/golden/cron-windows.txt (self-contained: runs under plain `cargo test`).
//! - `differential_against_cronoracle`: builds cronoracle (Go and robfig from Debian, installed by
//!   scripts/test.sh) and compares validation verdicts and every window on generated expression
//!   pairs over many time zones and a horizon with DST changes. Agreement must be 100%.

mod common;

use kedalint::cron::trigger::{validate, Metadata, Trigger};
use std::path::PathBuf;
use std::process::Command;

const FROM: &str = "2026-03-06T00:00:00Z";
const TO: &str = "2026-04-07T00:00:00Z";

fn ts(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp()
}

fn fmt(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn ours(start: &str, end: &str, tz: &str, from: &str, to: &str) -> Result<Vec<String>, String> {
    let m = Metadata { start: Some(start), end: Some(end), timezone: Some(tz), desired_replicas: Some("1") };
    let t: Trigger = validate(&m).map_err(|e| format!("{e:?}"))?;
    Ok(t.windows(ts(from), ts(to)).iter().map(|(a, b)| format!("{} {}", fmt(a), fmt(b))).collect())
}

#[test]
fn golden_windows() {
    let text = std::fs::read_to_string(common::manifest_dir().join("tests/golden/cron-windows.txt")).unwrap();
    let mut cases = 0;
    for block in text.split("\n\n").filter(|b| !b.trim().is_empty()) {
        let mut lines = block.lines().filter(|l| !l.starts_with('#'));
        let Some(header) = lines.next() else { continue };
        let parts: Vec<&str> = header.split('|').map(str::trim).collect();
        let [start, end, tz, from, to, verdict] = parts[..] else { panic!("bad golden header: {header}") };
        let expected: Vec<String> = lines.map(str::to_owned).collect();
        let got = ours(start, end, tz, from, to);
        match verdict {
            "accepted" => assert_eq!(got.as_ref().unwrap(), &expected, "{header}"),
            _ => assert!(got.is_err(), "{header}: KEDA rejects it, kedalint accepted"),
        }
        cases += 1;
    }
    assert!(cases >= 15, "only {cases} golden cases");
}

/// A deterministic generator of KEDA-style cron expressions, valid and not.
trait CronExpr {
    fn expr(&mut self) -> String;
}

impl CronExpr for common::Xorshift {
    fn expr(&mut self) -> String {
        let minute = self.pick(&["0", "0", "30", "15", "*/15", "5-10", "0,30", "45", "59", "*/20", "10/25"]);
        let hour = self.pick(&["8", "20", "9-17", "*/6", "2", "1", "3", "22", "0", "23", "12", "8,20", "*"]);
        let dom = self.pick(&["*", "*", "*", "1", "15", "1-7", "*/2", "30", "31", "?", "8-14", "29"]);
        let month = self.pick(&["*", "*", "*", "3", "4", "3-4", "mar", "APR", "*/2", "?", "jan-jun"]);
        let dow = self.pick(&["*", "*", "1-5", "0", "6", "sun", "MON-FRI", "0,6", "1", "?", "*/2", "5-6", "sat"]);
        let e = format!("{minute} {hour} {dom} {month} {dow}");
        match self.next() % 40 {
            0 => e.replacen(dow, "7", 1),
            1 => "@daily".into(),
            2 => format!("{minute} {hour} {dom} {month}"),
            3 => e.replacen(dom, "L", 1),
            4 => format!("CRON_TZ=Asia/Tokyo {e}"),
            5 => format!("TZ=Europe/Berln {e}"),
            6 => e.replacen(minute, "60", 1),
            7 => e.replacen(dow, "SAT-SUN", 1),
            _ => e,
        }
    }
}

fn build_oracle(shared: &std::path::Path) -> PathBuf {
    let work = std::env::temp_dir().join(format!("kedalint-cronoracle-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    for f in ["main.go", "build.sh"] {
        let dst = work.join(f);
        std::fs::copy(shared.join("oracles/cron").join(f), &dst).unwrap();
        let mut perm = std::fs::metadata(&dst).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perm.set_readonly(false);
        std::fs::set_permissions(&dst, perm).unwrap();
    }
    let out = Command::new("bash").arg(work.join("build.sh")).output().unwrap();
    assert!(out.status.success(), "building cronoracle failed:\n{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    work.join("bin/cronoracle")
}

#[test]
fn differential_against_cronoracle() {
    if std::env::var("KEDALINT_EXTERNAL_TESTS").as_deref() != Ok("1") {
        eprintln!("notice: KEDALINT_EXTERNAL_TESTS is not set; skipping the cronoracle differential test (run scripts/test.sh)");
        return;
    }
    let Some(shared) = common::shared_dir() else { return };
    let oracle = build_oracle(&shared);
    let zones = [
        "UTC", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Europe/London", "Australia/Sydney",
        "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kolkata", "America/Sao_Paulo", "Asia/Tokyo", "America/Santiago",
        "Etc/GMT+5", "Local", "Europe/Berln", "europe/berlin",
    ];
    let mut g = common::Xorshift(0x2545_F491_4F6C_DD1D);
    let mut cases = Vec::new();
    for i in 0..2100 {
        let tz = zones[i % zones.len()];
        let start = g.expr();
        // Now and then an end that is the same schedule written differently, or the same string.
        let end = match g.next() % 25 {
            0 => start.clone(),
            1 => start.replace(" 0 ", " 00 "),
            _ => g.expr(),
        };
        cases.push((start, end, tz));
    }
    // Ok(accepted) or Err(disagreement).
    let results: Vec<Result<bool, String>> = std::thread::scope(|scope| {
        let chunks: Vec<_> = cases.chunks(cases.len() / 2 + 1).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let oracle = &oracle;
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|(start, end, tz)| {
                            let out = Command::new(oracle)
                                .args(["--start", start, "--end", end, "--timezone", tz, "--from", FROM, "--to", TO, "--step", "1m"])
                                .output()
                                .unwrap();
                            let theirs: Result<Vec<String>, ()> = if out.status.success() {
                                Ok(String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect())
                            } else {
                                Err(())
                            };
                            let mine = ours(start, end, tz, FROM, TO);
                            match (&theirs, &mine) {
                                (Ok(a), Ok(b)) if a == b => Ok(true),
                                (Err(()), Err(_)) => Ok(false),
                                _ => Err(format!(
                                    "start {start:?} end {end:?} tz {tz}: cronoracle {theirs:?} ({}), kedalint {mine:?}",
                                    String::from_utf8_lossy(&out.stderr).trim()
                                )),
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    let accepted = results.iter().filter(|r| matches!(r, Ok(true))).count();
    eprintln!("cronoracle agreement: {}/{} pairs ({accepted} accepted, {} rejected), {} zones, {FROM}..{TO}", results.len() - failures.len(), results.len(), results.len() - accepted, zones.len());
    assert!(failures.is_empty(), "{} of {} disagree:\n{}", failures.len(), results.len(), failures.iter().take(20).map(|s| s.as_str()).collect::<Vec<_>>().join("\n"));
    let _ = std::fs::remove_dir_all(oracle.parent().unwrap().parent().unwrap());
}
