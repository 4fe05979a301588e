//! Tickets: the row, the joined view screens need, and the writes that keep tags and followers
//! in their own tables (so queues can filter on them through an index).

use serde_json::{Map, Value};
use tandem_domain::{
    Channel, Millis, OrganizationId, PersonId, PersonKind, Priority, ServiceId, TeamId, TicketAudience, TicketId,
    TicketStatus,
};

use crate::json::{JsonText, to_text};
use crate::sql::{Arg, SqlBuf};
use crate::{Conn, StoreError, bind_args, on_conn};

/// The columns of [`TicketView`], for `concat!` into static SQL; `t` is the ticket.
macro_rules! view_columns {
    () => {
        "t.id, t.subject, t.status, t.priority, t.audience, t.channel, \
         t.requester_id, r.name AS requester_name, r.email AS requester_email, r.kind AS requester_kind, \
         t.recipient_id, rc.name AS recipient_name, t.organization_id, o.name AS organization_name, \
         t.service_id, s.slug AS service_slug, s.name AS service_name, \
         t.team_id, tm.slug AS team_slug, tm.name AS team_name, t.assignee_id, a.name AS assignee_name, \
         t.tags, t.fields, t.merged_into_id, t.version, t.created_at, t.updated_at, \
         t.first_responded_at, t.solved_at"
    };
}

/// The joins that bring the names of [`TicketView`] to a ticket `t` (each by primary key).
macro_rules! view_joins {
    () => {
        " JOIN people r ON r.id = t.requester_id \
         JOIN teams tm ON tm.id = t.team_id \
         LEFT JOIN people rc ON rc.id = t.recipient_id \
         LEFT JOIN organizations o ON o.id = t.organization_id \
         LEFT JOIN services s ON s.id = t.service_id \
         LEFT JOIN people a ON a.id = t.assignee_id"
    };
}
pub(crate) use {view_columns, view_joins};

/// A ticket with the names a screen or API response shows beside its ids.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct TicketView {
    pub id: TicketId,
    pub subject: String,
    pub status: TicketStatus,
    pub priority: Priority,
    pub audience: TicketAudience,
    pub channel: Channel,
    pub requester_id: PersonId,
    pub requester_name: String,
    pub requester_email: String,
    pub requester_kind: PersonKind,
    pub recipient_id: Option<PersonId>,
    pub recipient_name: Option<String>,
    pub organization_id: Option<OrganizationId>,
    pub organization_name: Option<String>,
    pub service_id: Option<ServiceId>,
    pub service_slug: Option<String>,
    pub service_name: Option<String>,
    pub team_id: TeamId,
    pub team_slug: String,
    pub team_name: String,
    pub assignee_id: Option<PersonId>,
    pub assignee_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub tags: JsonText<Vec<String>>,
    #[sqlx(try_from = "String")]
    pub fields: JsonText<Map<String, Value>>,
    pub merged_into_id: Option<TicketId>,
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub first_responded_at: Option<Millis>,
    pub solved_at: Option<Millis>,
}

/// A new ticket, fully decided (routed, validated) by the app layer.
#[derive(Clone, Debug)]
pub struct NewTicket {
    pub subject: String,
    pub status: TicketStatus,
    pub priority: Priority,
    pub audience: TicketAudience,
    pub channel: Channel,
    pub requester_id: PersonId,
    pub recipient_id: Option<PersonId>,
    pub organization_id: Option<OrganizationId>,
    pub service_id: Option<ServiceId>,
    pub team_id: TeamId,
    pub assignee_id: Option<PersonId>,
    pub tags: Vec<String>,
    pub fields: Map<String, Value>,
}

/// The writable state of a ticket, written whole under a version check.
#[derive(Clone, Debug, PartialEq)]
pub struct TicketState {
    pub subject: String,
    pub status: TicketStatus,
    pub priority: Priority,
    pub recipient_id: Option<PersonId>,
    pub service_id: Option<ServiceId>,
    pub team_id: TeamId,
    pub assignee_id: Option<PersonId>,
    pub tags: Vec<String>,
    pub fields: Map<String, Value>,
    pub merged_into_id: Option<TicketId>,
    pub first_responded_at: Option<Millis>,
    pub solved_at: Option<Millis>,
}

