//! Cron triggers of one object, validated and evaluated once (while the index is built), for
//! the cron rules and `kedalint schedule` to share.

use super::trigger::{validate, Metadata, Refusal, Trigger};
use crate::model::Object;
use crate::yaml::Node;

/// One year of weeks: every DST change of a year falls inside it.
pub const HORIZON_WEEKS: i64 = 53;

#[derive(Debug, Clone)]
pub struct CronTrigger {
    /// Index of the trigger in `spec.triggers`.
    pub index: usize,
    pub result: Result<Trigger, Refusal>,
    /// Active windows over the horizon (empty when refused); shared between the triggers that
    /// have the same schedule (a year of windows per trigger was a tenth of a run's memory).
    pub windows: std::sync::Arc<Vec<(i64, i64)>>,
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
type Analysis = std::sync::Arc<(Result<Trigger, Refusal>, std::sync::Arc<Vec<(i64, i64)>>)>;

/// Analyses made in this process, one cell per distinct trigger. Repositories repeat schedules
/// (business hours, the same night window on every team's workloads), and a year of windows
/// costs milliseconds, so each distinct trigger is analysed once: a thread that asks for one
/// being analysed waits for it rather than doing it again. (The analysis itself must never use
/// rayon: a worker waiting on a cell while its owner waits on the pool would deadlock.)
type Cell = std::sync::Arc<std::sync::OnceLock<Analysis>>;

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
                let windows = result.as_ref().map(|tr| tr.windows(from, to)).unwrap_or_default();
                std::sync::Arc::new((result, std::sync::Arc::new(windows)))
            });
            CronTrigger { index: t.index, result: analysis.0.clone(), windows: analysis.1.clone() }
        })
        .collect()
}

/// The union of several window lists, clipped to `[from, to)`, as sorted disjoint intervals.
pub fn union(lists: &[&[(i64, i64)]], from: i64, to: i64) -> Vec<(i64, i64)> {
    let mut all: Vec<(i64, i64)> = lists.iter().flat_map(|l| l.iter().copied()).map(|(a, b)| (a.max(from), b.min(to))).filter(|(a, b)| a < b).collect();
    all.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::new();
    for (a, b) in all {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

pub fn fmt_utc(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0).map_or_else(|| t.to_string(), |d| d.format("%Y-%m-%d %H:%M UTC").to_string())
}
