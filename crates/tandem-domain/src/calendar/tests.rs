//! Calendars: refusals that name the field, business time by table (lunch breaks, nights, weekends,
//! holidays on weekends, both DST changes) and by property (adding then measuring gives the amount
//! back; measuring is additive; the due time is never inside a closed stretch).

use jiff::Timestamp;
use proptest::prelude::*;

use super::*;
use crate::Millis;

const MINUTE: Millis = 60_000;
const HOUR: Millis = 60 * MINUTE;

fn period(day: Day, start: &str, end: &str) -> PeriodDef {
    PeriodDef { day, start: start.into(), end: end.into() }
}

/// Paris office hours, Monday to Friday 09:00–12:30 and 13:30–17:30, closed on Christmas (a
/// Friday in 2026) and on 2026-12-26 (a Saturday, already closed).
fn office() -> Calendar {
    let weekdays = [Day::Monday, Day::Tuesday, Day::Wednesday, Day::Thursday, Day::Friday];
    let weekly =
        weekdays.iter().flat_map(|&day| [period(day, "09:00", "12:30"), period(day, "13:30", "17:30")]).collect();
    let def = CalendarDef {
        time_zone: "Europe/Paris".into(),
        always_open: false,
        weekly,
        holidays: vec!["2026-12-25".into(), "2026-12-26".into()],
    };
    Calendar::parse(&def).unwrap()
}

/// Every day 00:00–24:00 in New York: only DST makes a day other than 24 hours.
fn new_york_all_days() -> Calendar {
    let days = [Day::Monday, Day::Tuesday, Day::Wednesday, Day::Thursday, Day::Friday, Day::Saturday, Day::Sunday];
    let weekly = days.iter().map(|&day| period(day, "00:00", "24:00")).collect();
    let def = CalendarDef { time_zone: "America/New_York".into(), always_open: false, weekly, holidays: vec![] };
    Calendar::parse(&def).unwrap()
}

fn at(text: &str) -> Millis {
    text.parse::<jiff::Zoned>().unwrap().timestamp().as_millisecond()
}

fn show(millis: Millis) -> String {
    Timestamp::from_millisecond(millis).unwrap().to_zoned(TimeZone::get("Europe/Paris").unwrap()).to_string()
}

#[test]
fn business_time_is_added_across_lunch_nights_weekends_and_holidays() {
    let office = office();
    let paris = |local: &str| at(&format!("{local}[Europe/Paris]"));
    // (start, business time to add, expected due)
    let cases = [
        ("2026-11-23T10:00", 2 * HOUR, "2026-11-23T12:00"),
        ("2026-11-23T12:00", HOUR, "2026-11-23T14:00"), // the lunch break does not count
        ("2026-11-23T12:45", 30 * MINUTE, "2026-11-23T14:00"), // started during lunch
        ("2026-11-23T16:30", 2 * HOUR, "2026-11-24T10:00"), // over the night
        ("2026-11-23T17:30", 0, "2026-11-23T17:30"),
        ("2026-11-23T16:30", HOUR, "2026-11-23T17:30"), // due at closing, not next morning
        ("2026-11-27T17:00", HOUR, "2026-11-30T09:30"), // Friday to Monday
        ("2026-11-28T11:00", HOUR, "2026-11-30T10:00"), // started on a Saturday
        ("2026-12-24T17:00", HOUR, "2026-12-28T09:30"), // Christmas Friday, then the weekend
        ("2026-11-23T09:00", 7 * HOUR + 30 * MINUTE, "2026-11-23T17:30"), // a whole day is 7.5 h
    ];
    for (start, amount, due) in cases {
        let got = office.add(paris(start), amount).unwrap();
        assert_eq!(show(got), show(paris(due)), "{start} + {amount} ms");
        assert_eq!(office.measure(paris(start), got), amount, "measured back from {start}");
    }
}

#[test]
fn a_holiday_on_a_weekend_changes_nothing() {
    let office = office();
    let mut without = CalendarDef { time_zone: "Europe/Paris".into(), ..CalendarDef::default() };
    without.weekly = vec![period(Day::Friday, "09:00", "17:00"), period(Day::Monday, "09:00", "17:00")];
    let plain = Calendar::parse(&without).unwrap();
    without.holidays = vec!["2026-11-28".into(), "2026-11-29".into()];
    let with_weekend_holidays = Calendar::parse(&without).unwrap();
    let friday = at("2026-11-27T16:00[Europe/Paris]");
    assert_eq!(plain.add(friday, 2 * HOUR), with_weekend_holidays.add(friday, 2 * HOUR));
    // The office closes at 17:30 on Friday: 1.5 h then, 0.5 h on Monday morning.
    assert_eq!(show(office.add(friday, 2 * HOUR).unwrap()), show(at("2026-11-30T09:30[Europe/Paris]")));
}

