//! The audit trail: every change to a ticket, with its actor and time, append-only.

use serde_json::Value;
use tandem_domain::{EventId, Millis, PersonId, TicketId};

use crate::json::{JsonText, to_text};
use crate::sql::{Arg, SqlBuf};
use crate::{Conn, StoreError, bind_args, on_conn};

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct EventView {
    pub id: EventId,
    pub ticket_id: TicketId,
    pub actor_id: Option<PersonId>,
    pub actor_name: Option<String>,
    pub kind: String,
    #[sqlx(try_from = "String")]
    pub data: JsonText<Value>,
    pub at: Millis,
}

pub async fn append(
    conn: Conn<'_>,
    ticket: TicketId,
    actor: Option<PersonId>,
    kind: &str,
    data: &Value,
    at: Millis,
) -> Result<EventId, StoreError> {
    const SQL: &str =
        "INSERT INTO ticket_events (ticket_id, actor_id, kind, data, at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
    let data = to_text(data)?;
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, EventId>(SQL)
        .bind(ticket).bind(actor).bind(kind).bind(&data).bind(at).fetch_one(&mut *c).await)?)
}

/// Appends several events of one change in one statement.
pub async fn append_all(
    conn: Conn<'_>,
    ticket: TicketId,
    actor: Option<PersonId>,
    trail: &[(&str, Value)],
    at: Millis,
) -> Result<(), StoreError> {
    let rows: Vec<_> = trail.iter().map(|(kind, data)| (ticket, actor, *kind, data)).collect();
    insert(conn, &rows, at).await
}

/// Appends one event of `kind` with no actor (the desk's own doing, such as a breach) to each
/// ticket listed, with its data, in one statement: a scan's marks cost one round trip, not one each.
pub async fn append_each(
    conn: Conn<'_>,
    kind: &str,
    events: &[(TicketId, Value)],
    at: Millis,
) -> Result<(), StoreError> {
    let rows: Vec<_> = events.iter().map(|(ticket, data)| (*ticket, None, kind, data)).collect();
    insert(conn, &rows, at).await
}

/// Rows per statement: five placeholders each stays far below both backends' limits.
const INSERT_CHUNK: usize = 1000;

async fn insert(
    mut conn: Conn<'_>,
    rows: &[(TicketId, Option<PersonId>, &str, &Value)],
    at: Millis,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(INSERT_CHUNK) {
        let mut sql = SqlBuf::new("INSERT INTO ticket_events (ticket_id, actor_id, kind, data, at) VALUES ");
        for (index, (ticket, actor, kind, data)) in chunk.iter().enumerate() {
            sql.push(if index == 0 { "(" } else { ", (" });
            sql.bind(Arg::Int(ticket.0)).push(", ");
            match actor {
                Some(actor) => sql.bind(Arg::Int(actor.0)),
                None => sql.push("NULL"),
            };
            sql.push(", ").bind(Arg::Text((*kind).to_owned())).push(", ").bind(Arg::Text(to_text(data)?));
            sql.push(", ").bind(Arg::Int(at)).push(")");
        }
        let (text, args) = sql.sql();
        on_conn!(conn.reborrow(), c => bind_args!(sqlx::query(text), args).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    }
    Ok(())
}

/// Events of a ticket in order, after `after` (an event id).
pub async fn list(
    conn: Conn<'_>,
    ticket: TicketId,
    after: Option<EventId>,
    limit: u32,
) -> Result<Vec<EventView>, StoreError> {
    const SQL: &str = "SELECT e.id, e.ticket_id, e.actor_id, p.name AS actor_name, e.kind, e.data, e.at \
         FROM ticket_events e LEFT JOIN people p ON p.id = e.actor_id \
         WHERE e.ticket_id = $1 AND e.id > $2 ORDER BY e.id LIMIT $3";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, EventView>(SQL)
        .bind(ticket).bind(after.map_or(0, |id| id.0)).bind(i64::from(limit)).fetch_all(&mut *c).await)?)
}

/// The latest `limit` events of a ticket, newest first (one walk down its index).
pub async fn latest(conn: Conn<'_>, ticket: TicketId, limit: u32) -> Result<Vec<EventView>, StoreError> {
    const SQL: &str = "SELECT e.id, e.ticket_id, e.actor_id, p.name AS actor_name, e.kind, e.data, e.at \
         FROM ticket_events e LEFT JOIN people p ON p.id = e.actor_id \
         WHERE e.ticket_id = $1 ORDER BY e.id DESC LIMIT $2";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, EventView>(SQL)
        .bind(ticket).bind(i64::from(limit)).fetch_all(&mut *c).await)?)
}
