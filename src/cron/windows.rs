//! A trigger's active windows, stored by what repeats rather than one by one: a `*/2` start with a
//! `1-59/2` end is active 720 times a day, 262,000 times a year, but every ordinary day looks the
//! same. The windows are runs of UTC days that share one pattern (the active parts of a day,
//! relative to its midnight), and explicit intervals where days differ (around DST changes, at
//! the ends of the horizon). [`Windows::iter`] yields them as the merged intervals they stand
//! for, in order, without building the list.

/// Seconds in a UTC day.
pub(crate) const DAY: i64 = 86_400;

#[derive(Debug, Clone, Default)]
pub struct Windows {
    pieces: Vec<Piece>,
    /// Active parts of a day, seconds after its midnight: sorted, disjoint, within `[0, DAY]`.
    patterns: Vec<Box<[(u32, u32)]>>,
    /// Instants decided by asking robfig's `Next` (two calls each) while building.
    decisions: usize,
}

#[derive(Debug, Clone)]
enum Piece {
    Interval(i64, i64),
    /// The UTC days starting at `first` (midnight, unix seconds), `count` of them, each active
    /// where `patterns[pattern]` says, clipped to `[clip.0, clip.1)`.
    Days { first: i64, count: u32, pattern: u32, clip: (i64, i64) },
}

impl Windows {
    /// Windows given one by one (sorted, disjoint).
    pub(crate) fn from_intervals(intervals: Vec<(i64, i64)>) -> Windows {
        Windows { pieces: intervals.into_iter().map(|(a, b)| Piece::Interval(a, b)).collect(), ..Default::default() }
    }

    /// The windows in order, merged where they touch.
    pub fn iter(&self) -> Iter<'_> {
        Iter { windows: self, piece: 0, day: 0, at: 0, pending: None }
    }

    /// How much is stored: pieces plus the intervals of the day patterns. It does not grow with
    /// how often a schedule fires (tests/cron_cost.rs holds it to that).
    pub fn stored_len(&self) -> usize {
        self.pieces.len() + self.patterns.iter().map(|p| p.len()).sum::<usize>()
    }

    /// How many instants were decided with robfig's `Next` to build these windows.
    pub fn decisions(&self) -> usize {
        self.decisions
    }

    pub(crate) fn count_decision(&mut self) {
        self.decisions += 1;
    }

    /// Appends `[a, b)` (after everything so far).
    pub(crate) fn push_interval(&mut self, a: i64, b: i64) {
        if a >= b {
            return;
        }
        match self.pieces.last_mut() {
            Some(Piece::Interval(_, end)) if *end == a => *end = b,
            _ => self.pieces.push(Piece::Interval(a, b)),
        }
    }

    /// Appends one UTC day (midnight `day`) active in `pattern`, clipped to `clip`, extending the
    /// last run when it is the day before with the same pattern and clip.
    pub(crate) fn push_day(&mut self, day: i64, pattern: u32, clip: (i64, i64)) {
        if let Some(Piece::Days { first, count, pattern: p, clip: c }) = self.pieces.last_mut()
            && *p == pattern
            && *c == clip
            && *first + *count as i64 * DAY == day
        {
            *count += 1;
            return;
        }
        self.pieces.push(Piece::Days { first: day, count: 1, pattern, clip });
    }

    /// Stores a day pattern and gives its number.
    pub(crate) fn add_pattern(&mut self, pattern: Box<[(u32, u32)]>) -> u32 {
        self.patterns.push(pattern);
        (self.patterns.len() - 1) as u32
    }
}

/// The merged windows of a [`Windows`], in order.
pub struct Iter<'a> {
    windows: &'a Windows,
    piece: usize,
    /// Within a run of days: the day, and the interval of its pattern.
    day: u32,
    at: usize,
    /// The next stored interval, read while looking for one that touches the last.
    pending: Option<(i64, i64)>,
}

impl Iter<'_> {
    /// The next stored interval, as stored (not merged with its neighbours).
    fn next_stored(&mut self) -> Option<(i64, i64)> {
        loop {
            match self.windows.pieces.get(self.piece)? {
                Piece::Interval(a, b) => {
                    self.piece += 1;
                    return Some((*a, *b));
                }
                Piece::Days { first, count, pattern, clip } => {
                    let pattern = &self.windows.patterns[*pattern as usize];
                    if self.day >= *count {
                        (self.piece, self.day, self.at) = (self.piece + 1, 0, 0);
                        continue;
                    }
                    let Some(&(a, b)) = pattern.get(self.at) else {
                        (self.day, self.at) = (self.day + 1, 0);
                        continue;
                    };
                    self.at += 1;
                    let midnight = first + self.day as i64 * DAY;
                    let (a, b) = ((midnight + a as i64).max(clip.0), (midnight + b as i64).min(clip.1));
                    if a < b {
                        return Some((a, b));
                    }
                }
            }
        }
    }
}

impl Iterator for Iter<'_> {
    type Item = (i64, i64);

    fn next(&mut self) -> Option<(i64, i64)> {
        let mut pending = self.pending.take();
        let window = coalesce(&mut pending, || self.next_stored());
        self.pending = pending;
        window
    }
}

/// The next window of a stream of windows sorted by start, overlapping and touching ones merged:
/// `pending` holds the window read ahead that did not join (the caller keeps it between calls).
pub(super) fn coalesce(pending: &mut Option<(i64, i64)>, mut next: impl FnMut() -> Option<(i64, i64)>) -> Option<(i64, i64)> {
    let mut window = pending.take().or_else(&mut next)?;
    while let Some(n) = next() {
        if n.0 > window.1 {
            *pending = Some(n);
            break;
        }
        window.1 = window.1.max(n.1);
    }
    Some(window)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_days_and_intervals_merge_where_they_touch() {
        let mut w = Windows::default();
        w.push_interval(-100, 0);
        let night = w.add_pattern(vec![(0, 3600), (82_800, 86_400)].into_boxed_slice());
        for d in 0..3 {
            w.push_day(d * DAY, night, (0, 3 * DAY - 60));
        }
        w.push_interval(3 * DAY - 60, 3 * DAY + 10);
        assert_eq!(w.stored_len(), 3 + 2);
        let got: Vec<_> = w.iter().collect();
        assert_eq!(got, vec![(-100, 3600), (82_800, DAY + 3600), (DAY + 82_800, 2 * DAY + 3600), (2 * DAY + 82_800, 3 * DAY + 10)]);
    }
}
