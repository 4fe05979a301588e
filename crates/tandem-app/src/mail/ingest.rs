//! Ingesting one raw message into a mailbox, exactly once. Every message ends as one inbound
//! record with its outcome, written in the same transaction as what it caused: a ticket or reply
//! (`created`, `threaded`), nothing (`duplicate`, `ignored` auto-replies, bounces and lists), or
//! `quarantined` with the reason when it cannot be handled. A poison message is quarantined and
//! the call succeeds, so a mailbox never stalls on it; only an unreachable database is an error
//! (nothing was stored, so the caller retries and the message is not acknowledged).

use serde::Serialize;
use sha2::{Digest, Sha256};
use tandem_domain::{InboundOutcome, MessageId, Millis, TicketId};
use tandem_mail::{Inbound, Kind};
use tandem_store::inbound::{self, NewInbound};
use tandem_store::mailboxes::{self, MailboxRow};
use tandem_store::{Tx, tickets};

use super::Outbound;
use crate::{App, AppError};

/// The conflict [`record`] answers when a concurrent delivery of the message won the race.
const ALREADY_INGESTED: &str = "already_ingested";

/// What became of a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ingested {
    pub outcome: InboundOutcome,
    pub ticket_id: Option<TicketId>,
    /// Why it was ignored or quarantined.
    pub reason: Option<String>,
    /// `true` when the mailbox had this message already (a second delivery): nothing was done.
    pub repeated: bool,
}

/// A parsed message on its way in, with the mailbox it came to.
pub(super) struct Received<'a> {
    pub mailbox: &'a MailboxRow,
    pub message: &'a Inbound,
    pub raw: &'a [u8],
    /// Every mailbox address of the desk (lower-case): never people, never senders of tickets.
    pub own_addresses: Vec<String>,
    /// How the desk sends email, when it does: a new ticket is acknowledged to its requester.
    pub outbound: Option<&'a Outbound>,
}

/// The outcome to record with a received message.
pub(super) struct Outcome {
    pub outcome: InboundOutcome,
    pub reason: Option<String>,
    pub ticket: Option<TicketId>,
    pub message: Option<MessageId>,
    pub oversized: bool,
}

impl Outcome {
    pub fn nothing(outcome: InboundOutcome, reason: impl Into<String>) -> Self {
        Outcome { outcome, reason: Some(reason.into()), ticket: None, message: None, oversized: false }
    }
}

impl App {
    /// Takes a raw message delivered to the mailbox named `mailbox`.
    pub async fn ingest_email(&self, mailbox: &str, raw: &[u8], now: Millis) -> Result<Ingested, AppError> {
        let mut reader = self.store().read().await?;
        let all = mailboxes::list(reader.conn()).await?;
        let mailbox = all.iter().find(|row| row.fields.name == mailbox).ok_or(AppError::NotFound("mailbox"))?;
        let message = match tandem_mail::parse(raw) {
            Ok(message) => message,
            Err(error) => return self.quarantine_unparsable(mailbox, raw, &error.to_string(), now).await,
        };
        if let Some((outcome, ticket_id)) = inbound::seen(reader.conn(), mailbox.id, &message.dedup_key).await? {
            return Ok(Ingested { outcome, ticket_id, reason: None, repeated: true });
        }
        drop(reader);
        let own_addresses = all.iter().map(|row| row.fields.address.clone()).collect();
        let received = Received {
            mailbox,
            message: &message,
            raw,
            own_addresses,
            outbound: self.outbound().map(|outbound| &**outbound),
        };
        let handled = match (&message.kind, &message.from) {
            (Kind::Conversation, Some(from)) if received.own_addresses.contains(&from.email) => {
                self.store_nothing(&received, Outcome::nothing(InboundOutcome::Ignored, "loop"), now).await
            }
            (Kind::Conversation, Some(from)) => self.store_conversation(&received, from, now).await,
            (Kind::Conversation, None) => {
                let reason = tandem_mail::ParseError::NoSender.to_string();
                self.store_nothing(&received, Outcome::nothing(InboundOutcome::Quarantined, reason), now).await
            }
            (Kind::Bounce { failed }, _) => self.store_bounce(&received, failed, now).await,
            (other, _) => {
                self.store_nothing(&received, Outcome::nothing(InboundOutcome::Ignored, other.as_str()), now).await
            }
        };
        match handled {
            Err(AppError::Unavailable) => Err(AppError::Unavailable),
            Err(AppError::Conflict { code: ALREADY_INGESTED, .. }) => self.repeated(mailbox, &message.dedup_key).await,
            Err(error) => {
                tracing::warn!(mailbox.id = %mailbox.id, error = %error, "inbound message quarantined: {error}");
                let reason = format!("could not be stored: {error}");
                self.store_nothing(&received, Outcome::nothing(InboundOutcome::Quarantined, reason), now).await
            }
            Ok(ingested) => Ok(ingested),
        }
    }

