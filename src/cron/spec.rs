//! KEDA's cron expressions: robfig/cron v3.0.1's parser (as KEDA configures it: five fields, no
//! seconds, no descriptors) and its `SpecSchedule.Next`, mirrored step by step, with Go's `time`
//! arithmetic (`time.Date` normalization and zone resolution, `AddDate`, `Add`, `Truncate`) on top
//! of chrono-tz. The `cron` crate was the design card's choice; its semantics differ from KEDA's in
//! every place that matters here (a seconds field, Sunday = 1, day-of-month AND day-of-week,
//! descriptors accepted), so kedalint mirrors robfig instead, and tests/cron_oracle.rs compares
//! the result with KEDA's own decisions (../shared/oracles/cron).

use chrono::{Offset, TimeZone};
use chrono_tz::Tz;

const STAR_BIT: u64 = 1 << 63;

#[derive(Debug, Clone, Copy)]
struct Bounds {
    min: u64,
    max: u64,
    names: &'static [(&'static str, u64)],
}

const MINUTES: Bounds = Bounds { min: 0, max: 59, names: &[] };
const HOURS: Bounds = Bounds { min: 0, max: 23, names: &[] };
const DOM: Bounds = Bounds { min: 1, max: 31, names: &[] };
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("may", 5), ("jun", 6), ("jul", 7), ("aug", 8), ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12)],
};
const DOW: Bounds = Bounds { min: 0, max: 6, names: &[("sun", 0), ("mon", 1), ("tue", 2), ("wed", 3), ("thu", 4), ("fri", 5), ("sat", 6)] };

/// A zone as Go's `time.LoadLocation` finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(pub Tz);

/// Go's `time.LoadLocation`, with the process zone (`Local`) being UTC as in KEDA's image.
pub fn load_location(name: &str) -> Result<Zone, String> {
    match name {
        "" | "UTC" | "Local" => return Ok(Zone(Tz::UTC)),
        _ => {}
    }
    if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
        return Err("time: invalid location name".into());
    }
    name.parse::<Tz>().map(Zone).map_err(|_| format!("unknown time zone {name}"))
}

/// A parsed schedule (robfig `SpecSchedule`); seconds are always 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub minute: u64,
    pub hour: u64,
    pub dom: u64,
    pub month: u64,
    pub dow: u64,
    /// A `TZ=`/`CRON_TZ=` prefix overrides the trigger's time zone.
    pub location: Option<Zone>,
}

/// How `Parse` fails: robfig's error text, or a panic (which KEDA recovers into a rejection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    Error(String),
    Panic(String),
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Error(e) => f.write_str(e),
            ParseError::Panic(e) => write!(f, "panic: {e}"),
        }
    }
}

fn err<T>(s: String) -> Result<T, ParseError> {
    Err(ParseError::Error(s))
}

/// Go's `strconv.Atoi` error text for `s`, or the value.
fn atoi(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.Atoi: parsing {s:?}: invalid syntax"));
    }
    s.parse::<i64>().map_err(|_| format!("strconv.Atoi: parsing {s:?}: value out of range"))
}

fn must_parse_int(expr: &str) -> Result<u64, ParseError> {
    match atoi(expr) {
        Err(e) => err(format!("failed to parse int from {expr}: {e}")),
        Ok(n) if n < 0 => err(format!("negative number ({n}) not allowed: {expr}")),
        Ok(n) => Ok(n as u64),
    }
}

fn parse_int_or_name(expr: &str, r: Bounds) -> Result<u64, ParseError> {
    let lower = expr.to_lowercase();
    if let Some((_, v)) = r.names.iter().find(|(n, _)| *n == lower) {
        return Ok(*v);
    }
    must_parse_int(expr)
}

fn get_bits(min: u64, max: u64, step: u64) -> u64 {
    let mut bits = 0u64;
    let mut i = min;
    while i <= max {
        bits |= 1u64.checked_shl(i as u32).unwrap_or(0);
        i += step;
    }
    bits
}