impl TicketView {
    pub fn state(&self) -> TicketState {
        TicketState {
            subject: self.subject.clone(),
            status: self.status,
            priority: self.priority,
            recipient_id: self.recipient_id,
            service_id: self.service_id,
            team_id: self.team_id,
            assignee_id: self.assignee_id,
            tags: self.tags.0.clone(),
            fields: self.fields.0.clone(),
            merged_into_id: self.merged_into_id,
            first_responded_at: self.first_responded_at,
            solved_at: self.solved_at,
        }
    }
}

/// Inserts the ticket and its tag rows; returns the new id (its number).
pub async fn insert(mut conn: Conn<'_>, ticket: &NewTicket, now: Millis) -> Result<TicketId, StoreError> {
    const SQL: &str = "INSERT INTO tickets (subject, status, priority, audience, channel, requester_id, recipient_id, \
         organization_id, service_id, team_id, assignee_id, tags, fields, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14) RETURNING id";
    let tags = to_text(&ticket.tags)?;
    let fields = to_text(&ticket.fields)?;
    let id = on_conn!(&mut conn, c => sqlx::query_scalar::<_, TicketId>(SQL)
        .bind(&ticket.subject).bind(ticket.status).bind(ticket.priority).bind(ticket.audience).bind(ticket.channel)
        .bind(ticket.requester_id).bind(ticket.recipient_id).bind(ticket.organization_id).bind(ticket.service_id)
        .bind(ticket.team_id).bind(ticket.assignee_id).bind(&tags).bind(&fields).bind(now)
        .fetch_one(&mut **c).await)?;
    insert_tags(conn, id, &ticket.tags).await?;
    Ok(id)
}

