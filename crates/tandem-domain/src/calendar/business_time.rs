//! Business-time arithmetic: the calendar's open intervals as instants, in order, from any
//! instant on; adding business time walks them forward, measuring sums them.
//!
//! Local period bounds become instants with jiff's "compatible" rule (a time skipped by a DST jump
//! moves later, a repeated one takes its first occurrence). That mapping never goes backwards, so
//! disjoint local periods stay disjoint instants, and adding then measuring gives back the same
//! amount even on DST days. A period that vanishes in a DST gap contributes nothing.

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};

use super::{Calendar, Day, MINUTES_PER_DAY};
use crate::Millis;

/// How far ahead a walk looks for opening hours before it gives up (ten years of holidays).
const MAX_DAYS: i32 = 3_660;

impl Calendar {
    /// The instant at which `business_ms` of business time has passed after `start`. A due time
    /// lands at the end of a period rather than the start of the next. `None` if the calendar has
    /// no opening hours within ten years.
    pub fn add(&self, start: Millis, business_ms: Millis) -> Option<Millis> {
        if business_ms <= 0 {
            return Some(start);
        }
        if self.always_open {
            return start.checked_add(business_ms);
        }
        let mut left = business_ms;
        for (open, close) in self.open_intervals(start) {
            if left <= close - open {
                return Some(open + left);
            }
            left -= close - open;
        }
        None
    }

    /// Business time between two instants (0 when `to` is not after `from`).
    pub fn measure(&self, from: Millis, to: Millis) -> Millis {
        if to <= from {
            return 0;
        }
        if self.always_open {
            return to - from;
        }
        let mut total = 0;
        for (open, close) in self.open_intervals(from) {
            if open >= to {
                break;
            }
            total += close.min(to) - open;
        }
        total
    }

    /// Open intervals `[open, close)` that end after `from`, clipped to start at `from`, in order.
    fn open_intervals(&self, from: Millis) -> impl Iterator<Item = (Millis, Millis)> + '_ {
        let first_day = Timestamp::from_millisecond(from).ok().map(|t| t.to_zoned(self.time_zone.clone()).date());
        first_day
            .into_iter()
            .flat_map(move |first| (0..MAX_DAYS).map_while(move |offset| first.checked_add(offset.days()).ok()))
            .flat_map(move |date| self.day_intervals(date))
            .filter_map(move |(open, close)| (close > from).then_some((open.max(from), close)))
    }

    /// The open intervals of one local date (none on a holiday).
    fn day_intervals(&self, date: Date) -> Vec<(Millis, Millis)> {
        if self.is_holiday(date) {
            return Vec::new();
        }
        self.week[Day::of(date.weekday()).index()]
            .iter()
            .filter_map(|&(start, end)| {
                let (open, close) = (self.instant(date, start)?, self.instant(date, end)?);
                (close > open).then_some((open, close))
            })
            .collect()
    }

    /// The instant of a minute of a local date (`24:00` is the next day's midnight).
    fn instant(&self, date: Date, minute: u16) -> Option<Millis> {
        let (date, minute) = if minute == MINUTES_PER_DAY { (date.tomorrow().ok()?, 0) } else { (date, minute) };
        let hour = i8::try_from(minute / 60).ok()?;
        let minute = i8::try_from(minute % 60).ok()?;
        let zoned = date.at(hour, minute, 0, 0).to_zoned(self.time_zone.clone()).ok()?;
        Some(zoned.timestamp().as_millisecond())
    }
}
