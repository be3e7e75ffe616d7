//! Phase timings for performance work: with `KEDALINT_TIMINGS=1` in the environment, each phase
//! of a run prints its wall time to stderr, with (on Linux) resident and peak memory and the
//! process's CPU time so far in ms (`kedalint: timing parse 182.4 ms  rss 120 MB  peak 121 MB
//! user 310 sys 90`; CPU from clock ticks, 10 ms resolution); after the rules, the CPU time of
//! the ten slowest rules.
//!
//! Off by default and free when off (one cached environment lookup); meant for the benchmark
//! script and for users reporting a slow repository, never for tests (times are not asserted).

use std::sync::OnceLock;
use std::time::Instant;

pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("KEDALINT_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0"))
}

/// Run `f` as the phase `name`, printing its wall time when timings are on.
pub fn phase<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    report(name, start);
    out
}

/// One line per phase: wall time, and resident memory now and at its peak so far (Linux only),
/// since at 50,000 workloads memory is what the time goes into.
fn report(name: &str, start: Instant) {
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |field: &str| status.lines().find_map(|l| l.strip_prefix(field)).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let f: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let (user, sys) = (ticks(11) * 10, ticks(12) * 10);
    match (kb("VmRSS:"), kb("VmHWM:")) {
        (Some(rss), Some(peak)) => eprintln!("kedalint: timing {name:<13} {ms:>8.1} ms  rss {:>5} MB  peak {:>5} MB  user {user} sys {sys}", rss / 1024, peak / 1024),
        _ => eprintln!("kedalint: timing {name:<13} {ms:>8.1} ms"),
    }
}

/// Print the wall time since `start` as the phase `name`, when timings are on (for phases that
/// are a stretch of a function rather than one call).
pub fn since(name: &str, start: Instant) {
    if enabled() {
        report(name, start);
    }
}

/// Print a line of timing detail, when timings are on.
pub fn note(text: &str) {
    if enabled() {
        eprintln!("kedalint: timing   {text}");
    }
}

/// CPU time per rule, summed over all objects and threads, when timings are on: which rules a
/// slow run spends its time in.
pub struct RuleClock {
    nanos: Vec<std::sync::atomic::AtomicU64>,
}

impl RuleClock {
    pub fn new(rules: usize) -> RuleClock {
        RuleClock { nanos: (0..rules).map(|_| std::sync::atomic::AtomicU64::new(0)).collect() }
    }

    /// Run rule number `rule`, adding its time when timings are on.
    pub fn time<T>(&self, rule: usize, f: impl FnOnce() -> T) -> T {
        if !enabled() {
            return f();
        }
        let start = Instant::now();
        let out = f();
        self.nanos[rule].fetch_add(start.elapsed().as_nanos() as u64, std::sync::atomic::Ordering::Relaxed);
        out
    }

    /// Print the ten rules that took longest, when timings are on.
    pub fn report(&self, name_of: impl Fn(usize) -> &'static str) {
        if !enabled() {
            return;
        }
        let mut by_time: Vec<(u64, usize)> = self.nanos.iter().enumerate().map(|(i, n)| (n.load(std::sync::atomic::Ordering::Relaxed), i)).collect();
        by_time.sort_unstable_by(|a, b| b.cmp(a));
        let all: u64 = by_time.iter().map(|(n, _)| n).sum();
        eprintln!("kedalint: timing   all {} rules {:>44.1} ms cpu", by_time.len(), all as f64 / 1e6);
        for (nanos, i) in by_time.into_iter().take(10) {
            eprintln!("kedalint: timing   rule {:<40} {:>8.1} ms cpu", name_of(i), nanos as f64 / 1e6);
        }
    }
}
