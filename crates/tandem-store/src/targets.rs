//! Per-ticket target clocks, and the scans over their due and warning times. The scans are index
//! ranges over `(state, due_at)` and `(state, warn_at)`: the cost follows what is due, not how
//! many tickets exist. Each fire is a conditional update, so it happens once however often a
//! scan runs.
//!
//! In a scan's `UPDATE` the batch's keys come first and its conditions are re-checked in a form no
//! index serves (`state || ''`, `due_at + 0`, valid on both backends): SQLite otherwise walks the
//! whole overdue range of the due index for every batch, so taking a backlog of N in batches cost
//! N²; this way each row of the batch is found by its primary key. PostgreSQL needs the re-check
//! (a row changed while the update waited on its lock is evaluated again).

use std::fmt::Write as _;

use tandem_domain::standard::TargetClock;
use tandem_domain::{
    Metric, Millis, OrganizationId, Priority, ServiceId, StandardId, TeamId, TicketAudience, TicketId, TicketStatus,
};

use crate::{Conn, StoreError, on_conn};

/// A stored clock with its ticket, metric and standard.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TargetRow {
    pub ticket_id: TicketId,
    pub metric: Metric,
    pub standard_id: StandardId,
    #[sqlx(flatten)]
    pub clock: TargetClock,
}

/// A ticket's clocks, in metric order.
pub async fn for_ticket(conn: Conn<'_>, ticket: TicketId) -> Result<Vec<TargetRow>, StoreError> {
    const SQL: &str = "SELECT ticket_id, metric, standard_id, state, started_at, target_ms, elapsed_ms, \
         running_since, due_at, warn_at, warned_at, breached_at, stopped_at FROM ticket_targets \
         WHERE ticket_id = $1 ORDER BY metric";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, TargetRow>(SQL).bind(ticket).fetch_all(&mut *c).await)?)
}

