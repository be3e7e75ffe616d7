//! A trigger's windows from the cron fields' periodicity, with work per day rather than per fire.
//!
//! [`Trigger::windows_by_events`] decides KEDA's activity at every fire of either schedule: a
//! `*/2` trigger fires 262,000 times a year, and 30 such triggers took half a minute. But away
//! from changes of UTC offset a schedule fires on a local day either never or at the same times
//! of day (its hour and minute fields); whether it fires that day depends only on robfig's month
//! and day fields. And between two fires KEDA's decision ("active while the next end fire comes
//! no later than the next start fire") is fixed by which schedule fires next: the stretch before
//! a fire of `end` is active, the stretch before a fire of `start` alone is not.
//!
//! So in a stretch free of offset changes, the windows of one UTC day follow from which of the
//! (at most two) local days it overlaps each schedule fires on, and from which schedule fires
//! first after it. That is a handful of day patterns, each computed once and stored once
//! ([`Windows`] keeps runs of days that share one). UTC days rather than local ones, so that a
//! start and an end in different zones (`CRON_TZ=`) need nothing special: each schedule's fires
//! on a UTC day are its local day's times rotated by its zone's offset.
//!
//! What stays exact, as in `windows_by_events`: the decision at `from`, at every minute of the
//! [irregular ranges](Trigger::irregular_ranges) around offset changes (robfig's `Next` is asked,
//! since its wall-clock arithmetic there follows no pattern), and after the last fire before each
//! of them (where the next fire is past the change). Everything else is the same decision taken
//! from the pattern; tests/cron_cost.rs compares the two algorithms window for window.

use super::spec::{offset_of, Schedule, Zone};
use super::trigger::Trigger;
use super::windows::{Windows, DAY};
use std::collections::HashMap;

/// The windows of `tr` in `[from, to)`.
pub(crate) fn windows(tr: &Trigger, from: i64, to: i64) -> Windows {
    if to <= from {
        return Windows::default();
    }
    let irregular = tr.irregular_ranges(from, to);
    let zones = [tr.start.zone(tr.zone), tr.end.zone(tr.zone)];
    if !offsets_in_whole_minutes(&zones, &irregular, from, to) {
        return Windows::from_intervals(tr.windows_by_events(from, to));
    }
    let mut b = Builder { trigger: tr, zones, out: Windows::default(), patterns: HashMap::new() };
    // The last instant decided, and its decision: it holds until the next fire.
    let (mut x0, mut d0) = (from, b.decide(from));
    for (first, last) in minute_blocks(&irregular, from) {
        if first > x0 {
            b.regular(x0, d0, first);
        }
        let mut m = first;
        while m < last {
            if b.decide(m) {
                b.out.push_interval(m, m + 60);
            }
            m += 60;
        }
        (x0, d0) = (last, b.decide(last));
    }
    b.regular(x0, d0, to);
    b.out
}

/// Whether every UTC offset the schedules' zones have in `[from, to)` is a whole number of
/// minutes, so that every fire is on a UTC minute, as the minute-by-minute evaluation near
/// offset changes assumes. True of every zone since 1972 (Monrovia's -0:44:30 was the last).
/// The offsets are sampled at both ends and on both sides of each offset change (each lies in an
/// irregular range).
fn offsets_in_whole_minutes(zones: &[Zone], irregular: &[(i64, i64)], from: i64, to: i64) -> bool {
    let instants = [from, to - 1].into_iter().chain(irregular.iter().flat_map(|&(lo, hi)| [lo, hi - 1]));
    instants.filter(|t| (from..to).contains(t)).all(|t| zones.iter().all(|z| offset_of(t, *z) % 60 == 0))
}

/// The minutes decided one by one: those of the irregular ranges, from the minute at or before
/// each range's start (as `windows_by_events` has them) and not before `from`, as sorted runs
/// `(first, last)` of whole minutes, merged where they meet.
fn minute_blocks(irregular: &[(i64, i64)], from: i64) -> Vec<(i64, i64)> {
    let first_minute = from + (60 - from.rem_euclid(60)) % 60;
    let mut blocks: Vec<(i64, i64)> = irregular
        .iter()
        .filter_map(|&(lo, hi)| {
            let first = (lo - lo.rem_euclid(60)).max(first_minute);
            let last = (hi - 1) - (hi - 1).rem_euclid(60);
            (first <= last).then_some((first, last))
        })
        .collect();
    blocks.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(blocks.len());
    for (first, last) in blocks {
        match merged.last_mut() {
            Some(m) if first <= m.1 + 60 => m.1 = m.1.max(last),
            _ => merged.push((first, last)),
        }
    }
    merged
}

