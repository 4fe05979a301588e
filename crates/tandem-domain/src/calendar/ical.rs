//! Holidays from an iCalendar file (RFC 5545): the dates of its all-day events. Only what that
//! needs is read: lines are unfolded, `VEVENT`s found (nested components such as `VALARM` skipped),
//! and each event's `DTSTART`/`DTEND` (or `DURATION` in days or weeks) with `VALUE=DATE` expanded
//! into dates, the end excluded as the RFC says. Anything that would make the dates a guess is
//! refused naming its line: a timed event, a recurring one (`RRULE`/`RDATE`), a bad date, an end
//! before the start, no event at all. A hand-written reader rather than a crate: the iCalendar
//! crates bring chrono and a parser combinator library for the two properties used here.

use jiff::ToSpan;
use jiff::civil::Date;

/// Longest single event accepted (a year): past that the file is not a list of holidays.
const MAX_EVENT_DAYS: i64 = 366;
/// Most dates one import adds.
const MAX_DATES: usize = 5_000;

/// The dates of every all-day event in `text`, sorted and without repeats; or what is wrong with
/// the file, naming the line.
pub fn holidays_from_ical(text: &str) -> Result<Vec<Date>, String> {
    let lines = unfold(text);
    if !lines.iter().any(|(_, line)| line.eq_ignore_ascii_case("BEGIN:VCALENDAR")) {
        return Err("not an iCalendar file: no BEGIN:VCALENDAR line".to_owned());
    }
    let mut dates = Vec::new();
    let mut event: Option<Event> = None;
    let mut nested = 0_usize;
    for (number, line) in &lines {
        let (name, params, value) = split(line).ok_or_else(|| format!("line {number}: not a NAME:value line"))?;
        match (name.as_str(), value) {
            ("BEGIN", component) if component.eq_ignore_ascii_case("VEVENT") && event.is_none() => {
                event = Some(Event { line: *number, ..Event::default() });
            }
            ("BEGIN", _) if event.is_some() => nested += 1,
            ("END", _) if nested > 0 => nested -= 1,
            ("END", component) if component.eq_ignore_ascii_case("VEVENT") => {
                let finished = event.take().ok_or_else(|| format!("line {number}: END:VEVENT without BEGIN:VEVENT"))?;
                finished.dates(&mut dates)?;
                if dates.len() > MAX_DATES {
                    return Err(format!("more than {MAX_DATES} holiday dates in one file"));
                }
            }
            _ if nested > 0 => {}
            _ => {
                if let Some(event) = event.as_mut() {
                    event.property(*number, &name, &params, value)?;
                }
            }
        }
    }
    if let Some(open) = event {
        return Err(format!("line {}: the event is never closed (no END:VEVENT)", open.line));
    }
    if dates.is_empty() {
        return Err("no all-day events (VEVENT with DTSTART;VALUE=DATE) in the file".to_owned());
    }
    dates.sort();
    dates.dedup();
    Ok(dates)
}

/// Unfolds continuation lines (a line starting with a space or tab continues the previous one)
/// and drops empty lines; each line keeps the number of the line it starts on (1-based).
fn unfold(text: &str) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match raw.strip_prefix([' ', '\t']) {
            Some(rest) if !lines.is_empty() => lines.last_mut().expect("not empty").1.push_str(rest),
            _ if raw.trim().is_empty() => {}
            _ => lines.push((index + 1, raw.to_owned())),
        }
    }
    lines
}

/// `NAME;PARAM=x;…:value` into the upper-cased name, the upper-cased parameters and the value.
/// The value starts at the first colon outside a quoted parameter value.
fn split(line: &str) -> Option<(String, Vec<String>, &str)> {
    let mut quoted = false;
    let colon = line.char_indices().find_map(|(index, character)| match character {
        '"' => {
            quoted = !quoted;
            None
        }
        ':' if !quoted => Some(index),
        _ => None,
    })?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts.next()?.trim().to_ascii_uppercase();
    if name.is_empty() {
        return None;
    }
    Some((name, parts.map(|param| param.trim().to_ascii_uppercase()).collect(), value.trim()))
}

#[derive(Debug, Default)]
struct Event {
    line: usize,
    start: Option<Date>,
    end: Option<Date>,
    days: Option<i64>,
}

impl Event {
    fn property(&mut self, number: usize, name: &str, params: &[String], value: &str) -> Result<(), String> {
        match name {
            "DTSTART" => self.start = Some(date(number, name, params, value)?),
            "DTEND" => self.end = Some(date(number, name, params, value)?),
            "DURATION" => self.days = Some(duration_days(number, value)?),
            "RRULE" | "RDATE" => {
                return Err(format!(
                    "line {number}: recurring events ({name}) are not imported; export the dates themselves"
                ));
            }
            _ => {}
        }
        Ok(())
    }

