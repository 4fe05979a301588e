//! Business-hours calendars: a time zone, weekly opening periods (several a day, so a lunch break
//! is simply the gap between two), holidays, or always open (24/7). [`CalendarDef`] is what a
//! person writes; [`Calendar::parse`] checks it, naming the field at fault, and the result does the
//! business-time arithmetic (`business_time.rs`). No clock is read here: instants are arguments.

mod business_time;
mod ical;
#[cfg(test)]
mod tests;

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::validate::FieldErrors;

pub use ical::holidays_from_ical;

/// A calendar as written in the API or configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarDef {
    /// An IANA time zone name, such as `Europe/Paris`.
    pub time_zone: String,
    /// Open around the clock (24/7): `weekly` must then be empty and holidays do not apply.
    #[serde(default)]
    pub always_open: bool,
    /// Opening periods; a day with a lunch break has two.
    #[serde(default)]
    pub weekly: Vec<PeriodDef>,
    /// Closed dates (`2026-12-25`), in the calendar's time zone.
    #[serde(default)]
    pub holidays: Vec<String>,
}

/// One opening period of a weekday, local time `HH:MM`; `end` may be `24:00`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodDef {
    pub day: Day,
    pub start: String,
    pub end: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Day {
    fn index(self) -> usize {
        self as usize
    }

    fn of(weekday: Weekday) -> Day {
        match weekday {
            Weekday::Monday => Day::Monday,
            Weekday::Tuesday => Day::Tuesday,
            Weekday::Wednesday => Day::Wednesday,
            Weekday::Thursday => Day::Thursday,
            Weekday::Friday => Day::Friday,
            Weekday::Saturday => Day::Saturday,
            Weekday::Sunday => Day::Sunday,
        }
    }
}

/// A checked calendar, ready for arithmetic.
#[derive(Clone, Debug)]
pub struct Calendar {
    time_zone: TimeZone,
    always_open: bool,
    /// Per weekday (Monday first), periods as minutes of the day, sorted and disjoint.
    week: [Vec<(u16, u16)>; 7],
    holidays: Vec<Date>,
}

const MINUTES_PER_DAY: u16 = 24 * 60;

impl Calendar {
    /// Checks a definition; every problem is reported under its field (`weekly[2].end`).
    pub fn parse(def: &CalendarDef) -> Result<Calendar, FieldErrors> {
        let mut errors = FieldErrors::new();
        let time_zone = TimeZone::get(def.time_zone.trim()).unwrap_or_else(|_| {
            errors.add(
                "time_zone",
                format!("`{}` is not a known time zone (use an IANA name like Europe/Paris)", def.time_zone),
            );
            TimeZone::UTC
        });
        let week = weekly_periods(def, &mut errors);
        let mut holidays = Vec::with_capacity(def.holidays.len());
        for (index, text) in def.holidays.iter().enumerate() {
            match text.trim().parse::<Date>() {
                Ok(date) => holidays.push(date),
                Err(_) => errors.add(format!("holidays[{index}]"), "must be a date like 2026-12-25"),
            }
        }
        holidays.sort();
        holidays.dedup();
        errors.into_result()?;
        Ok(Calendar { time_zone, always_open: def.always_open, week, holidays })
    }

    /// Open around the clock in UTC.
    pub fn always_open() -> Calendar {
        Calendar { time_zone: TimeZone::UTC, always_open: true, week: Default::default(), holidays: Vec::new() }
    }

    fn is_holiday(&self, date: Date) -> bool {
        self.holidays.binary_search(&date).is_ok()
    }
}

/// The weekly periods by weekday, checked for format, emptiness and overlaps.
fn weekly_periods(def: &CalendarDef, errors: &mut FieldErrors) -> [Vec<(u16, u16)>; 7] {
    let mut week: [Vec<(u16, u16, usize)>; 7] = Default::default();
    if def.always_open && !def.weekly.is_empty() {
        errors.add("weekly", "must be empty for a calendar that is always open");
    }
    if !def.always_open && def.weekly.is_empty() {
        errors.add("weekly", "needs at least one opening period (or set always_open)");
    }
    for (index, period) in def.weekly.iter().enumerate() {
        let start = minute_of_day(&period.start, false);
        let end = minute_of_day(&period.end, true);
        if start.is_none() {
            errors.add(format!("weekly[{index}].start"), "must be a time like 09:00");
        }
        if end.is_none() {
            errors.add(format!("weekly[{index}].end"), "must be a time like 17:30 (or 24:00)");
        }
        let (Some(start), Some(end)) = (start, end) else { continue };
        if end <= start {
            errors.add(format!("weekly[{index}].end"), "must be after start (a period cannot be empty)");
            continue;
        }
        week[period.day.index()].push((start, end, index));
    }
    week.map(|mut periods| {
        periods.sort();
        for pair in periods.windows(2) {
            let ((_, first_end, first), (second_start, _, second)) = (pair[0], pair[1]);
            if second_start < first_end {
                errors.add(format!("weekly[{second}]"), format!("overlaps weekly[{first}] on the same day"));
            }
        }
        periods.into_iter().map(|(start, end, _)| (start, end)).collect()
    })
}

/// `HH:MM` as minutes since midnight; `24:00` only where the end of the day is allowed.
fn minute_of_day(text: &str, end_of_day_allowed: bool) -> Option<u16> {
    let (hours, minutes) = text.trim().split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let (hours, minutes): (u16, u16) = (hours.parse().ok()?, minutes.parse().ok()?);
    let minute = hours * 60 + minutes;
    let valid = minutes < 60 && (minute < MINUTES_PER_DAY || (end_of_day_allowed && minute == MINUTES_PER_DAY));
    valid.then_some(minute)
}
