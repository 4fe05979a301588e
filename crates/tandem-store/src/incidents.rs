//! Incidents: the record, the tickets linked to it (at most one incident per ticket, by primary
//! key), its updates, and the deliveries that make each update reach each ticket once.

use tandem_domain::{
    IncidentId, IncidentStatus, IncidentUpdateId, Millis, PersonId, ServiceId, Severity, TeamId, TicketAudience,
    TicketId, TicketStatus,
};

use crate::json::{JsonText, to_text};
use crate::{Conn, StoreError, on_conn};

macro_rules! columns {
    () => {
        "i.id, i.title, i.description, i.team_id, tm.name AS team_name, i.status, i.severity, \
         i.match_service_id, i.match_words, i.created_by, p.name AS created_by_name, \
         i.version, i.created_at, i.updated_at, i.solved_at \
         FROM incidents i JOIN teams tm ON tm.id = i.team_id JOIN people p ON p.id = i.created_by"
    };
}

/// An incident with the names a screen shows beside its ids.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct IncidentRow {
    pub id: IncidentId,
    pub title: String,
    pub description: String,
    pub team_id: TeamId,
    pub team_name: String,
    pub status: IncidentStatus,
    pub severity: Option<Severity>,
    pub match_service_id: Option<ServiceId>,
    #[sqlx(try_from = "String")]
    pub match_words: JsonText<Vec<String>>,
    pub created_by: PersonId,
    pub created_by_name: String,
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub solved_at: Option<Millis>,
}

/// What people write about an incident.
#[derive(Clone, Debug, PartialEq)]
pub struct IncidentFields {
    pub title: String,
    pub description: String,
    pub team_id: TeamId,
    pub severity: Option<Severity>,
    pub match_service_id: Option<ServiceId>,
    /// Lower-case.
    pub match_words: Vec<String>,
}

impl IncidentFields {
    fn has_rules(&self) -> bool {
        self.match_service_id.is_some() || !self.match_words.is_empty()
    }
}

pub async fn insert(
    conn: Conn<'_>,
    fields: &IncidentFields,
    created_by: PersonId,
    now: Millis,
) -> Result<IncidentId, StoreError> {
    const SQL: &str = "INSERT INTO incidents (title, description, team_id, status, severity, match_service_id, \
         match_words, has_rules, created_by, version, created_at, updated_at) \
         VALUES ($1, $2, $3, 'open', $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id";
    let words = to_text(&fields.match_words)?;
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, IncidentId>(SQL)
        .bind(&fields.title).bind(&fields.description).bind(fields.team_id).bind(fields.severity)
        .bind(fields.match_service_id).bind(&words).bind(fields.has_rules()).bind(created_by).bind(now)
        .fetch_one(&mut *c).await)?)
}

/// Writes every field if the incident is still at `expected_version`; `false` if not.
pub async fn update(
    conn: Conn<'_>,
    id: IncidentId,
    expected_version: i64,
    fields: &IncidentFields,
    now: Millis,
) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE incidents SET title = $3, description = $4, team_id = $5, severity = $6, \
         match_service_id = $7, match_words = $8, has_rules = $9, version = version + 1, updated_at = $10 \
         WHERE id = $1 AND version = $2";
    let words = to_text(&fields.match_words)?;
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(id).bind(expected_version).bind(&fields.title).bind(&fields.description).bind(fields.team_id)
        .bind(fields.severity).bind(fields.match_service_id).bind(&words).bind(fields.has_rules()).bind(now)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Takes the incident's row lock (a no-op update), so links, updates and solving serialize.
pub async fn lock(conn: Conn<'_>, id: IncidentId) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE incidents SET version = version WHERE id = $1";
    let locked =
        on_conn!(conn, c => sqlx::query(SQL).bind(id).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(locked == 1)
}

/// Marks an open incident solved; `false` if it was not open.
pub async fn solve(conn: Conn<'_>, id: IncidentId, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE incidents SET status = 'solved', solved_at = $2, version = version + 1, updated_at = $2 \
         WHERE id = $1 AND status = 'open'";
    let done = on_conn!(conn, c => sqlx::query(SQL).bind(id).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

pub async fn get(conn: Conn<'_>, id: IncidentId) -> Result<Option<IncidentRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " WHERE i.id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, IncidentRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Incidents in one of `statuses`, newest first, with ids below `before`.
pub async fn list(
    conn: Conn<'_>,
    statuses: [IncidentStatus; 2],
    before: IncidentId,
    limit: i64,
) -> Result<Vec<IncidentRow>, StoreError> {
    const SQL: &str =
        concat!("SELECT ", columns!(), " WHERE i.status IN ($1, $2) AND i.id < $3 ORDER BY i.id DESC LIMIT $4");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, IncidentRow>(SQL)
        .bind(statuses[0]).bind(statuses[1]).bind(before).bind(limit).fetch_all(&mut *c).await)?)
}

/// An open incident's match rules.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct RulesRow {
    pub id: IncidentId,
    pub match_service_id: Option<ServiceId>,
    #[sqlx(try_from = "String")]
    pub match_words: JsonText<Vec<String>>,
}

/// The open incidents that have match rules, oldest first: one range of `incidents_matching`,
/// empty on most days, read by every ticket creation.
pub async fn open_with_rules(conn: Conn<'_>) -> Result<Vec<RulesRow>, StoreError> {
    const SQL: &str = "SELECT id, match_service_id, match_words FROM incidents \
         WHERE status = 'open' AND has_rules = $1 ORDER BY id LIMIT 100";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, RulesRow>(SQL).bind(true).fetch_all(&mut *c).await)?)
}

