//! `kedalint schedule`: each workload's cron windows and the floor of replicas they set, as a
//! week timeline (text), intervals (JSON, as cronoracle prints them: UTC, end exclusive) or a chart
//! (SVG). The windows are KEDA's own decisions (`crate::cron`). Each format is written as the
//! windows are read, never held as a list: a `*/2` trigger has 5,000 windows a week.

use crate::cron::analysis::fmt_utc;
use crate::cron::windows::Windows;
use crate::engine::Outcome;
use crate::model::Kind;
use serde::Serialize;
use std::io::{self, Write};

/// The longest range `schedule` shows: 53 weeks, the horizon the cron rules judge.
pub const MAX_DAYS: i64 = crate::cron::analysis::HORIZON_WEEKS * 7;

/// One window, as the JSON format prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Interval<'a> {
    pub workload: &'a str,
    pub trigger: &'a str,
    pub start: String,
    pub end: String,
}

/// The cron triggers that scale one workload.
#[derive(Debug, Clone)]
pub struct WorkloadSchedule {
    pub workload: String,
    /// (trigger label, desiredReplicas, windows)
    pub triggers: Vec<(String, i64, Windows)>,
    pub min: i64,
    pub max: i64,
}

fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0).map_or_else(|| t.to_string(), |d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// Every workload with valid cron triggers, with their windows in `[from, to)`.
pub fn collect(outcome: &Outcome, from: i64, to: i64) -> Vec<WorkloadSchedule> {
    let idx = &outcome.index;
    let mut out: Vec<WorkloadSchedule> = Vec::new();
    for obj in &idx.objects {
        let cron = &idx.cron[obj.id];
        if cron.is_empty() {
            continue;
        }
        let workload = match (obj.kind, obj.scale_target()) {
            (Kind::ScaledObject, Some(t)) => format!("{}/{} {}", obj.namespace, t.name.value, t.kind.as_ref().map_or("Deployment", |k| k.value.as_str())),
            _ => format!("{}/{} ScaledJob", obj.namespace, obj.name()),
        };
        let v = obj.scaled();
        let min = v.as_ref().and_then(|v| v.min_replicas.as_ref().map(|m| m.value)).unwrap_or(0);
        let max = v.as_ref().and_then(|v| v.max_replicas.as_ref().map(|m| m.value)).unwrap_or(100);
        let triggers = obj.triggers();
        let entry = match out.iter_mut().position(|w| w.workload == workload) {
            Some(i) => &mut out[i],
            None => {
                out.push(WorkloadSchedule { workload: workload.clone(), triggers: Vec::new(), min, max });
                out.last_mut().expect("just pushed")
            }
        };
        for ct in cron {
            let Ok(tr) = &ct.result else { continue };
            let t = &triggers[ct.index];
            let label = format!("{}[{}]{}", obj.name(), ct.index, t.name.as_ref().map_or(String::new(), |n| format!(" {}", n.value)));
            entry.triggers.push((label, tr.desired, tr.windows(from, to)));
        }
    }
    out.retain(|w| !w.triggers.is_empty());
    out
}

/// The floor of replicas over time: the largest active `desiredReplicas`, clamped to min/max;
/// change points as (instant, replicas), at `from` and where a window opens or closes. One pass
/// over the triggers' windows side by side.
pub fn floor(w: &WorkloadSchedule, from: i64, to: i64) -> Floor<'_> {
    let triggers = w.triggers.iter().map(|(_, d, ws)| (*d, ws.iter().peekable())).collect();
    Floor { w, triggers, at: Some(from), to, last: None }
}

pub struct Floor<'a> {
    w: &'a WorkloadSchedule,
    /// Each trigger's desiredReplicas and its windows from the one that contains or follows `at`.
    triggers: Vec<(i64, std::iter::Peekable<crate::cron::windows::Iter<'a>>)>,
    /// The next instant to look at.
    at: Option<i64>,
    to: i64,
    last: Option<i64>,
}

impl Iterator for Floor<'_> {
    type Item = (i64, i64);

    fn next(&mut self) -> Option<(i64, i64)> {
        loop {
            let p = self.at?;
            let mut active = None;
            let mut next_point: Option<i64> = None;
            for (desired, ws) in &mut self.triggers {
                while ws.next_if(|(_, b)| *b <= p).is_some() {}
                if let Some(&(a, b)) = ws.peek() {
                    if a <= p {
                        active = active.max(Some(*desired));
                    }
                    let boundary = if a > p { a } else { b };
                    next_point = Some(next_point.map_or(boundary, |n| n.min(boundary)));
                }
            }
            self.at = next_point.filter(|n| *n < self.to);
            let replicas = active.map_or(self.w.min, |d| d.clamp(self.w.min.max(1), self.w.max.max(1)).max(self.w.min));
            if self.last != Some(replicas) {
                self.last = Some(replicas);
                return Some((p, replicas));
            }
        }
    }
}

