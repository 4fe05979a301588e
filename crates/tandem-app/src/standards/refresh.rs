//! Keeping a ticket's target clocks current: called at the end of every ticket write, in its
//! transaction, so a clock never disagrees with the ticket it measures. Which standard applies is
//! decided again each time (priority, service or team may have changed) from the node's snapshot
//! of the standards (`snapshot.rs`: one primary-key read when nothing changed); the clocks keep the
//! business time already used, so a new standard or calendar moves the due times, not the past.
//! A clock that has stopped (met, or breached and stopped) is history: a later standard, edit or
//! deletion never rewrites it. When no standard applies any more (disabled, deleted, or the ticket
//! moved), clocks still running or paused are dropped: nothing promises them now.

use tandem_domain::standard::{Phase, StandardFacts, TargetClock};
use tandem_domain::ticket::Side;
use tandem_domain::{Metric, Millis, StandardId, TargetState, TicketId, TicketStatus};
use tandem_store::Conn;
use tandem_store::standards::StandardRow;
use tandem_store::targets::{self, ClockFacts, ClockWrite, TargetRow};

use super::snapshot::{self, Snapshot};
use crate::AppError;

/// Brings ticket `id`'s clocks up to date at `now`. `public_message` is the side that wrote a
/// public message in this write, if one did (it starts or stops the next-response clock).
pub(crate) async fn refresh(
    mut conn: Conn<'_>,
    id: TicketId,
    public_message: Option<Side>,
    now: Millis,
) -> Result<(), AppError> {
    let ticket = targets::clock_facts(conn.reborrow(), id).await?.ok_or(AppError::NotFound("ticket"))?;
    let snapshot = snapshot::current(conn.reborrow()).await?;
    let existing = targets::for_ticket(conn.reborrow(), id).await?;
    let changes = changes(&snapshot, &ticket, &existing, public_message, now);
    write(conn, &changes, now).await
}

/// What a refresh writes: clocks to save, metrics whose clock goes.
#[derive(Debug, Default)]
pub(super) struct Changes {
    saves: Vec<(TicketId, Metric, StandardId, TargetClock)>,
    removes: Vec<(TicketId, Metric)>,
}

impl Changes {
    pub(super) fn len(&self) -> usize {
        self.saves.len() + self.removes.len()
    }
}

/// Writes what [`changes`] decided, the saves a few hundred per statement.
pub(super) async fn write(mut conn: Conn<'_>, changes: &Changes, now: Millis) -> Result<(), AppError> {
    for &(ticket, metric) in &changes.removes {
        targets::remove(conn.reborrow(), ticket, metric).await?;
    }
    let writes: Vec<ClockWrite<'_>> = changes
        .saves
        .iter()
        .map(|(ticket_id, metric, standard_id, clock)| ClockWrite {
            ticket_id: *ticket_id,
            metric: *metric,
            standard_id: *standard_id,
            clock,
        })
        .collect();
    match writes.as_slice() {
        [] => {}
        [one] => targets::save(conn, one.ticket_id, one.metric, one.standard_id, one.clock, now).await?,
        many => targets::save_many(conn, many, now).await?,
    }
    Ok(())
}

/// The facts a standard's conditions look at.
pub(super) fn facts(ticket: &ClockFacts) -> StandardFacts {
    StandardFacts {
        audience: ticket.audience,
        service_id: ticket.service_id,
        team_id: ticket.team_id,
        priority: ticket.priority,
        organization_id: ticket.organization_id,
    }
}

/// Adds to `changes` what ticket `ticket`'s clocks (`existing`) need to agree with it at `now`.
pub(super) fn changes_into(
    changes: &mut Changes,
    snapshot: &Snapshot,
    ticket: &ClockFacts,
    existing: &[TargetRow],
    public_message: Option<Side>,
    now: Millis,
) {
    let id = ticket.id;
    let Some(applicable) = snapshot.applicable(&facts(ticket)) else {
        // Nothing promises this ticket anything now: open clocks go, measured ones stay.
        for row in existing {
            if matches!(row.clock.state, TargetState::Running | TargetState::Paused) {
                changes.removes.push((id, row.metric));
            }
        }
        return;
    };
    let standard = &applicable.standard;
    for &metric in Metric::ALL {
        let previous = existing.iter().find(|row| row.metric == metric);
        let previous_clock = previous.map(|row| &row.clock);
        let Some(target_ms) = target_ms(standard, metric, ticket) else {
            if previous.is_some() {
                changes.removes.push((id, metric));
            }
            continue;
        };
        let Some(phase) = phase(metric, ticket, previous_clock, public_message, now) else { continue };
        if let (Some(clock), Phase::Stopped { cycle_start, .. }) = (previous_clock, phase)
            && clock.stopped_at.is_some()
            && clock.started_at == cycle_start
        {
            // Measured and stopped: history, kept with the standard that measured it.
            continue;
        }
        let clock =
            TargetClock::advance(previous_clock, phase, target_ms, standard.warn_at_percent, &applicable.calendar, now);
        let unchanged = previous.is_some_and(|row| row.standard_id == standard.id && row.clock == clock);
        if !unchanged {
            changes.saves.push((id, metric, standard.id, clock));
        }
    }
}

/// The target of `metric` for this ticket: the standard's, or for the resolution of a request
/// serving another ticket under a standard that says so, the time that ticket had left if shorter.
fn target_ms(standard: &StandardRow, metric: Metric, ticket: &ClockFacts) -> Option<Millis> {
    let own = standard.targets().of(metric)?;
    match ticket.served_left_ms {
        // A served ticket already out of time still leaves its request a minute, not a target missed at birth.
        Some(left) if metric == Metric::Resolution && standard.derive_from_served => Some(own.min(left.max(60_000))),
        _ => Some(own),
    }
}

fn changes(
    snapshot: &Snapshot,
    ticket: &ClockFacts,
    existing: &[TargetRow],
    public_message: Option<Side>,
    now: Millis,
) -> Changes {
    let mut changes = Changes::default();
    changes_into(&mut changes, snapshot, ticket, existing, public_message, now);
    changes
}

/// What the ticket says a metric's clock should be doing; `None` leaves no clock (yet).
fn phase(
    metric: Metric,
    ticket: &ClockFacts,
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