/// Writes a clock as the domain decided it.
pub async fn save(
    conn: Conn<'_>,
    ticket: TicketId,
    metric: Metric,
    standard: StandardId,
    clock: &TargetClock,
    now: Millis,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO ticket_targets (ticket_id, metric, standard_id, state, started_at, target_ms, \
         elapsed_ms, running_since, due_at, warn_at, warned_at, breached_at, stopped_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         ON CONFLICT (ticket_id, metric) DO UPDATE SET standard_id = excluded.standard_id, state = excluded.state, \
         started_at = excluded.started_at, target_ms = excluded.target_ms, elapsed_ms = excluded.elapsed_ms, \
         running_since = excluded.running_since, due_at = excluded.due_at, warn_at = excluded.warn_at, \
         warned_at = excluded.warned_at, breached_at = excluded.breached_at, stopped_at = excluded.stopped_at, \
         updated_at = excluded.updated_at";
    on_conn!(conn, c => sqlx::query(SQL)
        .bind(ticket).bind(metric).bind(standard).bind(clock.state).bind(clock.started_at).bind(clock.target_ms)
        .bind(clock.elapsed_ms).bind(clock.running_since).bind(clock.due_at).bind(clock.warn_at)
        .bind(clock.warned_at).bind(clock.breached_at).bind(clock.stopped_at).bind(now)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// One clock to write, as [`save`] takes it.
#[derive(Clone, Copy, Debug)]
pub struct ClockWrite<'a> {
    pub ticket_id: TicketId,
    pub metric: Metric,
    pub standard_id: StandardId,
    pub clock: &'a TargetClock,
}

/// Rows per statement in [`save_many`]: 14 placeholders each stays far below both backends' limits.
const SAVE_CHUNK: usize = 500;

/// Writes many clocks, a few hundred per statement (the same upsert as [`save`]).
pub async fn save_many(mut conn: Conn<'_>, writes: &[ClockWrite<'_>], now: Millis) -> Result<(), StoreError> {
    for chunk in writes.chunks(SAVE_CHUNK) {
        let mut text = String::from(
            "INSERT INTO ticket_targets (ticket_id, metric, standard_id, state, started_at, target_ms, elapsed_ms, \
             running_since, due_at, warn_at, warned_at, breached_at, stopped_at, updated_at) VALUES ",
        );
        for index in 0..chunk.len() {
            let base = index * 14;
            text.push_str(if index == 0 { "(" } else { ", (" });
            for column in 1..=14 {
                let separator = if column == 1 { "" } else { ", " };
                write!(text, "{separator}${}", base + column).expect("writing to a String");
            }
            text.push(')');
        }
        text.push_str(
            " ON CONFLICT (ticket_id, metric) DO UPDATE SET standard_id = excluded.standard_id, \
             state = excluded.state, started_at = excluded.started_at, target_ms = excluded.target_ms, \
             elapsed_ms = excluded.elapsed_ms, running_since = excluded.running_since, due_at = excluded.due_at, \
             warn_at = excluded.warn_at, warned_at = excluded.warned_at, breached_at = excluded.breached_at, \
             stopped_at = excluded.stopped_at, updated_at = excluded.updated_at",
        );
        // Only placeholders were added to the static text; every value is bound.
        let sql = sqlx::AssertSqlSafe(text);
        on_conn!(conn.reborrow(), c => {
            let mut query = sqlx::query(sql);
            for write in chunk {
                let clock = write.clock;
                query = query.bind(write.ticket_id).bind(write.metric).bind(write.standard_id).bind(clock.state)
                    .bind(clock.started_at).bind(clock.target_ms).bind(clock.elapsed_ms).bind(clock.running_since)
                    .bind(clock.due_at).bind(clock.warn_at).bind(clock.warned_at).bind(clock.breached_at)
                    .bind(clock.stopped_at).bind(now);
            }
            query.execute(&mut *c).await.map(|done| done.rows_affected())
        })?;
    }
    Ok(())
}

/// Drops a ticket's clock for a metric its standard no longer promises.
pub async fn remove(conn: Conn<'_>, ticket: TicketId, metric: Metric) -> Result<(), StoreError> {
    const SQL: &str = "DELETE FROM ticket_targets WHERE ticket_id = $1 AND metric = $2";
    on_conn!(conn, c => sqlx::query(SQL).bind(ticket).bind(metric).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// Marks up to `limit` running clocks whose due time has passed as breached; returns them with
/// the standard each was measured against (its escalation is what the breach sets off). A clock
/// whose warning is due but not yet marked waits for [`warn_due`]: a scan taking a backlog a batch
/// at a time would otherwise breach it first and never warn (a warning is never after a breach).
pub async fn breach_due(
    conn: Conn<'_>,
    now: Millis,
    limit: i64,
) -> Result<Vec<(TicketId, Metric, StandardId)>, StoreError> {
    const SQL: &str = "WITH due AS (SELECT ticket_id, metric FROM ticket_targets \
         WHERE state = 'running' AND due_at <= $1 AND (warn_at IS NULL OR warn_at > $1) ORDER BY due_at LIMIT $2) \
         UPDATE ticket_targets SET state = 'breached', breached_at = $1, updated_at = $1 \
         WHERE (ticket_id, metric) IN (SELECT ticket_id, metric FROM due) \
         AND state || '' = 'running' AND due_at + 0 <= $1 AND (warn_at IS NULL OR warn_at > $1) \
         RETURNING ticket_id, metric, standard_id";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, (TicketId, Metric, StandardId)>(SQL)
        .bind(now).bind(limit).fetch_all(&mut *c).await)?)
}

/// Marks up to `limit` running clocks whose warning time has passed as warned; returns them.
pub async fn warn_due(conn: Conn<'_>, now: Millis, limit: i64) -> Result<Vec<(TicketId, Metric)>, StoreError> {
    const SQL: &str = "WITH due AS (SELECT ticket_id, metric FROM ticket_targets \
         WHERE state = 'running' AND warn_at <= $1 ORDER BY warn_at LIMIT $2) \
         UPDATE ticket_targets SET warned_at = $1, warn_at = NULL, updated_at = $1 \
         WHERE (ticket_id, metric) IN (SELECT ticket_id, metric FROM due) \
         AND state || '' = 'running' AND warn_at + 0 <= $1 \
         RETURNING ticket_id, metric";
    Ok(
        on_conn!(conn, c => sqlx::query_as::<_, (TicketId, Metric)>(SQL).bind(now).bind(limit).fetch_all(&mut *c).await)?,
    )
}

/// What a ticket's clocks depend on: the facts its standard is chosen by, and its status and times.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ClockFacts {
    pub id: TicketId,
    pub status: TicketStatus,
    pub priority: Priority,
    pub audience: TicketAudience,
    pub service_id: Option<ServiceId>,
    pub team_id: TeamId,
    pub organization_id: Option<OrganizationId>,
    pub created_at: Millis,
    pub first_responded_at: Option<Millis>,
    pub solved_at: Option<Millis>,
    /// When the ticket is an internal request serving another: the business time that ticket had
    /// left on its resolution target when they were linked (see `links`).
    pub served_left_ms: Option<Millis>,
}