fn get_range(expr: &str, r: Bounds) -> Result<u64, ParseError> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let (mut start, mut end, mut extra);
    if low_and_high[0] == "*" || low_and_high[0] == "?" {
        start = r.min;
        end = r.max;
        extra = STAR_BIT;
    } else {
        start = parse_int_or_name(low_and_high[0], r)?;
        end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], r)?,
            _ => return err(format!("too many hyphens: {expr}")),
        };
        extra = 0;
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step[1])?;
            if single {
                end = r.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return err(format!("too many slashes: {expr}")),
    };
    if start < r.min {
        return err(format!("beginning of range ({start}) below minimum ({}): {expr}", r.min));
    }
    if end > r.max {
        return err(format!("end of range ({end}) above maximum ({}): {expr}", r.max));
    }
    if start > end {
        return err(format!("beginning of range ({start}) beyond end of range ({end}): {expr}"));
    }
    if step == 0 {
        return err(format!("step of range should be a positive number: {expr}"));
    }
    start = start.min(63);
    Ok(get_bits(start, end, step) | extra)
}

fn get_field(field: &str, r: Bounds) -> Result<u64, ParseError> {
    let mut bits = 0;
    for expr in field.split(',').filter(|s| !s.is_empty()) {
        bits |= get_range(expr, r)?;
    }
    Ok(bits)
}

/// Go's `strings.Fields`: split on Unicode white space, dropping empty parts.
fn go_fields(s: &str) -> Vec<&str> {
    s.split(char::is_whitespace).filter(|f| !f.is_empty()).collect()
}

/// robfig `Parser.Parse` with KEDA's options (`Minute | Hour | Dom | Month | Dow`).
pub fn parse(spec: &str) -> Result<Schedule, ParseError> {
    if spec.is_empty() {
        return err("empty spec string".into());
    }
    let mut spec = spec.to_owned();
    let mut location = None;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let Some(i) = spec.find(' ') else {
            // robfig slices spec[eq+1:-1]: a runtime panic, recovered by KEDA's typed config.
            return Err(ParseError::Panic("runtime error: slice bounds out of range [:-1]".into()));
        };
        let eq = spec.find('=').unwrap_or(0);
        if eq + 1 > i {
            return Err(ParseError::Panic(format!("runtime error: slice bounds out of range [{}:{i}]", eq + 1)));
        }
        let name = &spec[eq + 1..i];
        match load_location(name) {
            Ok(z) => location = Some(z),
            Err(e) => return err(format!("provided bad location {name}: {e}")),
        }
        spec = spec[i..].trim().to_owned();
    }
    if spec.starts_with('@') {
        return err(format!("parser does not accept descriptors: {spec}"));
    }
    let fields = go_fields(&spec);
    if fields.len() != 5 {
        return err(format!("expected exactly 5 fields, found {}: [{}]", fields.len(), fields.join(" ")));
    }
    Ok(Schedule {
        minute: get_field(fields[0], MINUTES)?,
        hour: get_field(fields[1], HOURS)?,
        dom: get_field(fields[2], DOM)?,
        month: get_field(fields[3], MONTHS)?,
        dow: get_field(fields[4], DOW)?,
        location,
    })
}

// ---------------------------------------------------------------------------------------------
// Go's time arithmetic on (unix seconds, zone).

#[derive(Debug, Clone, Copy)]
struct Local {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    weekday: u32,
}

fn local(t: i64, z: Zone) -> Local {
    // The offset from chrono-tz, the civil fields by arithmetic (much cheaper than building a
    // DateTime for each of the many steps `Next` takes).
    let secs = t + offset_at(t, z);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    Local {
        year,
        month: month as u32,
        day: day as u32,
        hour: (sod / 3600) as u32,
        minute: (sod / 60 % 60) as u32,
        second: (sod % 60) as u32,
        // 1970-01-01 was a Thursday (4, counting Sunday as 0).
        weekday: (days + 4).rem_euclid(7) as u32,
    }
}

