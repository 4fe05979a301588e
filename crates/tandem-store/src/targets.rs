//! Per-ticket target clocks, and the scans over their due and warning times. The scans are index
//! ranges over `(state, due_at)` and `(state, warn_at)`: the cost follows what is due, not how
//! many tickets exist. Each fire is a conditional update, so it happens once however often a
//! scan runs.

use tandem_domain::standard::TargetClock;
use tandem_domain::{Metric, Millis, StandardId, TicketId};

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

/// Drops a ticket's clock for a metric its standard no longer promises.
pub async fn remove(conn: Conn<'_>, ticket: TicketId, metric: Metric) -> Result<(), StoreError> {
    const SQL: &str = "DELETE FROM ticket_targets WHERE ticket_id = $1 AND metric = $2";
    on_conn!(conn, c => sqlx::query(SQL).bind(ticket).bind(metric).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// Marks up to `limit` running clocks whose due time has passed as breached; returns them.
pub async fn breach_due(conn: Conn<'_>, now: Millis, limit: i64) -> Result<Vec<(TicketId, Metric)>, StoreError> {
    const SQL: &str = "WITH due AS (SELECT ticket_id, metric FROM ticket_targets \
         WHERE state = 'running' AND due_at <= $1 ORDER BY due_at LIMIT $2) \
         UPDATE ticket_targets SET state = 'breached', breached_at = $1, updated_at = $1 \
         WHERE state = 'running' AND due_at <= $1 AND (ticket_id, metric) IN (SELECT ticket_id, metric FROM due) \
         RETURNING ticket_id, metric";
    Ok(
        on_conn!(conn, c => sqlx::query_as::<_, (TicketId, Metric)>(SQL).bind(now).bind(limit).fetch_all(&mut *c).await)?,
    )
}

/// Marks up to `limit` running clocks whose warning time has passed as warned; returns them.
pub async fn warn_due(conn: Conn<'_>, now: Millis, limit: i64) -> Result<Vec<(TicketId, Metric)>, StoreError> {
    const SQL: &str = "WITH due AS (SELECT ticket_id, metric FROM ticket_targets \
         WHERE state = 'running' AND warn_at <= $1 ORDER BY warn_at LIMIT $2) \
         UPDATE ticket_targets SET warned_at = $1, warn_at = NULL, updated_at = $1 \
         WHERE state = 'running' AND warn_at <= $1 AND (ticket_id, metric) IN (SELECT ticket_id, metric FROM due) \
         RETURNING ticket_id, metric";
    Ok(
        on_conn!(conn, c => sqlx::query_as::<_, (TicketId, Metric)>(SQL).bind(now).bind(limit).fetch_all(&mut *c).await)?,
    )
}

/// Tickets still open (not solved or closed) after `after`, by id: the ones a new standard may reach.
pub async fn open_tickets_after(conn: Conn<'_>, after: TicketId, limit: i64) -> Result<Vec<TicketId>, StoreError> {
    const SQL: &str =
        "SELECT id FROM tickets WHERE id > $1 AND status NOT IN ('solved', 'closed') ORDER BY id LIMIT $2";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, TicketId>(SQL).bind(after).bind(limit).fetch_all(&mut *c).await)?)
}
