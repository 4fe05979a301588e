//! Keeping a ticket's target clocks current: called at the end of every ticket write, in its
//! transaction, so a clock never disagrees with the ticket it measures. Which standard applies is
//! decided again each time (priority, service or team may have changed); the clocks keep the
//! business time already used, so a new standard or calendar moves the due times, not the past.

use tandem_domain::calendar::Calendar;
use tandem_domain::standard::{Phase, StandardFacts, TargetClock};
use tandem_domain::ticket::Side;
use tandem_domain::{Metric, Millis, TicketId, TicketStatus};
use tandem_store::Conn;
use tandem_store::standards::{self, StandardRow};
use tandem_store::targets;
use tandem_store::tickets::{self, TicketView};

use crate::AppError;

/// Brings ticket `id`'s clocks up to date at `now`. `public_message` is the side that wrote a
/// public message in this write, if one did (it starts or stops the next-response clock).
pub(crate) async fn refresh(
    mut conn: Conn<'_>,
    id: TicketId,
    public_message: Option<Side>,
    now: Millis,
) -> Result<(), AppError> {
    let ticket = tickets::get(conn.reborrow(), id).await?.ok_or(AppError::NotFound("ticket"))?;
    let Some((standard, calendar)) = applicable(conn.reborrow(), &ticket).await? else {
        // No standard applies: existing clocks keep what they measured so far.
        return Ok(());
    };
    let existing = targets::for_ticket(conn.reborrow(), id).await?;
    for &metric in Metric::ALL {
        let previous = existing.iter().find(|row| row.metric == metric);
        let previous_clock = previous.map(|row| row.clock.clone());
        let Some(target_ms) = standard.targets().of(metric) else {
            if previous.is_some() {
                targets::remove(conn.reborrow(), id, metric).await?;
            }
            continue;
        };
        let Some(phase) = phase(metric, &ticket, previous_clock.as_ref(), public_message, now) else { continue };
        let clock =
            TargetClock::advance(previous_clock.as_ref(), phase, target_ms, standard.warn_at_percent, &calendar, now);
        let unchanged =
            previous.is_some_and(|row| row.standard_id == standard.id && previous_clock == Some(clock.clone()));
        if !unchanged {
            targets::save(conn.reborrow(), id, metric, standard.id, &clock, now).await?;
        }
    }
    Ok(())
}

/// The first enabled standard whose conditions hold for the ticket, with its calendar.
async fn applicable(mut conn: Conn<'_>, ticket: &TicketView) -> Result<Option<(StandardRow, Calendar)>, AppError> {
    let facts = StandardFacts {
        audience: ticket.audience,
        service_id: ticket.service_id,
        team_id: ticket.team_id,
        priority: ticket.priority,
        organization_id: ticket.organization_id,
    };
    let standards = standards::list_standards(conn.reborrow(), true).await?;
    let Some(standard) = standards.into_iter().find(|standard| standard.conditions.0.matches(&facts)) else {
        return Ok(None);
    };
    let calendar = calendar(conn, &standard).await?;
    Ok(Some((standard, calendar)))
}

/// A standard's calendar, checked again (it was checked when written).
pub(super) async fn calendar(conn: Conn<'_>, standard: &StandardRow) -> Result<Calendar, AppError> {
    let row = standards::get_calendar(conn, standard.calendar_id).await?.ok_or(AppError::NotFound("calendar"))?;
    Calendar::parse(&row.definition.0).map_err(|errors| {
        AppError::Internal(anyhow::anyhow!("stored calendar {} is invalid: {}", row.id.0, errors.summary()))
    })
}

/// What the ticket says a metric's clock should be doing; `None` leaves no clock (yet).
fn phase(
    metric: Metric,
    ticket: &TicketView,
    previous: Option<&TargetClock>,
    public_message: Option<Side>,
    now: Millis,
) -> Option<Phase> {
    let done = matches!(ticket.status, TicketStatus::Solved | TicketStatus::Closed);
    let solved_at = ticket.solved_at.unwrap_or(now);
    let live = |cycle_start| match ticket.status {
        TicketStatus::PendingCustomer => Phase::Paused { cycle_start },
        _ if done => Phase::Stopped { cycle_start, at: solved_at },
        _ => Phase::Counting { cycle_start },
    };
    let created = ticket.created_at;
    match metric {
        Metric::FirstResponse => Some(match ticket.first_responded_at {
            Some(at) => Phase::Stopped { cycle_start: created, at },
            None => live(created),
        }),
        Metric::Resolution => Some(live(created)),
        Metric::NextResponse => {
            let running = previous.filter(|clock| clock.stopped_at.is_none());
            match (public_message, previous) {
                // A customer writes after the first response: a cycle starts (or goes on).
                (Some(Side::Customer), _) if ticket.first_responded_at.is_some() => {
                    Some(live(running.map_or(now, |clock| clock.started_at)))
                }
                (Some(Side::Agent), Some(clock)) if clock.stopped_at.is_none() => {
                    Some(Phase::Stopped { cycle_start: clock.started_at, at: now })
                }
                (_, Some(clock)) => Some(match clock.stopped_at {
                    Some(at) => Phase::Stopped { cycle_start: clock.started_at, at },
                    None => live(clock.started_at),
                }),
                (_, None) => None,
            }
        }
    }
}
