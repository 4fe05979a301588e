//! The demo's service standards: office hours in London with a lunch break and the Christmas
//! holidays, a round-the-clock calendar for urgent customer trouble, SLAs for external customers
//! and OLAs for the teams serving each other. Loaded before the stories, so every demo ticket
//! runs its clocks from the moment it was opened.

use tandem_domain::calendar::{CalendarDef, Day, PeriodDef};
use tandem_domain::standard::{Escalations, StandardConditions, Targets};
use tandem_domain::{CalendarId, Millis, Priority, TicketAudience};

use super::Builder;
use crate::AppError;
use crate::standards::{CalendarInput, StandardInput};

/// Adds the demo's calendars and standards, as the admin, at `now`.
pub(super) async fn build_standards(builder: &Builder, now: Millis) -> Result<(), AppError> {
    let office = calendar(builder, "Harbor office hours", office_hours(), now).await?;
    let always = CalendarDef { time_zone: "Europe/London".into(), always_open: true, ..CalendarDef::default() };
    let around_the_clock = calendar(builder, "Around the clock", always, now).await?;
    let urgent = vec![Priority::Urgent, Priority::High];
    let standards = [
        ("Urgent customer trouble (SLA)", TicketAudience::External, urgent.clone(), around_the_clock, [60, 120, 480]),
        ("Customer service (SLA)", TicketAudience::External, vec![], office, [240, 480, 2_400]),
        ("A store that cannot sell (OLA)", TicketAudience::Internal, urgent, office, [30, 60, 240]),
        ("Internal help (OLA)", TicketAudience::Internal, vec![], office, [480, 960, 4_800]),
    ];
    for (position, (name, audience, priorities, calendar_id, [first, next, resolution])) in
        (10_i64..).step_by(10).zip(standards)
    {
        let input = StandardInput {
            name: name.into(),
            position: Some(position),
            enabled: true,
            conditions: StandardConditions { audience: Some(audience), priorities, ..StandardConditions::default() },
            calendar_id,
            targets: Targets {
                first_response_minutes: Some(first),
                next_response_minutes: Some(next),
                resolution_minutes: Some(resolution),
            },
            warn_at_percent: 75,
            escalations: Escalations::default(),
            // A team helping another with a customer's ticket finishes within the customer's time.
            derive_from_served: audience == TicketAudience::Internal,
        };
        builder.app().create_standard(builder.admin(), input, now).await?;
    }
    Ok(())
}

/// Monday to Friday, 09:00–12:30 and 13:30–17:30 in London; closed over Christmas and New Year.
fn office_hours() -> CalendarDef {
    let weekdays = [Day::Monday, Day::Tuesday, Day::Wednesday, Day::Thursday, Day::Friday];
    let period = |day, start: &str, end: &str| PeriodDef { day, start: start.into(), end: end.into() };
    CalendarDef {
        time_zone: "Europe/London".into(),
        always_open: false,
        weekly: weekdays
            .into_iter()
            .flat_map(|day| [period(day, "09:00", "12:30"), period(day, "13:30", "17:30")])
            .collect(),
        holidays: ["2026-12-25", "2026-12-28", "2027-01-01"].map(String::from).to_vec(),
    }
}

async fn calendar(builder: &Builder, name: &str, definition: CalendarDef, now: Millis) -> Result<CalendarId, AppError> {
    let input = CalendarInput { name: name.into(), definition };
    Ok(builder.app().create_calendar(builder.admin(), input, now).await?.id)
}
