//! Cron triggers of one object, validated and evaluated once (while the index is built), for
//! the cron rules and `kedalint schedule` to share.

use super::spec::offset_of;
use super::trigger::{validate, Metadata, Refusal, Trigger};
use super::windows::{Windows, DAY};
use crate::model::Object;
use crate::yaml::Node;
use std::sync::Arc;

/// One year of weeks: every DST change of a year falls inside it.
pub const HORIZON_WEEKS: i64 = 53;

#[derive(Debug, Clone)]
pub struct CronTrigger {
    /// Index of the trigger in `spec.triggers`.
    pub index: usize,
    pub result: Result<Trigger, Refusal>,
    /// Its activity over the horizon (no windows when refused); shared between the triggers
    /// written the same way.
    pub activity: Arc<Activity>,
}

/// A trigger's windows over the horizon and what the cron rules ask of them, worked out once per
/// distinct trigger: the rules read these rather than walking the windows again for each object
/// (a `*/2` trigger has 262,000 windows a year).
#[derive(Debug, Clone, Default)]
pub struct Activity {
    pub windows: Windows,
    pub count: usize,
    /// Seconds active in all.
    pub active_seconds: i64,
    /// One window, the whole horizon.
    pub always_active: bool,
    /// `start` has no fire after the horizon's start (robfig's `Next` gives Go's zero time).
    pub start_never_fires: bool,
    /// The same for `end`.
    pub end_never_fires: bool,
    /// The first window that a change of UTC offset stretches or shrinks, if any.
    pub dst_window: Option<DstWindow>,
}

/// A window whose length differs from the usual by 45 minutes or more, next to a change of the
/// start zone's UTC offset (`cron-dst-window`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DstWindow {
    pub start: i64,
    pub end: i64,
    /// The usual window length: the median.
    pub usual: i64,
}

impl Activity {
    /// `tr`'s windows in `[from, to)`, read twice at most: once for the counts and the lengths,
    /// and up to the first odd window.
    pub fn of(tr: &Trigger, from: i64, to: i64) -> Activity {
        let windows = tr.windows(from, to);
        let (mut count, mut active_seconds, mut first) = (0, 0, None);
        let mut lengths = std::collections::BTreeMap::<i64, usize>::new();
        for (a, b) in windows.iter() {
            count += 1;
            active_seconds += b - a;
            *lengths.entry(b - a).or_default() += 1;
            first.get_or_insert((a, b));
        }
        let dst_window = dst_window(tr, &windows, count, &lengths);
        Activity {
            count,
            active_seconds,
            always_active: count == 1 && first == Some((from, to)),
            start_never_fires: tr.start.next(from, tr.zone).is_none(),
            end_never_fires: tr.end.next(from, tr.zone).is_none(),
            dst_window,
            windows,
        }
    }
}

/// The first window whose length differs from the median by 45 minutes or more, among three or
/// more, when the start zone's offset changes within a day of it: other irregular windows are by
/// design. `lengths` counts the windows by length.
fn dst_window(tr: &Trigger, windows: &Windows, count: usize, lengths: &std::collections::BTreeMap<i64, usize>) -> Option<DstWindow> {
    if count < 3 {
        return None;
    }
    // The length at index count / 2 of the sorted lengths.
    let mut seen = 0;
    let usual = lengths.iter().find_map(|(length, n)| {
        seen += n;
        (seen > count / 2).then_some(*length)
    })?;
    let (start, end) = windows.iter().find(|(a, b)| ((b - a) - usual).abs() >= 45 * 60)?;
    let z = tr.start.zone(tr.zone);
    (offset_of(start - DAY, z) != offset_of(end + DAY, z)).then_some(DstWindow { start, end, usual })
}

/// The analysis horizon: from the Monday 00:00 UTC on or before `reference`, 53 weeks.
pub fn horizon(reference: i64) -> (i64, i64) {
    let days = reference.div_euclid(86_400);
    // 1970-01-01 was a Thursday: days since the last Monday.
    let since_monday = (days + 3).rem_euclid(7);
    let from = (days - since_monday) * 86_400;
    (from, from + HORIZON_WEEKS * 7 * 86_400)
}