#[test]
fn dst_days_are_as_long_as_the_clock_says() {
    let calendar = new_york_all_days();
    let midnight = |date: &str| at(&format!("{date}T00:00[America/New_York]"));
    let day = |date: &str, next: &str| calendar.measure(midnight(date), midnight(next));
    assert_eq!(day("2026-03-08", "2026-03-09"), 23 * HOUR, "spring forward");
    assert_eq!(day("2026-11-01", "2026-11-02"), 25 * HOUR, "fall back");
    assert_eq!(day("2026-11-02", "2026-11-03"), 24 * HOUR);
    // Office hours that span the jump keep their real length: 01:00–04:00 is 2 hours that day.
    let def = CalendarDef {
        time_zone: "America/New_York".into(),
        weekly: vec![period(Day::Sunday, "01:00", "04:00")],
        ..CalendarDef::default()
    };
    let sunday = Calendar::parse(&def).unwrap();
    let start = at("2026-03-08T00:00[America/New_York]");
    assert_eq!(sunday.measure(start, start + 24 * HOUR), 2 * HOUR);
    let due = sunday.add(start, 90 * MINUTE).unwrap();
    assert_eq!(due, at("2026-03-08T03:30[America/New_York]"));
}

#[test]
fn always_open_is_plain_time() {
    let calendar =
        Calendar::parse(&CalendarDef { time_zone: "UTC".into(), always_open: true, ..CalendarDef::default() }).unwrap();
    assert_eq!(calendar.add(1_000, 5 * HOUR), Some(1_000 + 5 * HOUR));
    assert_eq!(calendar.measure(1_000, 1_000 + 3 * HOUR), 3 * HOUR);
    assert_eq!(Calendar::always_open().measure(5, 3), 0, "backwards is nothing");
}

#[test]
fn bad_calendars_are_refused_with_the_field_named() {
    let refuse = |def: CalendarDef| Calendar::parse(&def).unwrap_err().0;
    let base = || CalendarDef {
        time_zone: "Europe/Paris".into(),
        weekly: vec![period(Day::Monday, "09:00", "12:00")],
        ..CalendarDef::default()
    };
    let errors = refuse(CalendarDef { time_zone: "Mars/Olympus".into(), ..base() });
    assert!(errors["time_zone"].contains("Mars/Olympus"), "{errors:?}");
    let errors = refuse(CalendarDef { weekly: vec![], ..base() });
    assert!(errors.contains_key("weekly"), "{errors:?}");
    let mut overlapping = base();
    overlapping.weekly.push(period(Day::Tuesday, "09:00", "10:00"));
    overlapping.weekly.push(period(Day::Monday, "11:00", "13:00"));
    let errors = refuse(overlapping);
    assert_eq!(errors["weekly[2]"], "overlaps weekly[0] on the same day", "{errors:?}");
    let mut empty = base();
    empty.weekly.push(period(Day::Friday, "10:00", "10:00"));
    empty.weekly.push(period(Day::Friday, "9:00", "25:00"));
    let errors = refuse(empty);
    assert!(errors["weekly[1].end"].contains("after start"), "{errors:?}");
    assert!(errors.contains_key("weekly[2].start") && errors.contains_key("weekly[2].end"), "{errors:?}");
    let errors = refuse(CalendarDef { holidays: vec!["2026-02-30".into()], ..base() });
    assert!(errors.contains_key("holidays[0]"), "{errors:?}");
    let errors = refuse(CalendarDef { always_open: true, ..base() });
    assert!(errors.contains_key("weekly"), "{errors:?}");
    let touching = CalendarDef {
        weekly: vec![period(Day::Monday, "09:00", "12:00"), period(Day::Monday, "12:00", "24:00")],
        ..base()
    };
    assert!(Calendar::parse(&touching).is_ok(), "periods that touch do not overlap");
}

/// Instants from 2025 to 2028, across both DST changes of each year.
fn instants() -> impl Strategy<Value = Millis> {
    1_735_689_600_000_i64..1_830_000_000_000_i64
}

fn calendars() -> impl Strategy<Value = Calendar> {
    prop_oneof![Just(office()), Just(new_york_all_days()), Just(Calendar::always_open())]
}

proptest! {
    #[test]
    fn adding_then_measuring_gives_the_amount_back(calendar in calendars(), start in instants(), amount in 0..200 * HOUR) {
        let due = calendar.add(start, amount).unwrap();
        prop_assert!(due >= start);
        prop_assert_eq!(calendar.measure(start, due), amount);
    }

    #[test]
    fn measuring_is_additive(calendar in calendars(), a in instants(), b in instants(), c in instants()) {
        let mut points = [a, b, c];
        points.sort();
        let [a, b, c] = points;
        prop_assert_eq!(calendar.measure(a, b) + calendar.measure(b, c), calendar.measure(a, c));
    }

    #[test]
    fn a_due_time_is_the_earliest_one(calendar in calendars(), start in instants(), amount in 1..100 * HOUR) {
        let due = calendar.add(start, amount).unwrap();
        prop_assert!(calendar.measure(start, due - 1) < amount, "a millisecond earlier is not enough");
    }
}
