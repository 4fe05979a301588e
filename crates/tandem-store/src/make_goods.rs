//! Make-goods: what a customer is offered after a bad experience, the state it is in, and what a
//! ticket's bad experience was (its rating, breached targets, incident) when one is suggested.
//! A move is a conditional update on the state it leaves, so two racing moves cannot both win.

use tandem_domain::{MakeGoodId, MakeGoodKind, MakeGoodState, Millis, PersonId, TeamId, TicketId};

use crate::json::{JsonText, to_text};
use crate::{Conn, StoreError, on_conn};

macro_rules! columns {
    () => {
        "m.id, m.ticket_id, t.subject AS ticket_subject, m.team_id, tm.name AS team_name, m.customer_id, \
         c.name AS customer_name, m.kind, m.amount_minor, m.currency, m.message, m.note, m.reasons, m.state, \
         m.period, m.offered_by, o.name AS offered_by_name, m.approved_by, a.name AS approved_by_name, \
         m.offered_at, m.customer_comment, m.version, m.created_at, m.updated_at \
         FROM make_goods m JOIN tickets t ON t.id = m.ticket_id JOIN teams tm ON tm.id = m.team_id \
         JOIN people c ON c.id = m.customer_id JOIN people o ON o.id = m.offered_by \
         LEFT JOIN people a ON a.id = m.approved_by"
    };
}

/// A make-good with the names a screen shows beside its ids.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct MakeGoodRow {
    pub id: MakeGoodId,
    pub ticket_id: TicketId,
    pub ticket_subject: String,
    pub team_id: TeamId,
    pub team_name: String,
    pub customer_id: PersonId,
    pub customer_name: String,
    pub kind: MakeGoodKind,
    pub amount_minor: i64,
    pub currency: String,
    pub message: String,
    pub note: Option<String>,
    #[sqlx(try_from = "String")]
    pub reasons: JsonText<Vec<String>>,
    pub state: MakeGoodState,
    pub period: String,
    pub offered_by: PersonId,
    pub offered_by_name: String,
    pub approved_by: Option<PersonId>,
    pub approved_by_name: Option<String>,
    pub offered_at: Option<Millis>,
    pub customer_comment: Option<String>,
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// A make-good as an agent offers it.
#[derive(Clone, Debug)]
pub struct NewMakeGood<'a> {
    pub ticket_id: TicketId,
    pub team_id: TeamId,
    pub customer_id: PersonId,
    pub kind: MakeGoodKind,
    pub amount_minor: i64,
    pub currency: &'a str,
    pub message: &'a str,
    pub note: Option<&'a str>,
    pub reasons: Vec<String>,
    pub state: MakeGoodState,
    pub period: &'a str,
    pub offered_by: PersonId,
    /// Set when the offer needs no approval (or its offerer is a lead): it is offered at once.
    pub approved_by: Option<PersonId>,
}

pub async fn insert(conn: Conn<'_>, new: &NewMakeGood<'_>, now: Millis) -> Result<MakeGoodId, StoreError> {
    const SQL: &str = "INSERT INTO make_goods (ticket_id, team_id, customer_id, kind, amount_minor, currency, message, \
         note, reasons, state, period, offered_by, approved_by, offered_at, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $15) RETURNING id";
    let reasons = to_text(&new.reasons)?;
    let offered_at = (new.state == MakeGoodState::Offered).then_some(now);
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, MakeGoodId>(SQL)
        .bind(new.ticket_id).bind(new.team_id).bind(new.customer_id).bind(new.kind).bind(new.amount_minor)
        .bind(new.currency).bind(new.message).bind(new.note).bind(&reasons).bind(new.state).bind(new.period)
        .bind(new.offered_by).bind(new.approved_by).bind(offered_at).bind(now)
        .fetch_one(&mut *c).await)?)
}