fn text(meta: Option<&Node>, key: &str) -> Option<String> {
    meta?.get(key)?.text().map(str::to_owned)
}

/// A cron trigger's metadata as written, and the horizon: all its analysis depends on.
type AnalysisKey = (Option<String>, Option<String>, Option<String>, Option<String>, i64);
type Analysis = Arc<(Result<Trigger, Refusal>, Arc<Activity>)>;

/// Analyses made in this process, one cell per distinct trigger. Repositories repeat schedules
/// (business hours, the same night window on every team's workloads), and a year of windows
/// costs a millisecond or so, so each distinct trigger is analysed once: a thread that asks for one
/// being analysed waits for it rather than doing it again. (The analysis itself must never use
/// rayon: a worker waiting on a cell while its owner waits on the pool would deadlock.)
type Cell = Arc<std::sync::OnceLock<Analysis>>;

fn memo() -> &'static std::sync::Mutex<std::collections::HashMap<AnalysisKey, Cell>> {
    static MEMO: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<AnalysisKey, Cell>>> = std::sync::OnceLock::new();
    MEMO.get_or_init(Default::default)
}

/// Every `type: cron` trigger of a ScaledObject or ScaledJob.
pub fn analyze(obj: &Object, reference: i64) -> Vec<CronTrigger> {
    let (from, to) = horizon(reference);
    obj.triggers()
        .into_iter()
        .filter(|t| t.type_str() == "cron")
        .map(|t| {
            let key: AnalysisKey = (text(t.metadata, "start"), text(t.metadata, "end"), text(t.metadata, "timezone"), text(t.metadata, "desiredReplicas"), from);
            let cell: Cell = match memo().lock() {
                Ok(mut m) => match m.get(&key) {
                    Some(cell) => cell.clone(),
                    None => m.entry(key.clone()).or_default().clone(),
                },
                Err(_) => Cell::default(),
            };
            let analysis = cell.get_or_init(|| {
                let m = Metadata { start: key.0.as_deref(), end: key.1.as_deref(), timezone: key.2.as_deref(), desired_replicas: key.3.as_deref() };
                let result = validate(&m);
                let activity = result.as_ref().map(|tr| Activity::of(tr, from, to)).unwrap_or_default();
                Arc::new((result, Arc::new(activity)))
            });
            CronTrigger { index: t.index, result: analysis.0.clone(), activity: analysis.1.clone() }
        })
        .collect()
}

/// The union of several triggers' windows, clipped to `[from, to)`, as sorted disjoint
/// intervals, read as it goes.
pub fn union<'a>(windows: &[&'a Windows], from: i64, to: i64) -> Union<'a> {
    Union { inputs: windows.iter().map(|w| w.iter().peekable()).collect(), from, to, pending: None }
}

pub struct Union<'a> {
    inputs: Vec<std::iter::Peekable<super::windows::Iter<'a>>>,
    from: i64,
    to: i64,
    pending: Option<(i64, i64)>,
}

impl Union<'_> {
    /// The input window that starts first, clipped.
    fn next_input(&mut self) -> Option<(i64, i64)> {
        loop {
            let input = self.inputs.iter_mut().filter_map(|i| Some((i.peek()?.0, i))).min_by_key(|(start, _)| *start)?.1;
            let (a, b) = input.next()?;
            let (a, b) = (a.max(self.from), b.min(self.to));
            if a < b {
                return Some((a, b));
            }
        }
    }
}

impl Iterator for Union<'_> {
    type Item = (i64, i64);

    fn next(&mut self) -> Option<(i64, i64)> {
        let mut pending = self.pending.take();
        let window = super::windows::coalesce(&mut pending, || self.next_input());
        self.pending = pending;
        window
    }
}

pub fn fmt_utc(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0).map_or_else(|| t.to_string(), |d| d.format("%Y-%m-%d %H:%M UTC").to_string())
}