/// Every window, in the JSON format's order (workload, trigger, time), serialized as it is read.
struct Intervals<'a>(&'a [WorkloadSchedule]);

impl Serialize for Intervals<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().flat_map(|w| {
            w.triggers.iter().flat_map(move |(label, _, ws)| {
                ws.iter().map(move |(a, b)| Interval { workload: &w.workload, trigger: label, start: rfc3339(a), end: rfc3339(b) })
            })
        }))
    }
}

pub fn json(schedules: &[WorkloadSchedule], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Intervals(schedules))?;
    out.write_all(b"\n")
}

/// One line per day, one cell per hour: `█` when the trigger is active at any time in that hour.
pub fn text(schedules: &[WorkloadSchedule], from: i64, to: i64, out: &mut dyn Write) -> io::Result<()> {
    if schedules.is_empty() {
        return out.write_all(b"no cron triggers found\n");
    }
    for w in schedules {
        writeln!(out, "{}  (min {}, max {})", w.workload, w.min, w.max)?;
        writeln!(out, "    {:<19}{}", "hour (UTC)", (0..24).map(|h| if h % 6 == 0 { format!("{h:<6}") } else { String::new() }).collect::<String>())?;
        for (label, desired, ws) in &w.triggers {
            writeln!(out, "  {label}  desiredReplicas {desired}")?;
            // The windows from the first that ends after the current cell.
            let mut ws = ws.iter().peekable();
            let mut day = from - from.rem_euclid(86_400);
            while day < to {
                let cells: String = (0..24)
                    .map(|h| {
                        let (a, b) = (day + h * 3600, day + (h + 1) * 3600);
                        while ws.next_if(|(_, e)| *e <= a).is_some() {}
                        if ws.peek().is_some_and(|(s, _)| *s < b) { '█' } else { '·' }
                    })
                    .collect();
                let date = chrono::DateTime::from_timestamp(day, 0).map_or(String::new(), |d| d.format("%a %Y-%m-%d").to_string());
                writeln!(out, "    {date}     {cells}")?;
                day += 86_400;
            }
        }
        writeln!(out, "  cron floor of replicas:")?;
        for (t, r) in floor(w, from, to) {
            writeln!(out, "    from {}  {r}", fmt_utc(t))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// A chart: one bar row per trigger, and the floor as a step line.
pub fn svg(schedules: &[WorkloadSchedule], from: i64, to: i64, out: &mut dyn Write) -> io::Result<()> {
    let width = 960.0;
    let left = 220.0;
    let span = (to - from).max(1) as f64;
    let x = |t: i64| left + (t - from) as f64 / span * (width - left - 20.0);
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    // The height comes first in the file and is known only at the end: the body is laid out
    // once for it, then written.
    let mut height = 30.0;
    for w in schedules {
        height += 20.0 + 22.0 * w.triggers.len() as f64 + 90.0;
    }
    writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{}\" font-family=\"sans-serif\" font-size=\"12\">\n<title>kedalint schedule {} to {}</title>",
        height + 10.0,
        fmt_utc(from),
        fmt_utc(to)
    )?;
    let mut day = from - from.rem_euclid(86_400);
    while day <= to {
        writeln!(out, "<line x1=\"{0:.1}\" y1=\"20\" x2=\"{0:.1}\" y2=\"{1}\" stroke=\"#ddd\"/>", x(day), height)?;
        day += 86_400;
    }
    let mut y = 30.0;
    for w in schedules {
        writeln!(out, "<text x=\"10\" y=\"{y}\" font-weight=\"bold\">{}</text>", esc(&w.workload))?;
        y += 20.0;
        for (label, desired, ws) in &w.triggers {
            writeln!(out, "<text x=\"20\" y=\"{}\">{} ({desired})</text>", y + 12.0, esc(label))?;
            for (a, b) in ws.iter() {
                writeln!(out, "<rect x=\"{:.1}\" y=\"{y}\" width=\"{:.1}\" height=\"16\" fill=\"#4a90d9\"><title>{} to {}</title></rect>", x(a), (x(b) - x(a)).max(0.5), fmt_utc(a), fmt_utc(b))?;
            }
            y += 22.0;
        }
        let top = floor(w, from, to).map(|(_, r)| r).max().unwrap_or(1).max(1) as f64;
        let h = 60.0;
        write!(out, "<text x=\"20\" y=\"{}\">cron floor (max {top})</text>\n<path d=\"", y + 30.0)?;
        for (i, (t, r)) in floor(w, from, to).enumerate() {
            let py = y + h - (r as f64 / top) * h;
            if i == 0 {
                write!(out, "M{:.1},{py:.1}", x(t))?;
            } else {
                write!(out, " H{:.1} V{py:.1}", x(t))?;
            }
        }
        writeln!(out, " H{:.1}\" fill=\"none\" stroke=\"#d9534f\" stroke-width=\"2\"/>", x(to))?;
        y += h + 30.0;
    }
    writeln!(out, "</svg>")
}