/// The civil date of a day number (days since 1970-01-01), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The UTC offset (seconds) of zone `z` at instant `utc`.
pub fn offset_of(utc: i64, z: Zone) -> i64 {
    offset_at(utc, z)
}

/// chrono-tz's answer, the reference for the cached tables below.
fn offset_from_tzdb(utc: i64, z: Zone) -> i64 {
    let Some(naive) = chrono::DateTime::from_timestamp(utc, 0).map(|d| d.naive_utc()) else { return 0 };
    z.0.offset_from_utc_datetime(&naive).fix().local_minus_utc() as i64
}

/// Seconds per cache bucket (about 388 days).
const BUCKET: i64 = 1 << 25;
/// Sampling step when looking for offset changes in a bucket: zones change offset at most a few
/// times a year, never twice within 6 hours.
const PROBE: i64 = 6 * 3600;

/// A bucket of time in one zone: the offset at its start and every change within it, found once
/// by sampling and bisecting chrono-tz. `Next` asks for offsets millions of times over a year of
/// cron windows; chrono-tz's lookup (a binary search and date conversions per call) was most of a
/// run's time on repositories with many cron triggers.
struct OffsetBucket {
    first: i64,
    /// (instant, offset from then on), in time order.
    changes: Vec<(i64, i64)>,
}

impl OffsetBucket {
    fn build(bucket: i64, z: Zone) -> OffsetBucket {
        let start = bucket * BUCKET;
        let first = offset_from_tzdb(start, z);
        let mut changes = Vec::new();
        let (mut t, mut current) = (start, first);
        while t < start + BUCKET {
            let next = (t + PROBE).min(start + BUCKET);
            let off = offset_from_tzdb(next, z);
            if off != current {
                // The change is in (t, next]: bisect to the second.
                let (mut lo, mut hi) = (t, next);
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if offset_from_tzdb(mid, z) == current { lo = mid } else { hi = mid }
                }
                changes.push((hi, off));
                current = off;
            }
            t = next;
        }
        OffsetBucket { first, changes }
    }

    fn at(&self, utc: i64) -> i64 {
        self.changes.iter().rev().find(|(t, _)| *t <= utc).map_or(self.first, |(_, o)| *o)
    }
}

type BucketKey = (Tz, i64);

thread_local! {
    static OFFSETS: std::cell::RefCell<std::collections::HashMap<BucketKey, std::rc::Rc<OffsetBucket>>> = Default::default();
    /// The bucket used last: nearly every lookup hits it, without hashing.
    static LAST: std::cell::RefCell<Option<(BucketKey, std::rc::Rc<OffsetBucket>)>> = const { std::cell::RefCell::new(None) };
}

fn offset_at(utc: i64, z: Zone) -> i64 {
    if z.0 == Tz::UTC {
        return 0;
    }
    let key = (z.0, utc.div_euclid(BUCKET));
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((k, b)) = last.as_ref()
            && *k == key {
                return b.at(utc);
            }
        let b = OFFSETS.with(|cache| cache.borrow_mut().entry(key).or_insert_with(|| std::rc::Rc::new(OffsetBucket::build(key.1, z))).clone());
        let off = b.at(utc);
        *last = Some((key, b));
        off
    })
}

/// Days from 1970-01-01 to the civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Go's `time.Date(year, month, day, hour, min, sec, 0, loc)`, with its normalization of
/// out-of-range fields and its resolution of local times in DST gaps and overlaps.
fn go_date(year: i64, month: i64, day: i64, hour: i64, min: i64, sec: i64, z: Zone) -> i64 {
    let m0 = month - 1;
    let year = year + m0.div_euclid(12);
    let month = m0.rem_euclid(12) + 1;
    let local_secs = (days_from_civil(year, month, 1) + day - 1) * 86_400 + hour * 3600 + min * 60 + sec;
    // Look up the offset as if the local time were UTC, then check it against the instant it
    // gives; if that instant is in another zone period, use that period's offset.
    let offset = offset_at(local_secs, z);
    let utc = local_secs - offset;
    let offset2 = offset_at(utc, z);
    if offset2 == offset { utc } else { local_secs - offset2 }
}

