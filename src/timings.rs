//! Phase timings for performance work: with `KEDALINT_TIMINGS=1` in the environment, each phase
//! of a run prints its wall time to stderr (`kedalint: timing parse 182.4 ms`).
//!
//! Off by default and free when off (one cached environment lookup); meant for the benchmark
//! script and for users reporting a slow repository, never for tests (times are not asserted).

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
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
    match (kb("VmRSS:"), kb("VmHWM:")) {
        (Some(rss), Some(peak)) => eprintln!("kedalint: timing {name:<13} {ms:>8.1} ms  rss {:>5} MB  peak {:>5} MB", rss / 1024, peak / 1024),
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
