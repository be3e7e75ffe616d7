//! `kedalint schedule`: each workload's cron windows and the floor of replicas they set, as a
//! week timeline (text), intervals (JSON, as cronoracle prints them: UTC, end exclusive) or a chart
//! (SVG). The windows are KEDA's own decisions (`crate::cron`).

use crate::cron::analysis::fmt_utc;
use crate::engine::Outcome;
use crate::model::Kind;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Interval {
    pub workload: String,
    pub trigger: String,
    pub start: String,
    pub end: String,
    #[serde(skip)]
    pub span: (i64, i64),
}

/// The cron triggers that scale one workload.
#[derive(Debug, Clone)]
pub struct WorkloadSchedule {
    pub workload: String,
    /// (trigger label, desiredReplicas, windows)
    pub triggers: Vec<(String, i64, Vec<(i64, i64)>)>,
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
            entry.triggers.push((label, tr.desired, tr.windows(from, to).iter().collect()));
        }
    }
    out.retain(|w| !w.triggers.is_empty());
    out
}

/// The floor of replicas over time: the largest active `desiredReplicas`, clamped to min/max;
/// change points as (instant, replicas).
pub fn floor(w: &WorkloadSchedule, from: i64, to: i64) -> Vec<(i64, i64)> {
    let mut points: Vec<i64> = vec![from];
    for (_, _, ws) in &w.triggers {
        for (a, b) in ws {
            points.push(*a);
            points.push(*b);
        }
    }
    points.retain(|p| (from..to).contains(p));
    points.sort_unstable();
    points.dedup();
    let mut out: Vec<(i64, i64)> = Vec::new();
    for p in points {
        let active = w.triggers.iter().filter(|(_, _, ws)| ws.iter().any(|(a, b)| *a <= p && p < *b)).map(|(_, d, _)| *d).max();
        let replicas = active.map_or(w.min, |d| d.clamp(w.min.max(1), w.max.max(1)).max(w.min));
        if out.last().is_none_or(|l| l.1 != replicas) {
            out.push((p, replicas));
        }
    }
    out
}

pub fn json(schedules: &[WorkloadSchedule]) -> String {
    let intervals: Vec<Interval> = schedules
        .iter()
        .flat_map(|w| {
            w.triggers.iter().flat_map(move |(label, _, ws)| {
                ws.iter().map(move |(a, b)| Interval { workload: w.workload.clone(), trigger: label.clone(), start: rfc3339(*a), end: rfc3339(*b), span: (*a, *b) })
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&intervals).expect("serializes");
    s.push('\n');
    s
}

/// One line per day, one cell per hour: `█` when the trigger is active at any time in that hour.
pub fn text(schedules: &[WorkloadSchedule], from: i64, to: i64) -> String {
    let mut out = String::new();
    if schedules.is_empty() {
        return "no cron triggers found\n".into();
    }
    for w in schedules {
        out.push_str(&format!("{}  (min {}, max {})\n", w.workload, w.min, w.max));
        out.push_str(&format!("    {:<19}{}\n", "hour (UTC)", (0..24).map(|h| if h % 6 == 0 { format!("{h:<6}") } else { String::new() }).collect::<String>()));
        for (label, desired, ws) in &w.triggers {
            out.push_str(&format!("  {label}  desiredReplicas {desired}\n"));
            let mut day = from - from.rem_euclid(86_400);
            while day < to {
                let cells: String = (0..24)
                    .map(|h| {
                        let (a, b) = (day + h * 3600, day + (h + 1) * 3600);
                        if ws.iter().any(|(s, e)| *s < b && a < *e) { '█' } else { '·' }
                    })
                    .collect();
                let date = chrono::DateTime::from_timestamp(day, 0).map_or(String::new(), |d| d.format("%a %Y-%m-%d").to_string());
                out.push_str(&format!("    {date}     {cells}\n"));
                day += 86_400;
            }
        }
        out.push_str("  cron floor of replicas:\n");
        for (t, r) in floor(w, from, to) {
            out.push_str(&format!("    from {}  {r}\n", fmt_utc(t)));
        }
        out.push('\n');
    }
    out
}

/// A chart: one bar row per trigger, and the floor as a step line.
pub fn svg(schedules: &[WorkloadSchedule], from: i64, to: i64) -> String {
    let width = 960.0;
    let left = 220.0;
    let span = (to - from).max(1) as f64;
    let x = |t: i64| left + (t - from) as f64 / span * (width - left - 20.0);
    let mut y = 30.0;
    let mut body = String::new();
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    for w in schedules {
        body.push_str(&format!("<text x=\"10\" y=\"{y}\" font-weight=\"bold\">{}</text>\n", esc(&w.workload)));
        y += 20.0;
        for (label, desired, ws) in &w.triggers {
            body.push_str(&format!("<text x=\"20\" y=\"{}\">{} ({desired})</text>\n", y + 12.0, esc(label)));
            for (a, b) in ws {
                body.push_str(&format!("<rect x=\"{:.1}\" y=\"{y}\" width=\"{:.1}\" height=\"16\" fill=\"#4a90d9\"><title>{} to {}</title></rect>\n", x(*a), (x(*b) - x(*a)).max(0.5), fmt_utc(*a), fmt_utc(*b)));
            }
            y += 22.0;
        }
        let fl = floor(w, from, to);
        let top = fl.iter().map(|(_, r)| *r).max().unwrap_or(1).max(1) as f64;
        let h = 60.0;
        let mut path = String::new();
        for (i, (t, r)) in fl.iter().enumerate() {
            let py = y + h - (*r as f64 / top) * h;
            if i == 0 {
                path.push_str(&format!("M{:.1},{py:.1}", x(*t)));
            } else {
                path.push_str(&format!(" H{:.1} V{py:.1}", x(*t)));
            }
        }
        path.push_str(&format!(" H{:.1}", x(to)));
        body.push_str(&format!("<text x=\"20\" y=\"{}\">cron floor (max {top})</text>\n<path d=\"{path}\" fill=\"none\" stroke=\"#d9534f\" stroke-width=\"2\"/>\n", y + 30.0));
        y += h + 30.0;
    }
    let mut day = from - from.rem_euclid(86_400);
    let mut ticks = String::new();
    while day <= to {
        ticks.push_str(&format!("<line x1=\"{0:.1}\" y1=\"20\" x2=\"{0:.1}\" y2=\"{1}\" stroke=\"#ddd\"/>\n", x(day), y));
        day += 86_400;
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{}\" font-family=\"sans-serif\" font-size=\"12\">\n<title>kedalint schedule {} to {}</title>\n{ticks}{body}</svg>\n",
        y + 10.0,
        fmt_utc(from),
        fmt_utc(to)
    )
}