    async fn repeated(&self, mailbox: &MailboxRow, dedup_key: &str) -> Result<Ingested, AppError> {
        let mut reader = self.store().read().await?;
        let seen = inbound::seen(reader.conn(), mailbox.id, dedup_key).await?;
        let (outcome, ticket_id) = seen.ok_or(AppError::NotFound("inbound message"))?;
        Ok(Ingested { outcome, ticket_id, reason: None, repeated: true })
    }

    async fn store_nothing(
        &self,
        received: &Received<'_>,
        outcome: Outcome,
        now: Millis,
    ) -> Result<Ingested, AppError> {
        let tx = self.store().begin().await?;
        record(tx, received, outcome, now).await
    }

    /// A delivery report: the addresses that failed are marked undeliverable on their people.
    async fn store_bounce(
        &self,
        received: &Received<'_>,
        failed: &[String],
        now: Millis,
    ) -> Result<Ingested, AppError> {
        let mut tx = self.store().begin().await?;
        for address in failed {
            inbound::mark_undeliverable(tx.conn(), address, "a delivery report said mail to it failed", now).await?;
        }
        record(tx, received, Outcome::nothing(InboundOutcome::Ignored, "bounce"), now).await
    }

    async fn quarantine_unparsable(
        &self,
        mailbox: &MailboxRow,
        raw: &[u8],
        reason: &str,
        now: Millis,
    ) -> Result<Ingested, AppError> {
        let key =
            format!("sha256:{}", Sha256::digest(raw).iter().map(|byte| format!("{byte:02x}")).collect::<String>());
        let new = NewInbound {
            mailbox_id: mailbox.id,
            dedup_key: &key,
            rfc_message_id: None,
            outcome: InboundOutcome::Quarantined,
            reason: Some(reason),
            sender: None,
            subject: None,
            ticket_id: None,
            message_id: None,
            html: None,
            raw,
            oversized: false,
        };
        let mut tx = self.store().begin().await?;
        let repeated = inbound::insert(tx.conn(), &new, now).await?.is_none();
        tx.commit().await?;
        let reason = Some(reason.to_owned());
        Ok(Ingested { outcome: InboundOutcome::Quarantined, ticket_id: None, reason, repeated })
    }
}

/// Writes the inbound record and commits everything the transaction holds. When a concurrent
/// delivery of the same message recorded it first, everything is rolled back and its outcome
/// is answered instead.
pub(super) async fn record(
    mut tx: Tx,
    received: &Received<'_>,
    outcome: Outcome,
    now: Millis,
) -> Result<Ingested, AppError> {
    let message = received.message;
    let new = NewInbound {
        mailbox_id: received.mailbox.id,
        dedup_key: &message.dedup_key,
        rfc_message_id: message.message_id.as_deref(),
        outcome: outcome.outcome,
        reason: outcome.reason.as_deref(),
        sender: message.from.as_ref().map(|from| from.email.as_str()),
        subject: Some(&message.subject),
        ticket_id: outcome.ticket,
        message_id: outcome.message,
        html: message.html.as_deref(),
        raw: received.raw,
        oversized: outcome.oversized,
    };
    if inbound::insert(tx.conn(), &new, now).await?.is_none() {
        drop(tx);
        return Err(AppError::conflict(ALREADY_INGESTED, "a concurrent delivery recorded this message first"));
    }
    // After the inbound row, so the acknowledgement answers the message that opened the ticket.
    if outcome.outcome == InboundOutcome::Created
        && let (Some(outbound), Some(id)) = (received.outbound, outcome.ticket)
        && let Some(ticket) = tickets::get(tx.conn(), id).await?
    {
        super::outbox::queue_acknowledgement(tx.conn(), outbound, &ticket, now).await?;
    }
    tx.commit().await?;
    tracing::info!(
        mailbox.id = %received.mailbox.id,
        inbound.outcome = %outcome.outcome,
        ticket.id = ?outcome.ticket,
        "inbound message {}", outcome.outcome
    );
    Ok(Ingested { outcome: outcome.outcome, ticket_id: outcome.ticket, reason: outcome.reason, repeated: false })
}
