//! The cost of a cron trigger's windows does not grow with how often it fires (issue #17, item
//! 7), and the windows built from the fields' periodicity (`Trigger::windows`) are the ones the
//! direct algorithm finds by deciding at every fire (`Trigger::windows_by_events`, which
//! tests/cron_oracle.rs holds to KEDA's own decisions), window for window.
//!
//! No test here measures time (the project does not assert wall time): the cost is held by what
//! the result stores and by how many instants were decided with robfig's `Next`.

mod common;

use kedalint::cron::analysis::{horizon, Activity};
use kedalint::cron::trigger::{validate, Metadata, Trigger};

fn ts(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp()
}

fn trigger(start: &str, end: &str, tz: &str) -> Option<Trigger> {
    validate(&Metadata { start: Some(start), end: Some(end), timezone: Some(tz), desired_replicas: Some("1") }).ok()
}

/// Both algorithms over `[from, to)`; the first difference, if any.
fn compare(tr: &Trigger, from: i64, to: i64) -> Result<usize, String> {
    let new: Vec<(i64, i64)> = tr.windows(from, to).iter().collect();
    let old = tr.windows_by_events(from, to);
    if new == old {
        return Ok(new.len());
    }
    let i = new.iter().zip(&old).position(|(a, b)| a != b).unwrap_or(new.len().min(old.len()));
    Err(format!("{} windows against {}; first difference at {i}: {:?} against {:?}", new.len(), old.len(), new.get(i), old.get(i)))
}

/// A deterministic generator of cron expressions, coarse and fine-grained.
trait CronExpr {
    fn expr(&mut self) -> String;
}

impl CronExpr for common::Xorshift {
    fn expr(&mut self) -> String {
        let minute = self.pick(&["0", "30", "15", "*/15", "5-10", "0,30", "59", "*/2", "1-59/2", "*/3", "2-59/3", "*", "*/7", "45"]);
        let hour = self.pick(&["8", "20", "9-17", "*/6", "2", "1", "3", "0", "23", "*", "*", "8,20", "1-3", "22-23"]);
        let dom = self.pick(&["*", "*", "*", "1", "15", "1-7", "*/2", "30", "31", "29", "8-14", "?"]);
        let month = self.pick(&["*", "*", "*", "3", "10", "3-4", "*/2", "nov", "feb", "jan-jun"]);
        let dow = self.pick(&["*", "*", "1-5", "0", "6", "MON-FRI", "0,6", "?", "*/2", "5-6"]);
        let e = format!("{minute} {hour} {dom} {month} {dow}");
        match self.next() % 12 {
            0 => format!("CRON_TZ=Asia/Tokyo {e}"),
            1 => format!("CRON_TZ=America/New_York {e}"),
            2 => format!("TZ=Europe/London {e}"),
            _ => e,
        }
    }
}

const ZONES: [&str; 12] = [
    "UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Chatham",
    "Asia/Kolkata", "America/Sao_Paulo", "America/Santiago", "Etc/GMT+5", "Asia/Tokyo", "Europe/London",
];

/// Coarse and fine-grained pairs over a whole analysis horizon (53 weeks, both DST changes of the
/// northern and the southern hemisphere, Lord Howe's half hour and Chatham's 45 minutes).
#[test]
fn periodic_windows_equal_the_direct_algorithm_over_a_year() {
    let (from, to) = horizon(ts("2026-01-07T00:00:00Z"));
    let mut g = common::Xorshift(0x9E37_79B9_7F4A_7C15);
    let (mut pairs, mut windows) = (0, 0);
    let mut failures = Vec::new();
    for i in 0..300 {
        let tz = ZONES[i % ZONES.len()];
        let (start, end) = (g.expr(), g.expr());
        let Some(tr) = trigger(&start, &end, tz) else { continue };
        // The direct algorithm costs a decision per fire: keep its part of the test quick.
        if tr.windows_by_events(from, from + 86_400).len() > 200 {
            continue;
        }
        match compare(&tr, from, to) {
            Ok(n) => windows += n,
            Err(e) => failures.push(format!("start {start:?} end {end:?} tz {tz}: {e}")),
        }
        pairs += 1;
    }
    assert!(failures.is_empty(), "{} of {pairs} differ:\n{}", failures.len(), failures.join("\n"));
    assert!(pairs >= 150 && windows > 10_000, "{pairs} pairs, {windows} windows");
}