/// One schedule's fires on UTC days while its zone keeps one UTC offset. A UTC day overlaps two
/// local days: the one it starts in (its late hours come first in the UTC day) and the next.
struct DayFires<'a> {
    schedule: &'a Schedule,
    offset: i64,
    /// Seconds after UTC midnight of the fires from the local day the UTC day starts in.
    early: Vec<u32>,
    /// The same, from the next local day (all after `early`).
    late: Vec<u32>,
}

/// Which local days a schedule fires on, for one UTC day: bit 0 the early one, bit 1 the late.
type Parts = u8;

impl<'a> DayFires<'a> {
    fn new(schedule: &'a Schedule, offset: i64) -> DayFires<'a> {
        // Local midnight is `r` seconds before UTC midnight's local time.
        let r = offset.rem_euclid(DAY) as u32;
        let times = schedule.times_of_day();
        let early = times.iter().filter(|p| **p >= r).map(|p| p - r).collect();
        let late = times.iter().filter(|p| **p < r).map(|p| DAY as u32 - r + p).collect();
        DayFires { schedule, offset, early, late }
    }

    /// Which parts fire on the UTC day numbered `day`.
    fn parts_on(&self, day: i64) -> Parts {
        let local = (day * DAY + self.offset).div_euclid(DAY);
        let early = !self.early.is_empty() && self.schedule.fires_on_day(local);
        let late = !self.late.is_empty() && self.schedule.fires_on_day(local + 1);
        early as Parts | (late as Parts) << 1
    }

    /// The fires of those parts, in seconds after UTC midnight, in order.
    fn fires(&self, parts: Parts) -> impl Iterator<Item = u32> + '_ {
        let early: &[u32] = if parts & 1 != 0 { &self.early } else { &[] };
        let late: &[u32] = if parts & 2 != 0 { &self.late } else { &[] };
        early.iter().chain(late).copied()
    }
}

/// A day pattern's identity: the two schedules' offsets, their parts that day, and whether the
/// stretch after the day's last fire is active (the next fire after the day is an end's).
type PatternKey = (i64, i64, Parts, Parts, bool);

struct Builder<'a> {
    trigger: &'a Trigger,
    /// The zones of the start and end schedules.
    zones: [Zone; 2],
    out: Windows,
    patterns: HashMap<PatternKey, u32>,
}

impl<'a> Builder<'a> {
    /// KEDA's decision at `t`, from robfig's `Next`.
    fn decide(&mut self, t: i64) -> bool {
        self.out.count_decision();
        self.trigger.active_at(t)
    }

    /// The windows in `(x0, x1)`, a stretch with no offset change, where every fire is an event;
    /// `d0` is the decision at `x0`, which holds until the first fire.
    fn regular(&mut self, x0: i64, d0: bool, x1: i64) {
        let tr = self.trigger;
        let start = DayFires::new(&tr.start, offset_of(x0 + 1, self.zones[0]));
        let end = DayFires::new(&tr.end, offset_of(x0 + 1, self.zones[1]));
        let parts = |day: i64| (start.parts_on(day), end.parts_on(day));
        let fires_in_gap = |day: i64| {
            let (ps, pe) = parts(day);
            start.fires(ps).chain(end.fires(pe)).map(move |t| day * DAY + t as i64).filter(|t| *t > x0 && *t < x1)
        };
        let days = x0.div_euclid(DAY)..=(x1 - 1).div_euclid(DAY);
        let Some(first) = days.clone().find_map(|d| fires_in_gap(d).min()) else {
            if d0 {
                self.out.push_interval(x0, x1);
            }
            return;
        };
        let last = days.rev().find_map(|d| fires_in_gap(d).max()).unwrap_or(first);
        if d0 {
            self.out.push_interval(x0, first);
        }
        // Between `first` and `last` each day's windows are its pattern. Its last stretch depends
        // on the next day with fires, so the patterns are found from the last day backwards.
        let (first_day, last_day) = (first.div_euclid(DAY), last.div_euclid(DAY));
        let mut ids = Vec::with_capacity((last_day - first_day + 1) as usize);
        let mut end_fires_next = false;
        for day in (first_day..=last_day).rev() {
            let (ps, pe) = parts(day);
            ids.push(self.pattern(&start, &end, ps, pe, end_fires_next));
            let (s, e) = (start.fires(ps).next(), end.fires(pe).next());
            end_fires_next = match (s, e) {
                (Some(s), Some(e)) => e <= s,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (None, None) => end_fires_next,
            };
        }
        for (day, id) in (first_day..=last_day).zip(ids.into_iter().rev()) {
            self.out.push_day(day * DAY, id, (first, last));
        }
        // After the last fire the next one is past the stretch (maybe past a change): ask `Next`.
        if self.decide(last) {
            self.out.push_interval(last, x1);
        }
    }

