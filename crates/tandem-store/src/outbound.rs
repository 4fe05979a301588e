//! Outbound email: the outbox. Each row is one rendered message (raw bytes) written in the
//! transaction of the change that causes it, then sent by a job; the row says how that went.

use tandem_domain::{EmailKind, EmailStatus, MessageId, Millis, OutboundEmailId, PersonId, TicketId};

use crate::sql::{Arg, SqlBuf};
use crate::{Conn, StoreError, bind_args, on_conn};

/// An email to send, as it is written once.
#[derive(Clone, Debug)]
pub struct NewOutbound<'a> {
    pub kind: EmailKind,
    pub ticket_id: Option<TicketId>,
    pub message_id: Option<MessageId>,
    pub recipient_id: Option<PersonId>,
    pub envelope_from: &'a str,
    /// The envelope recipients, comma-separated.
    pub envelope_to: &'a str,
    /// Without angle brackets, as inbound Message-IDs are stored.
    pub rfc_message_id: &'a str,
    pub subject: &'a str,
    pub raw: &'a [u8],
    /// `Failed` when it is known up front that it cannot go (an undeliverable address).
    pub status: EmailStatus,
    pub last_error: Option<&'a str>,
}

/// One email of the outbox, with its bytes.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct OutboundRow {
    pub id: OutboundEmailId,
    pub kind: EmailKind,
    pub ticket_id: Option<TicketId>,
    pub message_id: Option<MessageId>,
    pub recipient_id: Option<PersonId>,
    pub envelope_from: String,
    pub envelope_to: String,
    pub rfc_message_id: String,
    pub subject: String,
    pub raw: Vec<u8>,
    pub status: EmailStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: Millis,
    pub finished_at: Option<Millis>,
}

/// How the email of a conversation message went, for showing beside it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct DeliveryRow {
    pub message_id: MessageId,
    pub envelope_to: String,
    pub status: EmailStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub finished_at: Option<Millis>,
}

pub async fn insert(conn: Conn<'_>, email: &NewOutbound<'_>, now: Millis) -> Result<OutboundEmailId, StoreError> {
    const SQL: &str = "INSERT INTO outbound_emails (kind, ticket_id, message_id, recipient_id, envelope_from, \
         envelope_to, rfc_message_id, subject, raw, status, attempts, last_error, created_at, finished_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, $13) RETURNING id";
    let finished = (email.status != EmailStatus::Queued).then_some(now);
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, OutboundEmailId>(SQL)
        .bind(email.kind).bind(email.ticket_id).bind(email.message_id).bind(email.recipient_id)
        .bind(email.envelope_from).bind(email.envelope_to).bind(email.rfc_message_id).bind(email.subject)
        .bind(email.raw).bind(email.status).bind(email.last_error).bind(now).bind(finished)
        .fetch_one(&mut *c).await)?)
}

pub async fn get(conn: Conn<'_>, id: OutboundEmailId) -> Result<Option<OutboundRow>, StoreError> {
    const SQL: &str = "SELECT id, kind, ticket_id, message_id, recipient_id, envelope_from, envelope_to, \
         rfc_message_id, subject, raw, status, attempts, last_error, created_at, finished_at \
         FROM outbound_emails WHERE id = $1";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, OutboundRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Records the end of a queued email: sent, or failed with the reason. Only a queued email
/// changes, so a send that is somehow run again never rewrites the outcome.
pub async fn finish(
    conn: Conn<'_>,
    id: OutboundEmailId,
    status: EmailStatus,
    attempts: i64,
    error: Option<&str>,
    now: Millis,
) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE outbound_emails SET status = $2, attempts = $3, last_error = $4, finished_at = $5 \
         WHERE id = $1 AND status = 'queued'";
    let done = on_conn!(conn, c => sqlx::query(SQL).bind(id).bind(status).bind(attempts).bind(error).bind(now)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Records a failed attempt on a queued email, which stays queued for the next one.
pub async fn note_attempt(conn: Conn<'_>, id: OutboundEmailId, attempts: i64, error: &str) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE outbound_emails SET attempts = $2, last_error = $3 WHERE id = $1 AND status = 'queued'";
    on_conn!(conn, c => sqlx::query(SQL).bind(id).bind(attempts).bind(error).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// How the emails of these conversation messages went.
pub async fn for_messages(conn: Conn<'_>, messages: &[MessageId]) -> Result<Vec<DeliveryRow>, StoreError> {
    if messages.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = SqlBuf::new(
        "SELECT message_id, envelope_to, status, attempts, last_error, finished_at FROM outbound_emails \
         WHERE message_id IN ",
    );
    sql.bind_list(messages.iter().map(|id| Arg::Int(id.0)));
    sql.push(" ORDER BY id");
    let (text, args) = sql.sql();
    Ok(on_conn!(conn, c => bind_args!(sqlx::query_as::<_, DeliveryRow>(text), args).fetch_all(&mut *c).await)?)
}

/// One message of a ticket's email conversation.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ThreadMessage {
    pub rfc_message_id: String,
    /// Received by the desk (rather than sent by it).
    pub inbound: bool,
}

/// A ticket's email conversation, oldest first: what customers sent in and what Tandem sent them
/// (staff notifications are not part of it).
/// A new email's In-Reply-To and References come from these.
pub async fn thread(conn: Conn<'_>, ticket: TicketId) -> Result<Vec<ThreadMessage>, StoreError> {
    const SQL: &str = "SELECT rfc_message_id, inbound FROM ( \
         SELECT rfc_message_id, received_at AS at, id, TRUE AS inbound FROM inbound_messages \
           WHERE ticket_id = $1 AND rfc_message_id IS NOT NULL AND outcome IN ('created', 'threaded') \
         UNION ALL \
         SELECT rfc_message_id, created_at AS at, id, FALSE AS inbound FROM outbound_emails \
           WHERE ticket_id = $1 AND kind <> 'notification' \
         ) thread ORDER BY at, inbound DESC, id";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, ThreadMessage>(SQL).bind(ticket).fetch_all(&mut *c).await)?)
}