/// Links a ticket; `false` when it already belongs to an incident (this one or another).
pub async fn link(
    conn: Conn<'_>,
    incident: IncidentId,
    ticket: TicketId,
    linked_by: Option<PersonId>,
    now: Millis,
) -> Result<bool, StoreError> {
    const SQL: &str = "INSERT INTO incident_tickets (ticket_id, incident_id, linked_by, linked_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (ticket_id) DO NOTHING";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(ticket).bind(incident).bind(linked_by).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Removes a ticket's link to the incident; `false` if it was not linked to it.
pub async fn unlink(conn: Conn<'_>, incident: IncidentId, ticket: TicketId) -> Result<bool, StoreError> {
    const SQL: &str = "DELETE FROM incident_tickets WHERE ticket_id = $1 AND incident_id = $2";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(ticket).bind(incident).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// The incident a ticket is linked to, in brief.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct IncidentOfTicket {
    pub id: IncidentId,
    pub title: String,
    pub status: IncidentStatus,
}

pub async fn of_ticket(conn: Conn<'_>, ticket: TicketId) -> Result<Option<IncidentOfTicket>, StoreError> {
    const SQL: &str = "SELECT i.id, i.title, i.status FROM incident_tickets it \
         JOIN incidents i ON i.id = it.incident_id WHERE it.ticket_id = $1";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, IncidentOfTicket>(SQL).bind(ticket).fetch_optional(&mut *c).await)?)
}

/// A linked ticket as the incident's list shows it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct LinkedTicket {
    pub ticket_id: TicketId,
    pub subject: String,
    pub status: TicketStatus,
    pub audience: TicketAudience,
    pub team_id: TeamId,
    pub team_name: String,
    pub linked_by: Option<PersonId>,
    pub linked_at: Millis,
}

/// The incident's linked tickets with ids after `after`, by id.
pub async fn linked(
    conn: Conn<'_>,
    incident: IncidentId,
    after: TicketId,
    limit: i64,
) -> Result<Vec<LinkedTicket>, StoreError> {
    const SQL: &str = "SELECT it.ticket_id, t.subject, t.status, t.audience, t.team_id, tm.name AS team_name, \
         it.linked_by, it.linked_at FROM incident_tickets it JOIN tickets t ON t.id = it.ticket_id \
         JOIN teams tm ON tm.id = t.team_id WHERE it.incident_id = $1 AND it.ticket_id > $2 \
         ORDER BY it.ticket_id LIMIT $3";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, LinkedTicket>(SQL)
        .bind(incident).bind(after).bind(limit).fetch_all(&mut *c).await)?)
}

/// An update as written.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct UpdateRow {
    pub id: IncidentUpdateId,
    pub incident_id: IncidentId,
    pub author_id: PersonId,
    pub author_name: String,
    pub external_body: Option<String>,
    pub internal_body: Option<String>,
    pub note: Option<String>,
    pub solves_tickets: bool,
    pub created_at: Millis,
}

/// A new update: what each audience is told, and what staff note beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct NewUpdate {
    pub incident_id: IncidentId,
    pub author_id: PersonId,
    pub external_body: Option<String>,
    pub internal_body: Option<String>,
    pub note: Option<String>,
    pub solves_tickets: bool,
}

pub async fn insert_update(conn: Conn<'_>, update: &NewUpdate, now: Millis) -> Result<IncidentUpdateId, StoreError> {
    const SQL: &str = "INSERT INTO incident_updates (incident_id, author_id, external_body, internal_body, note, \
         solves_tickets, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, IncidentUpdateId>(SQL)
        .bind(update.incident_id).bind(update.author_id).bind(&update.external_body).bind(&update.internal_body)
        .bind(&update.note).bind(update.solves_tickets).bind(now).fetch_one(&mut *c).await)?)
}

macro_rules! update_columns {
    () => {
        "u.id, u.incident_id, u.author_id, p.name AS author_name, u.external_body, u.internal_body, u.note, \
         u.solves_tickets, u.created_at FROM incident_updates u JOIN people p ON p.id = u.author_id"
    };
}

pub async fn get_update(conn: Conn<'_>, id: IncidentUpdateId) -> Result<Option<UpdateRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", update_columns!(), " WHERE u.id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, UpdateRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// The incident's latest updates, newest first.
pub async fn updates(conn: Conn<'_>, incident: IncidentId, limit: i64) -> Result<Vec<UpdateRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", update_columns!(), " WHERE u.incident_id = $1 ORDER BY u.id DESC LIMIT $2");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, UpdateRow>(SQL).bind(incident).bind(limit).fetch_all(&mut *c).await)?)
}

/// The linked tickets still being worked (not solved or closed) with ids after `after`, by id.
pub async fn active_linked_after(
    conn: Conn<'_>,
    incident: IncidentId,
    after: TicketId,
    limit: i64,
) -> Result<Vec<TicketId>, StoreError> {
    const SQL: &str = "SELECT it.ticket_id FROM incident_tickets it JOIN tickets t ON t.id = it.ticket_id \
         WHERE it.incident_id = $1 AND it.ticket_id > $2 AND t.status NOT IN ('solved', 'closed') \
         ORDER BY it.ticket_id LIMIT $3";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, TicketId>(SQL)
        .bind(incident).bind(after).bind(limit).fetch_all(&mut *c).await)?)
}

/// Records that `update` is being posted on `ticket`; `false` if it already was, so the caller
/// posts nothing. Inserted before the reply, in its transaction.
pub async fn claim_delivery(
    conn: Conn<'_>,
    update: IncidentUpdateId,
    ticket: TicketId,
    now: Millis,
) -> Result<bool, StoreError> {
    const SQL: &str = "INSERT INTO incident_deliveries (update_id, ticket_id, delivered_at) VALUES ($1, $2, $3) \
         ON CONFLICT (update_id, ticket_id) DO NOTHING";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(update).bind(ticket).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}