fn add_date(t: i64, z: Zone, months: i64, days: i64) -> i64 {
    let l = local(t, z);
    go_date(l.year, l.month as i64 + months, l.day as i64 + days, l.hour as i64, l.minute as i64, l.second as i64, z)
}

fn bit(set: u64, n: u32) -> bool {
    (1u64 << n) & set != 0
}

fn day_matches(s: &Schedule, l: &Local) -> bool {
    let dom = bit(s.dom, l.day);
    let dow = bit(s.dow, l.weekday);
    if s.dom & STAR_BIT != 0 || s.dow & STAR_BIT != 0 { dom && dow } else { dom || dow }
}

/// The local date (proleptic Gregorian) of a day number, as `Next` reads its fields.
fn local_date(days: i64) -> Local {
    let (year, month, day) = civil_from_days(days);
    Local { year, month: month as u32, day: day as u32, hour: 0, minute: 0, second: 0, weekday: (days + 4).rem_euclid(7) as u32 }
}

impl Schedule {
    /// The zone the schedule is evaluated in for a trigger zone.
    pub fn zone(&self, trigger: Zone) -> Zone {
        self.location.unwrap_or(trigger)
    }

    /// Whether the schedule fires at all on a local calendar day (a day number, days since
    /// 1970-01-01): robfig's month, day-of-month and day-of-week fields, with its OR of the two
    /// day fields.
    pub(crate) fn fires_on_day(&self, days: i64) -> bool {
        let l = local_date(days);
        bit(self.month, l.month) && day_matches(self, &l)
    }

    /// The local times of day (seconds after midnight) at which it fires on such a day, in order.
    pub(crate) fn times_of_day(&self) -> Vec<u32> {
        let hours = (0..24).filter(|h| bit(self.hour, *h));
        hours.flat_map(|h| (0..60).filter(|m| bit(self.minute, *m)).map(move |m| h * 3600 + m * 60)).collect()
    }

    /// robfig `SpecSchedule.Next`: the first fire strictly after `t` (unix seconds), evaluated in
    /// `trigger`'s zone unless the schedule names its own; `None` for Go's zero time (nothing
    /// within five years).
    pub fn next(&self, t: i64, trigger: Zone) -> Option<i64> {
        let z = self.zone(trigger);
        // t = t.Add(1*time.Second - nanos): instants here are whole seconds.
        let mut t = t + 1;
        let mut added = false;
        let year_limit = local(t, z).year + 5;
        'wrap: loop {
            if local(t, z).year > year_limit {
                return None;
            }
            while !bit(self.month, local(t, z).month) {
                if !added {
                    added = true;
                    let l = local(t, z);
                    t = go_date(l.year, l.month as i64, 1, 0, 0, 0, z);
                }
                t = add_date(t, z, 1, 0);
                if local(t, z).month == 1 {
                    continue 'wrap;
                }
            }
            while !day_matches(self, &local(t, z)) {
                if !added {
                    added = true;
                    let l = local(t, z);
                    t = go_date(l.year, l.month as i64, l.day as i64, 0, 0, 0, z);
                }
                t = add_date(t, z, 0, 1);
                // Notice if the hour is no longer midnight due to DST, and nudge it back.
                let h = local(t, z).hour as i64;
                if h != 0 {
                    if h > 12 {
                        t += (24 - h) * 3600;
                    } else {
                        t -= h * 3600;
                    }
                }
                if local(t, z).day == 1 {
                    continue 'wrap;
                }
            }
            while !bit(self.hour, local(t, z).hour) {
                if !added {
                    added = true;
                    let l = local(t, z);
                    t = go_date(l.year, l.month as i64, l.day as i64, l.hour as i64, 0, 0, z);
                }
                t += 3600;
                if local(t, z).hour == 0 {
                    continue 'wrap;
                }
            }
            while !bit(self.minute, local(t, z).minute) {
                if !added {
                    added = true;
                    t -= t.rem_euclid(60);
                }
                t += 60;
                if local(t, z).minute == 0 {
                    continue 'wrap;
                }
            }
            // Seconds: only second 0 fires.
            while local(t, z).second != 0 {
                if !added {
                    added = true;
                }
                t += 1;
                if local(t, z).second == 0 {
                    continue 'wrap;
                }
            }
            return Some(t);
        }
    }
}

