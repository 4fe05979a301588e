//! How the console words things: statuses and priorities in plain language, instants as "3 h
//! ago" with the exact UTC time beside, and the options of a select.

use tandem_app::{Instant, Millis};
use tandem_domain::{Priority, TicketStatus};

/// One option of a select.
#[derive(Clone, Debug)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>, current: &str) -> Choice {
        let value = value.into();
        Choice { selected: value == current, value, label: label.into() }
    }
}

pub fn status_label(status: TicketStatus) -> &'static str {
    match status {
        TicketStatus::New => "New",
        TicketStatus::Open => "Open",
        TicketStatus::PendingCustomer => "Waiting on customer",
        TicketStatus::PendingInternal => "Waiting on another team",
        TicketStatus::Solved => "Solved",
        TicketStatus::Closed => "Closed",
    }
}

pub fn priority_label(priority: Priority) -> &'static str {
    match priority {
        Priority::Low => "Low",
        Priority::Normal => "Normal",
        Priority::High => "High",
        Priority::Urgent => "Urgent",
    }
}

/// A moment as people say it, relative to now ("just now", "5 min ago", "3 h ago", "2 days ago"),
/// and the date once it is weeks old.
pub fn ago(now: Millis, then: Instant) -> String {
    let minutes = (now - then.0).max(0) / 60_000;
    match minutes {
        0 => "just now".to_owned(),
        1..=59 => format!("{minutes} min ago"),
        60..=2_879 => format!("{} h ago", minutes / 60),
        2_880..=43_199 => format!("{} days ago", minutes / 1_440),
        _ => utc(then).chars().take(10).collect(),
    }
}

/// The exact moment, in UTC (for a `title` and the `datetime` of a `<time>`).
pub fn utc(at: Instant) -> String {
    let timestamp = jiff::Timestamp::from_millisecond(at.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    timestamp.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// The day of a moment, as people read it ("3 Nov 2026", UTC).
pub fn day(at: Instant) -> String {
    let timestamp = jiff::Timestamp::from_millisecond(at.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    timestamp.strftime("%-d %b %Y").to_string()
}

/// The machine-readable moment, for `<time datetime>`.
pub fn iso(at: Instant) -> String {
    let timestamp = jiff::Timestamp::from_millisecond(at.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    timestamp.strftime("%Y-%m-%dT%H:%MZ").to_string()
}

/// A moment on a page: relative words, with the exact time for a tooltip and for machines.
#[derive(Clone, Debug)]
pub struct When {
    pub ago: String,
    pub utc: String,
    pub iso: String,
}

impl When {
    pub fn of(now: Millis, at: Instant) -> When {
        When { ago: ago(now, at), utc: utc(at), iso: iso(at) }
    }
}
