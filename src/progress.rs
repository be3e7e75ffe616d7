//! Progress for long runs: how many files are read and objects checked, shown on stderr with
//! indicatif.
//!
//! The engine only counts (two atomics, no locks on the hot path); a reporter thread draws a bar
//! once a run has taken more than a second, so short runs and pipelines never see it. The CLI
//! turns it on only when stderr is a terminal and no machine-readable report goes to stdout.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Work counters the engine advances: units are files read plus objects checked.
#[derive(Debug, Default)]
pub struct Counters {
    pub total: AtomicUsize,
    pub done: AtomicUsize,
}

static COUNTERS: Counters = Counters { total: AtomicUsize::new(0), done: AtomicUsize::new(0) };

/// Add `n` units of expected work.
pub fn expect(n: usize) {
    COUNTERS.total.fetch_add(n, Ordering::Relaxed);
}

/// Mark one unit done.
pub fn tick() {
    COUNTERS.done.fetch_add(1, Ordering::Relaxed);
}

/// A bar drawn on stderr after `delay`, until dropped.
pub struct Bar {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Bar {
    pub fn start(delay: Duration) -> Bar {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let started = std::time::Instant::now();
            while started.elapsed() < delay {
                if flag.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let bar = indicatif::ProgressBar::with_draw_target(Some(0), indicatif::ProgressDrawTarget::stderr());
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} kedalint {bar:40} {pos}/{len} files and objects ({elapsed})")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            while !flag.load(Ordering::Relaxed) {
                bar.set_length(COUNTERS.total.load(Ordering::Relaxed) as u64);
                bar.set_position(COUNTERS.done.load(Ordering::Relaxed) as u64);
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        });
        Bar { stop, thread: Some(thread) }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
