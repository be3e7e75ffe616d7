//! A cron trigger as KEDA's cron scaler sees it: metadata validation (the typed config, then
//! `Validate`), and the activity decision: active iff the next end fire comes no later than the
//! next start fire (rules.md §2.4), with Go's zero time for "never".

use super::spec::{load_location, parse, ParseError, Schedule, Zone};
use super::windows::Windows;

#[derive(Debug, Clone)]
pub struct Trigger {
    pub start: Schedule,
    pub end: Schedule,
    pub zone: Zone,
    pub desired: i64,
}

/// Why KEDA refuses a cron trigger, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The scaler cannot be created (the ScaledObject is not ready): KEDA's error lines.
    Creation(Vec<String>),
    /// The scaler is created but fails on every poll: the zone does not load.
    EveryPoll(String),
}

/// The metadata values KEDA reads, trimmed; `None` when absent or blank.
#[derive(Debug, Clone, Default)]
pub struct Metadata<'a> {
    pub start: Option<&'a str>,
    pub end: Option<&'a str>,
    pub timezone: Option<&'a str>,
    pub desired_replicas: Option<&'a str>,
}

/// `encoding/json` into an int64.
fn json_int64(s: &str) -> Option<i64> {
    crate::scalers::json_int(s).then(|| s.parse().ok()).flatten()
}

/// KEDA's validation of a cron trigger (typed config, then `cronMetadata.Validate`).
pub fn validate(m: &Metadata<'_>) -> Result<Trigger, Refusal> {
    let mut errors = Vec::new();
    fn get(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|v| !v.is_empty())
    }
    let (start, end, tz) = (get(m.start), get(m.end), get(m.timezone));
    for (name, v) in [("start", start), ("end", end), ("timezone", tz)] {
        if v.is_none() {
            errors.push(format!("missing required parameter {name:?} in [triggerMetadata]"));
        }
    }
    let mut desired = 0;
    match get(m.desired_replicas) {
        None => errors.push("missing required parameter \"desiredReplicas\" in [triggerMetadata]".into()),
        Some(v) => match json_int64(v) {
            Some(n) => desired = n,
            None => errors.push(format!("unable to set param \"desiredReplicas\" value {v:?}: unable to unmarshal to field type int64")),
        },
    }
    let mut parsed = Vec::new();
    let mut validate_err = None;
    for (which, expr) in [("start", start.unwrap_or("")), ("end", end.unwrap_or(""))] {
        match parse(expr) {
            Ok(s) => parsed.push(s),
            Err(ParseError::Panic(p)) => return Err(Refusal::Creation(vec![format!("failed to parse typed config resulted in panic: {p}")])),
            Err(e) => {
                validate_err = Some(format!("error parsing {which} schedule: {e}"));
                break;
            }
        }
    }
    if validate_err.is_none() {
        if start.unwrap_or("") == end.unwrap_or("") {
            validate_err = Some("start and end can not have exactly same time input".into());
        } else if desired == 0 {
            validate_err = Some("no desiredReplicas specified".into());
        }
    }
    errors.extend(validate_err);
    if !errors.is_empty() {
        return Err(Refusal::Creation(errors));
    }
    let zone = load_location(tz.unwrap_or("")).map_err(|e| Refusal::EveryPoll(format!("unable to load timezone: {e}")))?;
    let end = parsed.pop().expect("two schedules");
    let start = parsed.pop().expect("two schedules");
    Ok(Trigger { start, end, zone, desired })
}

impl Trigger {
    /// Instants in `[from, to)` where the UTC offset of any zone this trigger uses changes, with
    /// the size of the change in seconds.
    fn offset_changes(&self, from: i64, to: i64) -> Vec<(i64, i64)> {
        let mut zones = vec![self.zone, self.start.zone(self.zone), self.end.zone(self.zone)];
        zones.dedup();
        let mut out = Vec::new();
        for z in zones {
            let mut prev = super::spec::offset_of(from, z);
            let mut t = from;
            while t < to {
                let next = (t + 900).min(to);
                let off = super::spec::offset_of(next, z);
                if off != prev {
                    out.push((next, (off - prev).abs()));
                    prev = off;
                }
                t = next;
            }
        }
        out
    }

    /// KEDA's decision at instant `t` (unix seconds), in KEDA's own terms: robfig's `Next` is
    /// usually after `t`, but around a DST change it can return an earlier instant, so the
    /// comparison with `now` matters. Go's zero time ("never") is earlier than every instant.
    pub fn active_at(&self, t: i64) -> bool {
        let ns = self.start.next(t, self.zone).unwrap_or(i64::MIN);
        let ne = self.end.next(t, self.zone).unwrap_or(i64::MIN);
        if ns < ne { t > ns && t < ne } else { t > ns || t < ne }
    }