pub async fn get(conn: Conn<'_>, id: TicketId) -> Result<Option<TicketView>, StoreError> {
    const SQL: &str = concat!("SELECT ", view_columns!(), " FROM tickets t", view_joins!(), " WHERE t.id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, TicketView>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// The tickets with these ids (those that exist), in no particular order.
pub async fn get_many(conn: Conn<'_>, ids: &[TicketId]) -> Result<Vec<TicketView>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = SqlBuf::new(concat!("SELECT ", view_columns!(), " FROM tickets t", view_joins!(), " WHERE t.id IN "));
    sql.bind_list(ids.iter().map(|id| Arg::Int(id.0)));
    let (text, args) = sql.sql();
    Ok(on_conn!(conn, c => bind_args!(sqlx::query_as::<_, TicketView>(text), args).fetch_all(&mut *c).await)?)
}

/// Writes the whole state if the stored version is still `expected_version`. Returns the new
/// version, or `None` when someone else changed the ticket first.
pub async fn update(
    mut conn: Conn<'_>,
    id: TicketId,
    expected_version: i64,
    state: &TicketState,
    now: Millis,
) -> Result<Option<i64>, StoreError> {
    const SQL: &str = "UPDATE tickets SET subject = $3, status = $4, priority = $5, recipient_id = $6, \
         service_id = $7, team_id = $8, assignee_id = $9, tags = $10, fields = $11, merged_into_id = $12, \
         first_responded_at = $13, solved_at = $14, version = version + 1, updated_at = $15 \
         WHERE id = $1 AND version = $2 RETURNING version";
    let tags = to_text(&state.tags)?;
    let fields = to_text(&state.fields)?;
    let version = on_conn!(&mut conn, c => sqlx::query_scalar::<_, i64>(SQL)
        .bind(id).bind(expected_version).bind(&state.subject).bind(state.status).bind(state.priority)
        .bind(state.recipient_id).bind(state.service_id).bind(state.team_id).bind(state.assignee_id)
        .bind(&tags).bind(&fields).bind(state.merged_into_id).bind(state.first_responded_at)
        .bind(state.solved_at).bind(now).fetch_optional(&mut **c).await)?;
    Ok(version)
}

/// Replaces the tag rows of a ticket (after its `tags` column changed).
pub async fn replace_tags(mut conn: Conn<'_>, id: TicketId, tags: &[String]) -> Result<(), StoreError> {
    const SQL: &str = "DELETE FROM ticket_tags WHERE ticket_id = $1";
    on_conn!(&mut conn, c => sqlx::query(SQL).bind(id).execute(&mut **c).await.map(|done| done.rows_affected()))?;
    insert_tags(conn, id, tags).await
}

async fn insert_tags(conn: Conn<'_>, id: TicketId, tags: &[String]) -> Result<(), StoreError> {
    if tags.is_empty() {
        return Ok(());
    }
    let mut sql = SqlBuf::new("INSERT INTO ticket_tags (tag, ticket_id) VALUES ");
    for (index, tag) in tags.iter().enumerate() {
        sql.push(if index == 0 { "(" } else { ", (" });
        sql.bind(Arg::Text(tag.clone())).push(", ").bind(Arg::Int(id.0)).push(")");
    }
    sql.push(" ON CONFLICT DO NOTHING");
    let (text, args) = sql.sql();
    on_conn!(conn, c => bind_args!(sqlx::query(text), args).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// Assigns the ticket to `assignee` only if nobody has it yet: the database decides which of two
/// agents taking the same ticket at once wins. Returns the new version, `None` if it was taken.
pub async fn take(conn: Conn<'_>, id: TicketId, assignee: PersonId, now: Millis) -> Result<Option<i64>, StoreError> {
    const SQL: &str = "UPDATE tickets SET assignee_id = $2, version = version + 1, updated_at = $3 \
         WHERE id = $1 AND assignee_id IS NULL RETURNING version";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, i64>(SQL).bind(id).bind(assignee).bind(now)
        .fetch_optional(&mut *c).await)?)
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct FollowerRow {
    pub person_id: PersonId,
    pub name: String,
    pub kind: PersonKind,
}

pub async fn followers(conn: Conn<'_>, id: TicketId) -> Result<Vec<FollowerRow>, StoreError> {
    const SQL: &str = "SELECT f.person_id, p.name, p.kind FROM ticket_followers f JOIN people p ON p.id = f.person_id \
         WHERE f.ticket_id = $1 ORDER BY p.name, p.id LIMIT 1000";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, FollowerRow>(SQL).bind(id).fetch_all(&mut *c).await)?)
}

pub async fn is_follower(conn: Conn<'_>, id: TicketId, person: PersonId) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM ticket_followers WHERE ticket_id = $1 AND person_id = $2";
    let count = on_conn!(conn, c => sqlx::query_scalar::<_, i64>(SQL).bind(id).bind(person).fetch_one(&mut *c).await)?;
    Ok(count > 0)
}

/// Adds a follower; `false` if they already followed.
pub async fn add_follower(conn: Conn<'_>, id: TicketId, person: PersonId) -> Result<bool, StoreError> {
    const SQL: &str = "INSERT INTO ticket_followers (ticket_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    let added = on_conn!(conn, c => sqlx::query(SQL).bind(id).bind(person).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(added == 1)
}

pub async fn remove_follower(conn: Conn<'_>, id: TicketId, person: PersonId) -> Result<bool, StoreError> {
    const SQL: &str = "DELETE FROM ticket_followers WHERE ticket_id = $1 AND person_id = $2";
    let removed = on_conn!(conn, c => sqlx::query(SQL).bind(id).bind(person).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(removed == 1)
}

/// Takes the ticket's row lock for the rest of the transaction (PostgreSQL; SQLite's writer
/// already holds the database lock). `false` if there is no such ticket.
pub async fn lock(conn: Conn<'_>, id: TicketId) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE tickets SET version = version WHERE id = $1";
    let locked =
        on_conn!(conn, c => sqlx::query(SQL).bind(id).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(locked == 1)
}
