//! A business-hours calendar as a form: one line of hours per weekday (`09:00-12:30, 13:30-17:30`
//! for a lunch break, blank when closed), holidays one date per line, or open around the clock;
//! and the calendar read back in words for the list. The app checks the calendar; the form only
//! turns lines into periods and puts the app's `weekly[3].end` back on Tuesday's line.

use tandem_app::standards::{CalendarInput, CalendarView};
use tandem_domain::calendar::{CalendarDef, Day, PeriodDef};

use super::forms::{Posted, Problems};

/// The weekdays with their inputs and labels, Monday first.
const DAYS: [(Day, &str, &str); 7] = [
    (Day::Monday, "hours_monday", "Monday"),
    (Day::Tuesday, "hours_tuesday", "Tuesday"),
    (Day::Wednesday, "hours_wednesday", "Wednesday"),
    (Day::Thursday, "hours_thursday", "Thursday"),
    (Day::Friday, "hours_friday", "Friday"),
    (Day::Saturday, "hours_saturday", "Saturday"),
    (Day::Sunday, "hours_sunday", "Sunday"),
];

/// A calendar as typed.
#[derive(Clone, Debug)]
pub struct CalendarForm {
    pub name: String,
    pub time_zone: String,
    pub always_open: bool,
    pub hours: Vec<DayHours>,
    /// One date per line.
    pub holidays: String,
    pub version: i64,
}

/// One weekday's line of opening hours.
#[derive(Clone, Debug)]
pub struct DayHours {
    pub input: &'static str,
    pub label: &'static str,
    pub value: String,
}

impl Default for CalendarForm {
    fn default() -> Self {
        CalendarForm {
            name: String::new(),
            time_zone: String::new(),
            always_open: false,
            hours: lines(|_| String::new()),
            holidays: String::new(),
            version: 0,
        }
    }
}

fn lines(value: impl Fn(Day) -> String) -> Vec<DayHours> {
    DAYS.iter().map(|&(day, input, label)| DayHours { input, label, value: value(day) }).collect()
}

/// A day's periods as a line: `09:00-12:30, 13:30-17:30`.
fn hours_of(definition: &CalendarDef, day: Day) -> String {
    let periods: Vec<String> = definition
        .weekly
        .iter()
        .filter(|period| period.day == day)
        .map(|period| format!("{}-{}", period.start, period.end))
        .collect();
    periods.join(", ")
}

impl CalendarForm {
    pub fn of(calendar: &CalendarView) -> CalendarForm {
        let definition = &calendar.definition;
        CalendarForm {
            name: calendar.name.clone(),
            time_zone: definition.time_zone.clone(),
            always_open: definition.always_open,
            hours: lines(|day| hours_of(definition, day)),
            holidays: definition.holidays.join("\n"),
            version: calendar.version,
        }
    }

    pub fn posted(posted: &Posted) -> CalendarForm {
        CalendarForm {
            name: posted.get("name").to_owned(),
            time_zone: posted.get("time_zone").to_owned(),
            always_open: posted.checked("always_open"),
            hours: lines(|day| posted.get(input_of_day(day)).to_owned()),
            holidays: posted.get("holidays").to_owned(),
            version: posted.get("version").parse().unwrap_or_default(),
        }
    }
}

fn input_of_day(day: Day) -> &'static str {
    DAYS.iter().find(|(of, _, _)| *of == day).map_or("weekly", |(_, input, _)| input)
}

/// The calendar the form describes, and for each of its periods the line it came from; lines the
/// app could not read as periods are problems already.
pub fn input_of(form: &CalendarForm, problems: &mut Problems) -> (CalendarInput, Vec<&'static str>) {
    let mut weekly = Vec::new();
    let mut from_line = Vec::new();
    for (&(day, input, _), line) in DAYS.iter().zip(&form.hours) {
        for period in line.value.split(',').map(str::trim).filter(|period| !period.is_empty()) {
            // A typed en dash is as good as a hyphen.
            match period.split_once(['-', '–']) {
                Some((start, end)) => {
                    weekly.push(PeriodDef { day, start: start.trim().to_owned(), end: end.trim().to_owned() });
                    from_line.push(input);
                }
                None => problems.add(input, "write each period as 09:00-12:30, separated by commas"),
            }
        }
    }
    let holidays = form
        .holidays
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|date| !date.is_empty())
        .map(str::to_owned)
        .collect();
    let definition =
        CalendarDef { time_zone: form.time_zone.trim().to_owned(), always_open: form.always_open, weekly, holidays };
    (CalendarInput { name: form.name.clone(), definition }, from_line)
}

/// The input that shows an app error: `weekly[3].end` → the line that period came from,
/// `holidays[2]` → the holidays box.
pub fn input_for(from_line: &[&'static str], field: &str) -> Option<String> {
    if field.starts_with("holidays[") {
        return Some("holidays".to_owned());
    }
    let index: usize = field.strip_prefix("weekly[")?.split(']').next()?.parse().ok()?;
    from_line.get(index).map(|input| (*input).to_owned())
}

/// A calendar in words, for the list: `Monday, Tuesday: 09:00-12:30, 13:30-17:30; 2 holidays`.
pub fn hours_in_words(definition: &CalendarDef) -> String {
    if definition.always_open {
        return "Around the clock (24/7)".to_owned();
    }
    let mut groups: Vec<(Vec<&str>, String)> = Vec::new();
    for &(day, _, label) in &DAYS {
        let hours = hours_of(definition, day);
        if hours.is_empty() {
            continue;
        }
        match groups.iter_mut().find(|(_, same)| *same == hours) {
            Some((days, _)) => days.push(label),
            None => groups.push((vec![label], hours)),
        }
    }
    let mut words: Vec<String> =
        groups.into_iter().map(|(days, hours)| format!("{}: {hours}", days.join(", "))).collect();
    match definition.holidays.len() {
        0 => {}
        1 => words.push("1 holiday".to_owned()),
        many => words.push(format!("{many} holidays")),
    }
    words.join("; ")
}