    /// Adds the event's dates: from the start up to, not including, the end.
    fn dates(&self, dates: &mut Vec<Date>) -> Result<(), String> {
        let line = self.line;
        let start = self.start.ok_or_else(|| format!("line {line}: the event has no DTSTART"))?;
        let days = match (self.end, self.days) {
            (Some(end), _) => (end - start).get_days() as i64,
            (None, Some(days)) => days,
            (None, None) => 1,
        };
        if days < 1 {
            return Err(format!("line {line}: the event ends before it starts"));
        }
        if days > MAX_EVENT_DAYS {
            return Err(format!(
                "line {line}: the event lasts {days} days; at most {MAX_EVENT_DAYS} are taken as holidays"
            ));
        }
        for offset in 0..days {
            let day =
                start.checked_add(offset.days()).map_err(|_| format!("line {line}: the dates run out of range"))?;
            dates.push(day);
        }
        Ok(())
    }
}

/// An all-day date: `VALUE=DATE` or an eight-digit value. A date-time is a timed event, refused.
fn date(number: usize, name: &str, params: &[String], value: &str) -> Result<Date, String> {
    let all_day = params.iter().any(|param| param == "VALUE=DATE");
    let digits = value.len() == 8 && value.bytes().all(|byte| byte.is_ascii_digit());
    if !digits {
        return Err(if !all_day && value.contains('T') {
            format!("line {number}: {name} {value} has a time; only all-day events are holidays")
        } else {
            format!("line {number}: {name} {value:?} is not a date like 20261225")
        });
    }
    let part = |range: std::ops::Range<usize>| value[range].parse::<i16>().unwrap_or(0);
    let (year, month, day) = (part(0..4), part(4..6), part(6..8));
    Date::new(year, month as i8, day as i8).map_err(|_| format!("line {number}: {name} {value} is not a real date"))
}

/// `P3D`, `P1W` (or `+P2D`): whole days, as all-day events use.
fn duration_days(number: usize, value: &str) -> Result<i64, String> {
    let bad = || format!("line {number}: DURATION {value:?} is not a whole number of days or weeks (P2D, P1W)");
    let rest = value.strip_prefix('+').unwrap_or(value).strip_prefix('P').ok_or_else(bad)?;
    let (count, unit) = rest.split_at(rest.len().saturating_sub(1));
    let count: i64 = count.parse().map_err(|_| bad())?;
    match unit {
        "D" => Ok(count),
        "W" => Ok(count * 7),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ics(events: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n")
    }

    fn dates(list: &[&str]) -> Vec<Date> {
        list.iter().map(|text| text.parse().unwrap()).collect()
    }

    #[test]
    fn all_day_events_and_ranges_become_dates() {
        let text = ics("BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261227\r\n\
            SUMMARY:Christmas\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nUID:2\r\nDTSTART;VALUE=DATE:20270101\r\nSUMMARY:New Year\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261231\r\nDURATION:P1D\r\n\
            BEGIN:VALARM\r\nTRIGGER:-PT15M\r\nDTSTART:19700101T000000\r\nEND:VALARM\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261226\r\nEND:VEVENT\r\n");
        assert_eq!(
            holidays_from_ical(&text),
            Ok(dates(&["2026-12-25", "2026-12-26", "2026-12-31", "2027-01-01"])),
            "the end is excluded, a repeat is kept once, an alarm's times are not the event's"
        );
    }

    #[test]
    fn folded_lines_lower_case_and_bare_newlines_are_read() {
        let text = "begin:vcalendar\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:2026\n 0501\nSUMMARY:Labour\n\t Day\nend:vevent\nEND:VCALENDAR\n";
        assert_eq!(holidays_from_ical(text), Ok(dates(&["2026-05-01"])));
        let quoted =
            ics("BEGIN:VEVENT\r\nDTSTART;X-NOTE=\"a:b;c\";VALUE=DATE:20260714\r\nDURATION:P1W\r\nEND:VEVENT\r\n");
        assert_eq!(holidays_from_ical(&quoted).map(|found| found.len()), Ok(7));
    }

    #[test]
    fn anything_that_makes_the_dates_a_guess_is_refused_naming_the_line() {
        let cases = [
            ("no calendar", "hello".to_owned(), "not an iCalendar file"),
            ("no events", ics(""), "no all-day events"),
            (
                "timed",
                ics("BEGIN:VEVENT\r\nDTSTART:20261225T090000Z\r\nEND:VEVENT\r\n"),
                "line 5: DTSTART 20261225T090000Z has a time",
            ),
            (
                "bad date",
                ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261332\r\nEND:VEVENT\r\n"),
                "line 5: DTSTART 20261332 is not a real date",
            ),
            (
                "backwards",
                ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261225\r\nEND:VEVENT\r\n"),
                "line 4: the event ends before it starts",
            ),
            (
                "recurring",
                ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n"),
                "line 6: recurring events (RRULE)",
            ),
            ("no start", ics("BEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\n"), "line 4: the event has no DTSTART"),
            ("unclosed", ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\n"), "line 4: the event is never closed"),
            (
                "too long",
                ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:20280101\r\nEND:VEVENT\r\n"),
                "lasts 730 days",
            ),
            ("garbage line", ics("BEGIN:VEVENT\r\nno colon here\r\nEND:VEVENT\r\n"), "line 5: not a NAME:value line"),
            (
                "bad duration",
                ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nDURATION:PT1H\r\nEND:VEVENT\r\n"),
                "line 6: DURATION",
            ),
        ];
        for (case, text, expected) in cases {
            let refused = holidays_from_ical(&text).expect_err(case);
            assert!(refused.contains(expected), "{case}: {refused}");
        }
    }
}