    /// Fire times of `s` in `(from, to)`, in order. Where robfig's `Next` does not move forward
    /// (at Chatham's April change, 03:45 local, `Next` of the change instant is that instant, so
    /// following it never ends), the search goes on from the next minute: such instants lie in an
    /// irregular range, where every minute is decided with `Next` itself anyway.
    fn fires(&self, s: &Schedule, from: i64, to: i64) -> Vec<i64> {
        let mut out = Vec::new();
        let mut t = from;
        while let Some(n) = s.next(t, self.zone) {
            if n >= to {
                break;
            }
            if n > t {
                out.push(n);
                t = n;
            } else {
                t += 60 - t.rem_euclid(60);
            }
        }
        out
    }

    /// Where robfig's `Next` cannot be trusted to follow the fields: around each change of UTC
    /// offset its wall-clock arithmetic makes `Next` depend on where in the repeated or skipped
    /// hour it starts (it can even return an instant before its argument). Six hours either side
    /// of a change, longer for shifts that are not a whole hour: robfig steps hours as absolute
    /// time, so after Lord Howe's 30-minute shift its hour search runs off the minute grid for
    /// days. Ranges `(lo, hi)` within `[from, to)`, neither sorted nor merged, possibly empty.
    pub(crate) fn irregular_ranges(&self, from: i64, to: i64) -> Vec<(i64, i64)> {
        let first_minute = from + (60 - from.rem_euclid(60)) % 60;
        self.offset_changes(from - 86_400, to + 86_400)
            .into_iter()
            .map(|(change, delta)| {
                let reach = if delta % 3600 == 0 { 6 * 3600 } else { 72 * 3600 };
                ((change - reach).max(first_minute), (change + reach).min(to))
            })
            .collect()
    }

    /// Active intervals `[start, end)` within `[from, to)`, at KEDA's granularity (fires are
    /// whole minutes), merged where they touch. The work does not grow with how often the
    /// schedules fire: see [`super::periodic`].
    pub fn windows(&self, from: i64, to: i64) -> Windows {
        super::periodic::windows(self, from, to)
    }

    /// The same intervals found directly, with work and memory for every fire: the decision is
    /// evaluated at `from` and at each fire of either schedule (away from DST changes it only
    /// changes there), and every minute of the [irregular ranges](Self::irregular_ranges). Exact
    /// for any zone; [`Self::windows`] uses it where offsets are not whole minutes (zones before
    /// 1972), and the tests compare the two.
    pub fn windows_by_events(&self, from: i64, to: i64) -> Vec<(i64, i64)> {
        let starts = self.fires(&self.start, from, to);
        let ends = self.fires(&self.end, from, to);
        let mut events: Vec<i64> = starts.iter().chain(ends.iter()).copied().collect();
        events.push(from);
        let dense = self.irregular_ranges(from, to);
        for &(lo, hi) in &dense {
            let mut t = lo - lo.rem_euclid(60);
            while t < hi {
                if t >= from {
                    events.push(t);
                }
                t += 60;
            }
        }
        events.sort_unstable();
        events.dedup();
        // Away from DST changes the next fires after an event are simply the next ones in the
        // lists (found with two cursors); near a change, `Next` itself is asked.
        let (mut si, mut ei) = (0usize, 0usize);
        let decide = |e: i64, si: &mut usize, ei: &mut usize| -> bool {
            if dense.iter().any(|(lo, hi)| (*lo..*hi).contains(&e)) {
                return self.active_at(e);
            }
            while *si < starts.len() && starts[*si] <= e {
                *si += 1;
            }
            while *ei < ends.len() && ends[*ei] <= e {
                *ei += 1;
            }
            // Past the last fire inside the horizon, ask `Next` (it may be beyond `to`, or never).
            let ns = starts.get(*si).copied().or_else(|| self.start.next(e, self.zone)).unwrap_or(i64::MIN);
            let ne = ends.get(*ei).copied().or_else(|| self.end.next(e, self.zone)).unwrap_or(i64::MIN);
            if ns < ne { e > ns && e < ne } else { e > ns || e < ne }
        };
        let mut out: Vec<(i64, i64)> = Vec::new();
        for (i, &e) in events.iter().enumerate() {
            let until = events.get(i + 1).copied().unwrap_or(to);
            if decide(e, &mut si, &mut ei) {
                match out.last_mut() {
                    Some(last) if last.1 == e => last.1 = until,
                    _ => out.push((e, until)),
                }
            }
        }
        out
    }
}