/// Fine-grained pairs over three weeks around the March and October changes, from instants that
/// are not whole minutes or days.
#[test]
fn periodic_windows_equal_the_direct_algorithm_at_odd_instants() {
    let mut g = common::Xorshift(0x2545_F491_4F6C_DD1D);
    let starts = ["2026-03-20T13:07:30Z", "2026-10-15T23:59:59Z", "2026-03-27T00:00:00Z", "2026-09-28T06:00:01Z"];
    let mut failures = Vec::new();
    let mut pairs = 0;
    for i in 0..240 {
        let tz = ZONES[i % ZONES.len()];
        let from = ts(starts[i % starts.len()]);
        let to = from + 21 * 86_400 + (i as i64 * 337) % 86_400;
        let (start, end) = (g.expr(), g.expr());
        let Some(tr) = trigger(&start, &end, tz) else { continue };
        if let Err(e) = compare(&tr, from, to) {
            failures.push(format!("start {start:?} end {end:?} tz {tz} from {from} to {to}: {e}"));
        }
        pairs += 1;
    }
    assert!(failures.is_empty(), "{} of {pairs} differ:\n{}", failures.len(), failures.join("\n"));
}

/// Before 1972 Monrovia's offset was -0:44:30, so fires were not on UTC minutes: the direct
/// algorithm is used there, and the result is the same.
#[test]
fn offsets_that_are_not_whole_minutes_are_decided_directly() {
    let tr = trigger("*/5 * * * *", "2-59/5 * * * *", "Africa/Monrovia").unwrap();
    let (from, to) = (ts("1971-12-20T00:00:00Z"), ts("1972-01-20T00:00:00Z"));
    assert!(compare(&tr, from, to).unwrap() > 8_000);
}

/// At Chatham's April change (03:45 local) robfig's `Next` of the change instant is that very
/// instant: the direct algorithm followed it for ever (kedalint hung on `start: "45 3 * * *"`).
#[test]
fn a_next_that_does_not_move_forward_ends_the_direct_search() {
    let tr = trigger("45 3 * * *", "0 8 * * *", "Pacific/Chatham").unwrap();
    let (from, to) = horizon(ts("2026-01-07T00:00:00Z"));
    assert!(compare(&tr, from, to).unwrap() > 360);
}

/// 30 distinct fine-grained triggers (steps 2 to 5 minutes, three zones): a year of windows
/// each, stored and decided in work that does not depend on the step.
#[test]
fn fine_grained_triggers_cost_the_same_as_coarse_ones() {
    let (from, to) = horizon(ts("2026-01-07T00:00:00Z"));
    let zones = ["UTC", "Europe/Berlin", "America/New_York"];
    for i in 0..30 {
        let step = 2 + i % 4;
        let offset = i % step;
        let start = format!("{offset}-59/{step} * * * *");
        let end = format!("{}-59/{step} * * * *", (offset + 1) % step);
        let tr = trigger(&start, &end, zones[i % 3]).unwrap();
        let activity = Activity::of(&tr, from, to);
        // 60 / step windows an hour, all year round.
        assert!(activity.count > 100_000, "{start} {end}: {} windows", activity.count);
        // What is stored: a few day patterns (up to 720 intervals each) and the minute-by-minute
        // stretches around two offset changes, not a quarter of a million windows.
        assert!(activity.windows.stored_len() < 4_000, "{start} {end}: stores {}", activity.windows.stored_len());
        // Decided with `Next`: the minutes around each offset change (12 hours, 721 minutes) and a
        // few more; none for the 262,000 fires.
        assert!(activity.windows.decisions() < 2 * 721 + 20, "{start} {end}: {} decisions", activity.windows.decisions());
    }
    // And the same bound for a coarse trigger, which fires 500 times a year.
    let tr = trigger("0 8 * * 1-5", "0 20 * * 1-5", "Europe/Berlin").unwrap();
    assert!(tr.windows(from, to).decisions() < 2 * 721 + 20);
}

/// The facts the rules read are those of the windows.
#[test]
fn activity_facts_follow_the_windows() {
    let (from, to) = horizon(ts("2026-01-07T00:00:00Z"));
    let a = Activity::of(&trigger("0 8 * * *", "0 08 * * *", "UTC").unwrap(), from, to);
    assert!(a.always_active && a.count == 1 && a.active_seconds == to - from);
    let a = Activity::of(&trigger("0 8 * * *", "0 0 31 4 *", "UTC").unwrap(), from, to);
    assert!(a.count == 0 && a.end_never_fires && !a.start_never_fires);
    // New York's spring change skips 02:30 on 2026-03-08: that day's window lasts a day longer.
    let a = Activity::of(&trigger("30 2 * * *", "0 4 * * *", "America/New_York").unwrap(), from, to);
    let w = a.dst_window.expect("a stretched window");
    assert_eq!((w.start, w.usual), (ts("2026-03-07T07:30:00Z"), 5400));
}