#[cfg(test)]
mod offset_cache_tests {
    use super::*;

    /// The cached tables give chrono-tz's offsets, second by second around real changes
    /// (Berlin, Lord Howe's half hour, Chatham) and every hour over two years elsewhere.
    #[test]
    fn cached_offsets_equal_the_tz_database() {
        for name in ["Europe/Berlin", "Australia/Lord_Howe", "Pacific/Chatham", "America/Sao_Paulo", "Asia/Kolkata", "America/New_York"] {
            let z = load_location(name).unwrap();
            let mut t = 1_735_689_600; // 2025-01-01
            while t < 1_798_761_600 {
                assert_eq!(offset_at(t, z), offset_from_tzdb(t, z), "{name} at {t}");
                if offset_from_tzdb(t, z) != offset_from_tzdb(t + 3600, z) {
                    for s in t..t + 3600 {
                        assert_eq!(offset_at(s, z), offset_from_tzdb(s, z), "{name} at {s}");
                    }
                }
                t += 3600;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp()
    }

    #[test]
    fn parses_like_robfig() {
        assert!(parse("0 8 * * 1-5").is_ok());
        assert_eq!(parse("0 8 * * 7").unwrap_err(), ParseError::Error("end of range (7) above maximum (6): 7".into()));
        assert_eq!(parse("@daily").unwrap_err(), ParseError::Error("parser does not accept descriptors: @daily".into()));
        assert_eq!(parse("0 8 * *").unwrap_err(), ParseError::Error("expected exactly 5 fields, found 4: [0 8 * *]".into()));
        assert_eq!(parse("-30 * * * *").unwrap_err(), ParseError::Error("failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax".into()));
        assert!(matches!(parse("TZ=UTC"), Err(ParseError::Panic(_))));
        assert!(parse("CRON_TZ=Europe/Berlin 0 8 * * *").unwrap().location.is_some());
        assert!(parse("0 8 * JAN-mar sun").is_ok());
        assert!(parse("0 8 L * *").is_err());
        assert!(parse("*/0 * * * *").is_err());
    }

    #[test]
    fn next_is_strictly_after_and_ors_days() {
        let utc = load_location("UTC").unwrap();
        let s = parse("0 6 * * *").unwrap();
        assert_eq!(s.next(at("2026-01-05T06:00:00Z"), utc), Some(at("2026-01-06T06:00:00Z")));
        assert_eq!(s.next(at("2026-01-05T05:59:59Z"), utc), Some(at("2026-01-05T06:00:00Z")));
        // 1st of the month OR Monday.
        let s = parse("0 9 1 * 1").unwrap();
        assert_eq!(s.next(at("2026-01-01T10:00:00Z"), utc), Some(at("2026-01-05T09:00:00Z")));
        assert_eq!(parse("0 0 30 2 *").unwrap().next(at("2026-01-01T00:00:00Z"), utc), None);
    }

    #[test]
    fn civil_dates_round_trip() {
        for days in [-800_000, -1, 0, 1, 59, 60, 11_016, 20_513, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{days}");
        }
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
    }

    #[test]
    fn dst_gap_is_skipped() {
        let ny = load_location("America/New_York").unwrap();
        let s = parse("30 2 * * *").unwrap();
        // 2026-03-08 02:30 does not exist in New York: the next fire is on the 9th.
        assert_eq!(s.next(at("2026-03-08T05:00:00Z"), ny), Some(at("2026-03-09T06:30:00Z")));
        assert!(load_location("europe/berlin").is_err());
        assert!(load_location("Etc/GMT+5").is_ok());
    }
}