pub async fn get(conn: Conn<'_>, id: MakeGoodId) -> Result<Option<MakeGoodRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " WHERE m.id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, MakeGoodRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// A move from one state to the next.
#[derive(Clone, Copy, Debug)]
pub struct Move<'a> {
    pub from: MakeGoodState,
    pub to: MakeGoodState,
    /// The lead who approved it (an approval).
    pub approved_by: Option<PersonId>,
    /// The customer's words (a decline).
    pub customer_comment: Option<&'a str>,
}

/// Moves the make-good if it is still in `from`; `false` if another move came first.
pub async fn apply(conn: Conn<'_>, id: MakeGoodId, step: Move<'_>, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE make_goods SET state = $3, approved_by = COALESCE($4, approved_by), \
         offered_at = CASE WHEN $3 = 'offered' THEN $6 ELSE offered_at END, \
         customer_comment = COALESCE($5, customer_comment), version = version + 1, updated_at = $6 \
         WHERE id = $1 AND state = $2";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(id).bind(step.from).bind(step.to).bind(step.approved_by).bind(step.customer_comment).bind(now)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// A ticket's make-goods, newest first (a ticket has a handful at most; bounded all the same).
pub async fn of_ticket(conn: Conn<'_>, ticket: TicketId, limit: i64) -> Result<Vec<MakeGoodRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " WHERE m.ticket_id = $1 ORDER BY m.id DESC LIMIT $2");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, MakeGoodRow>(SQL).bind(ticket).bind(limit).fetch_all(&mut *c).await)?)
}

/// Whether the ticket has a make-good still in play (pending, offered or accepted).
pub async fn open_on_ticket(conn: Conn<'_>, ticket: TicketId) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM make_goods WHERE ticket_id = $1 \
         AND state IN ('pending_approval', 'offered', 'accepted')";
    let count = on_conn!(conn, c => sqlx::query_scalar::<_, i64>(SQL).bind(ticket).fetch_one(&mut *c).await)?;
    Ok(count > 0)
}

/// Who a list is for: a customer's own make-goods, a staff member's teams', or all (admins).
#[derive(Clone, Copy, Debug)]
pub enum Scope {
    Customer(PersonId),
    TeamsOf(PersonId),
    All,
}

/// Make-goods in `scope` (and `state`, when given), newest first, with ids below `before`.
/// A customer's list holds only what was offered to them.
pub async fn list(
    conn: Conn<'_>,
    scope: Scope,
    state: Option<MakeGoodState>,
    before: MakeGoodId,
    limit: i64,
) -> Result<Vec<MakeGoodRow>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        columns!(),
        " WHERE m.id < $1 AND ($2 IS NULL OR m.state = $2) AND CASE $3 \
         WHEN 'customer' THEN m.customer_id = $4 AND m.offered_at IS NOT NULL \
         WHEN 'teams' THEN m.team_id IN (SELECT team_id FROM team_members WHERE person_id = $4) \
         ELSE TRUE END ORDER BY m.id DESC LIMIT $5"
    );
    let (which, person) = match scope {
        Scope::Customer(person) => ("customer", person),
        Scope::TeamsOf(person) => ("teams", person),
        Scope::All => ("all", PersonId(0)),
    };
    Ok(on_conn!(conn, c => sqlx::query_as::<_, MakeGoodRow>(SQL)
        .bind(before).bind(state).bind(which).bind(person).bind(limit).fetch_all(&mut *c).await)?)
}

/// What went wrong on a ticket: its rating, how many targets breached, whether an incident holds it.
pub async fn facts(conn: Conn<'_>, ticket: TicketId) -> Result<(Option<i64>, i64, i64), StoreError> {
    const SQL: &str = "SELECT (SELECT rating FROM satisfaction_ratings WHERE ticket_id = $1), \
         (SELECT COUNT(*) FROM ticket_targets WHERE ticket_id = $1 AND state = 'breached'), \
         (SELECT COUNT(*) FROM incident_tickets WHERE ticket_id = $1)";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, (Option<i64>, i64, i64)>(SQL).bind(ticket).fetch_one(&mut *c).await)?)
}