    fn pattern(&mut self, start: &DayFires, end: &DayFires, ps: Parts, pe: Parts, active_at_end: bool) -> u32 {
        let key = (start.offset, end.offset, ps, pe, active_at_end);
        if let Some(id) = self.patterns.get(&key) {
            return *id;
        }
        let id = self.out.add_pattern(day_pattern(start.fires(ps), end.fires(pe), active_at_end));
        self.patterns.insert(key, id);
        id
    }
}

/// The active parts of a day whose fires are `starts` and `ends` (seconds after midnight, in
/// order): each stretch that ends at a fire of `end` (also when `start` fires at the same
/// instant), and the stretch after the day's last fire when `active_at_end`.
fn day_pattern(starts: impl Iterator<Item = u32>, ends: impl Iterator<Item = u32>, active_at_end: bool) -> Box<[(u32, u32)]> {
    fn push(out: &mut Vec<(u32, u32)>, a: u32, b: u32) {
        if a >= b {
            return;
        }
        match out.last_mut() {
            Some(last) if last.1 == a => last.1 = b,
            _ => out.push((a, b)),
        }
    }
    let (mut starts, mut ends) = (starts.peekable(), ends.peekable());
    let mut out = Vec::new();
    let mut previous = 0;
    loop {
        let (t, is_end) = match (starts.peek().copied(), ends.peek().copied()) {
            (None, None) => break,
            (Some(s), Some(e)) if e <= s => {
                if e == s {
                    starts.next();
                }
                ends.next();
                (e, true)
            }
            (Some(s), _) => {
                starts.next();
                (s, false)
            }
            (None, Some(e)) => {
                ends.next();
                (e, true)
            }
        };
        if is_end {
            push(&mut out, previous, t);
        }
        previous = t;
    }
    if active_at_end {
        push(&mut out, previous, DAY as u32);
    }
    out.into_boxed_slice()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_active_up_to_each_end_fire() {
        // start 08:00 and 18:00, end 12:00 and 18:00 (both at 18:00 counts as an end): active
        // from the start at 08:00 to the end at 12:00, then up to the end at 18:00.
        let h = |h: u32| h * 3600;
        let p = day_pattern([h(8), h(18)].into_iter(), [h(12), h(18)].into_iter(), false);
        assert_eq!(&*p, &[(h(8), h(18))]);
        // An end first thing: active from midnight; the next day's first fire is an end.
        let p = day_pattern([h(9)].into_iter(), [h(1)].into_iter(), true);
        assert_eq!(&*p, &[(0, h(1)), (h(9), DAY as u32)]);
        assert!(day_pattern(std::iter::empty(), std::iter::empty(), false).is_empty());
    }

    #[test]
    fn minute_blocks_merge_overlapping_ranges() {
        assert_eq!(minute_blocks(&[(600, 1000), (900, 1300), (5000, 4000)], 0), vec![(600, 1260)]);
        // Not before `from`: the first whole minute at or after it.
        assert_eq!(minute_blocks(&[(30, 200)], 30), vec![(60, 180)]);
    }
}
