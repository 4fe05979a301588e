//! Inbound email: every message a mailbox received, kept whole (raw bytes, sanitized HTML) with
//! what became of it. The unique (mailbox, dedup key) makes ingestion exactly-once, and the
//! stored Message-IDs are what replies thread on.

use tandem_domain::{InboundMessageId, InboundOutcome, MailboxId, MessageId, Millis, TicketId};

use crate::sql::{Arg, SqlBuf};
use crate::{Conn, StoreError, bind_args, on_conn};

/// A received message and its outcome, as it is written once.
#[derive(Clone, Debug)]
pub struct NewInbound<'a> {
    pub mailbox_id: MailboxId,
    pub dedup_key: &'a str,
    pub rfc_message_id: Option<&'a str>,
    pub outcome: InboundOutcome,
    pub reason: Option<&'a str>,
    pub sender: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub ticket_id: Option<TicketId>,
    pub message_id: Option<MessageId>,
    pub html: Option<&'a str>,
    pub raw: &'a [u8],
    pub oversized: bool,
}

/// Records a message; `None` when this mailbox already has it (a second delivery).
pub async fn insert(
    conn: Conn<'_>,
    inbound: &NewInbound<'_>,
    now: Millis,
) -> Result<Option<InboundMessageId>, StoreError> {
    const SQL: &str = "INSERT INTO inbound_messages (mailbox_id, dedup_key, rfc_message_id, outcome, reason, sender, \
         subject, ticket_id, message_id, html, raw, size, oversized, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         ON CONFLICT (mailbox_id, dedup_key) DO NOTHING RETURNING id";
    let size = i64::try_from(inbound.raw.len()).map_err(|error| StoreError::Other(error.into()))?;
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, InboundMessageId>(SQL)
        .bind(inbound.mailbox_id).bind(inbound.dedup_key).bind(inbound.rfc_message_id).bind(inbound.outcome)
        .bind(inbound.reason).bind(inbound.sender).bind(inbound.subject).bind(inbound.ticket_id)
        .bind(inbound.message_id).bind(inbound.html).bind(inbound.raw).bind(size).bind(inbound.oversized).bind(now)
        .fetch_optional(&mut *c).await)?)
}

/// What a mailbox already made of a message with this key, if it has it.
pub async fn seen(
    conn: Conn<'_>,
    mailbox: MailboxId,
    dedup_key: &str,
) -> Result<Option<(InboundOutcome, Option<TicketId>)>, StoreError> {
    const SQL: &str = "SELECT outcome, ticket_id FROM inbound_messages WHERE mailbox_id = $1 AND dedup_key = $2";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, (InboundOutcome, Option<TicketId>)>(SQL)
        .bind(mailbox).bind(dedup_key).fetch_optional(&mut *c).await)?)
}

/// The ticket the latest of these Message-IDs belongs to (a reply's In-Reply-To and References),
/// whether the desk received that message or sent it.
pub async fn ticket_of_message_ids(conn: Conn<'_>, ids: &[String]) -> Result<Option<TicketId>, StoreError> {
    if ids.is_empty() {
        return Ok(None);
    }
    // Both directions count: a reply answers what the customer sent in or what Tandem sent out.
    let mut sql = SqlBuf::new(
        "SELECT ticket_id FROM (SELECT ticket_id, received_at AS at FROM inbound_messages WHERE rfc_message_id IN ",
    );
    sql.bind_list(ids.iter().map(|id| Arg::Text(id.clone())));
    // A staff notification is not part of the conversation: an answer to it never threads.
    sql.push(
        " AND ticket_id IS NOT NULL UNION ALL SELECT ticket_id, created_at AS at FROM outbound_emails \
         WHERE kind <> 'notification' AND rfc_message_id IN ",
    );
    sql.bind_list(ids.iter().map(|id| Arg::Text(id.clone())));
    sql.push(" AND ticket_id IS NOT NULL) answered ORDER BY at DESC LIMIT 1");
    let (text, args) = sql.sql();
    Ok(on_conn!(conn, c => bind_args!(sqlx::query_scalar::<_, TicketId>(text), args).fetch_optional(&mut *c).await)?)
}

/// A received message without its bytes, for lists.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct InboundRow {
    pub id: InboundMessageId,
    pub mailbox_id: MailboxId,
    pub rfc_message_id: Option<String>,
    pub outcome: InboundOutcome,
    pub reason: Option<String>,
    pub sender: Option<String>,
    pub subject: Option<String>,
    pub ticket_id: Option<TicketId>,
    pub message_id: Option<MessageId>,
    pub size: i64,
    pub oversized: bool,
    pub received_at: Millis,
}

/// Newest first, optionally of one outcome, before the id `before`.
pub async fn list(
    conn: Conn<'_>,
    outcome: Option<InboundOutcome>,
    before: Option<InboundMessageId>,
    limit: u32,
) -> Result<Vec<InboundRow>, StoreError> {
    let mut sql = SqlBuf::new(
        "SELECT id, mailbox_id, rfc_message_id, outcome, reason, sender, subject, ticket_id, message_id, size, \
         oversized, received_at FROM inbound_messages WHERE 1 = 1",
    );
    if let Some(outcome) = outcome {
        sql.push(" AND outcome = ").bind(Arg::Text(outcome.as_str().to_owned()));
    }
    if let Some(before) = before {
        sql.push(" AND id < ").bind(Arg::Int(before.0));
    }
    sql.push(" ORDER BY id DESC LIMIT ").bind(Arg::Int(i64::from(limit)));
    let (text, args) = sql.sql();
    Ok(on_conn!(conn, c => bind_args!(sqlx::query_as::<_, InboundRow>(text), args).fetch_all(&mut *c).await)?)
}

/// The message exactly as it arrived.
pub async fn raw(conn: Conn<'_>, id: InboundMessageId) -> Result<Option<Vec<u8>>, StoreError> {
    const SQL: &str = "SELECT raw FROM inbound_messages WHERE id = $1";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, Vec<u8>>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Marks a person's address as failing (a delivery report said so); returns whether they exist.
pub async fn mark_undeliverable(conn: Conn<'_>, email: &str, reason: &str, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE people SET undeliverable_at = $2, undeliverable_reason = $3 WHERE email = $1";
    let updated = on_conn!(conn, c => sqlx::query(SQL).bind(email).bind(now).bind(reason)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(updated > 0)
}

/// When and why mail to a person's address last failed, if it did.
pub async fn undeliverable(conn: Conn<'_>, email: &str) -> Result<Option<(Millis, String)>, StoreError> {
    const SQL: &str = "SELECT undeliverable_at, undeliverable_reason FROM people WHERE email = $1 \
         AND undeliverable_at IS NOT NULL";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, (Millis, String)>(SQL).bind(email).fetch_optional(&mut *c).await)?)
}