/// Locks the open tickets with ids in `(after, through]` for the rest of the transaction and
/// returns their clock facts as committed (PostgreSQL re-reads a row changed while it waited), so a
/// ticket write cannot slip between reading a ticket and writing its clocks.
pub async fn lock_open_tickets(
    conn: Conn<'_>,
    after: TicketId,
    through: TicketId,
) -> Result<Vec<ClockFacts>, StoreError> {
    const SQL: &str = "UPDATE tickets SET version = version \
         WHERE id > $1 AND id <= $2 AND status NOT IN ('solved', 'closed') \
         RETURNING id, status, priority, audience, service_id, team_id, organization_id, created_at, \
         first_responded_at, solved_at, \
         (SELECT served_left_ms FROM ticket_links WHERE child_id = tickets.id) AS served_left_ms";
    let mut facts =
        on_conn!(conn, c => sqlx::query_as::<_, ClockFacts>(SQL).bind(after).bind(through).fetch_all(&mut *c).await)?;
    facts.sort_by_key(|ticket| ticket.id);
    Ok(facts)
}

/// The clocks of the open tickets with ids in `(after, through]`, by ticket and metric.
pub async fn for_open_tickets(
    conn: Conn<'_>,
    after: TicketId,
    through: TicketId,
) -> Result<Vec<TargetRow>, StoreError> {
    const SQL: &str = "SELECT tt.ticket_id, tt.metric, tt.standard_id, tt.state, tt.started_at, tt.target_ms, \
         tt.elapsed_ms, tt.running_since, tt.due_at, tt.warn_at, tt.warned_at, tt.breached_at, tt.stopped_at \
         FROM tickets t JOIN ticket_targets tt ON tt.ticket_id = t.id \
         WHERE t.id > $1 AND t.id <= $2 AND t.status NOT IN ('solved', 'closed') ORDER BY tt.ticket_id, tt.metric";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, TargetRow>(SQL).bind(after).bind(through).fetch_all(&mut *c).await)?)
}

/// Tickets still open (not solved or closed) after `after`, by id: the ones a new standard may reach.
pub async fn open_tickets_after(conn: Conn<'_>, after: TicketId, limit: i64) -> Result<Vec<TicketId>, StoreError> {
    const SQL: &str =
        "SELECT id FROM tickets WHERE id > $1 AND status NOT IN ('solved', 'closed') ORDER BY id LIMIT $2";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, TicketId>(SQL).bind(after).bind(limit).fetch_all(&mut *c).await)?)
}

/// One ticket's [`ClockFacts`] (what every ticket write's refresh reads: one primary-key row and
/// one primary-key probe of its link).
pub async fn clock_facts(conn: Conn<'_>, id: TicketId) -> Result<Option<ClockFacts>, StoreError> {
    const SQL: &str = "SELECT t.id, t.status, t.priority, t.audience, t.service_id, t.team_id, t.organization_id, \
         t.created_at, t.first_responded_at, t.solved_at, l.served_left_ms \
         FROM tickets t LEFT JOIN ticket_links l ON l.child_id = t.id WHERE t.id = $1";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, ClockFacts>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}
