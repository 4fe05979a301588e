//! What the mailboxes received, for admins: every message with its outcome, the quarantined ones
//! (with their reason) first among what needs a human.

use serde::{Deserialize, Serialize};
use tandem_domain::{InboundMessageId, InboundOutcome, MailboxId, MessageId, Principal, TicketId};
use tandem_store::inbound::{self, InboundRow};

use crate::directory::{require_admin, require_staff};
use crate::page::{decode_cursor, encode_cursor};
use crate::{App, AppError, Instant, Page, PageRequest, instant};

/// Which received messages to list.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ReceivedFilter {
    /// Only messages with this outcome (`quarantined` lists what waits for an admin).
    pub outcome: Option<InboundOutcome>,
}

/// A received message (its bytes stay in the database; `message_id` is the email's Message-ID).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct InboundView {
    pub id: InboundMessageId,
    pub mailbox_id: MailboxId,
    pub message_id: Option<String>,
    pub outcome: InboundOutcome,
    /// Why it was ignored (`auto_reply`, `bounce`, `mailing_list`, …) or quarantined.
    pub reason: Option<String>,
    pub sender: Option<String>,
    pub subject: Option<String>,
    pub ticket_id: Option<TicketId>,
    /// The conversation message it became, if any.
    pub ticket_message_id: Option<MessageId>,
    pub size_bytes: i64,
    /// Larger than the desk's limits: the body was cut or attachments were left in the original.
    pub oversized: bool,
    pub received_at: Instant,
}

impl From<InboundRow> for InboundView {
    fn from(row: InboundRow) -> Self {
        InboundView {
            id: row.id,
            mailbox_id: row.mailbox_id,
            message_id: row.rfc_message_id,
            outcome: row.outcome,
            reason: row.reason,
            sender: row.sender,
            subject: row.subject,
            ticket_id: row.ticket_id,
            ticket_message_id: row.message_id,
            size_bytes: row.size,
            oversized: row.oversized,
            received_at: instant(row.received_at),
        }
    }
}

impl App {
    /// Newest first. Only admins: senders and subjects of every mailbox are in here.
    pub async fn list_inbound(
        &self,
        principal: &Principal,
        filter: ReceivedFilter,
        page: PageRequest,
    ) -> Result<Page<InboundView>, AppError> {
        require_staff(principal, "inbound messages")?;
        require_admin(principal)?;
        let size = page.size(self.limits().max_page_size);
        let before = page.cursor.as_deref().map(decode_cursor::<i64>).transpose()?.map(InboundMessageId);
        let mut reader = self.store().read().await?;
        let rows = inbound::list(reader.conn(), filter.outcome, before, size + 1).await?;
        Ok(Page::from_rows(rows, size, |row| encode_cursor(&row.id.0), InboundView::from))
    }

    /// A received message exactly as it arrived (the full original behind a trimmed reply).
    pub async fn inbound_raw(&self, principal: &Principal, id: InboundMessageId) -> Result<Vec<u8>, AppError> {
        require_staff(principal, "inbound message")?;
        require_admin(principal)?;
        let mut reader = self.store().read().await?;
        inbound::raw(reader.conn(), id).await?.ok_or(AppError::NotFound("inbound message"))
    }
}
