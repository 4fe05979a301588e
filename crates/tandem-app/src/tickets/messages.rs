//! Adding to the conversation: a public reply or an internal note, with attachments, moving the
//! ticket's status as the rules say.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tandem_domain::ticket::{Side, after_message};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{
    AttachmentId, Channel, MessageId, MessageVisibility, Millis, PersonId, Principal, TicketAccess, TicketId,
    TicketStatus,
};
use tandem_store::Conn;
use tandem_store::messages::{self, NewMessage as StoredMessage};
use tandem_store::tickets::{self, TicketView};

use super::events::record;
use super::update::status_error;
use super::views::{MessageExtras, MessageOut, TicketOut, message_out, ticket_out};
use super::{access, access_for_write};
use crate::chain::{StatusMove, status_moved};
use crate::idempotency::{self, IdempotencyKey};
use crate::mail::{Outbound, outbox};
use crate::{App, AppError};

#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    pub body: String,
    /// `public` (the default) reaches the requester; `internal` is a note for agents only.
    pub visibility: Option<MessageVisibility>,
    /// Agents: the status to leave the ticket in ("reply and set pending"); requesters: `solved`.
    pub status: Option<TicketStatus>,
    #[serde(default)]
    pub attachment_ids: Vec<AttachmentId>,
    pub channel: Option<Channel>,
    /// Agents solving the ticket while its linked internal requests are still open: why.
    pub open_links_reason: Option<String>,
}

/// The message as stored, and the ticket as it now stands.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MessagePosted {
    pub message: MessageOut,
    pub ticket: TicketOut,
}

const RESOURCE: &str = "message";

impl App {
    pub async fn post_message(
        &self,
        principal: &Principal,
        id: TicketId,
        new: NewMessage,
        key: Option<IdempotencyKey>,
        now: Millis,
    ) -> Result<MessagePosted, AppError> {
        let replayed = idempotency::replay(self.store(), principal.person_id, key.as_ref(), RESOURCE).await?;
        if let Some(message) = replayed {
            return self.posted(principal, id, MessageId(message)).await;
        }
        let mut errors = FieldErrors::new();
        validate::bounded_text(&mut errors, "body", &new.body, self.limits().max_body_chars, true);
        errors.into_result()?;
        let visibility = new.visibility.unwrap_or(MessageVisibility::Public);
        let mut tx = self.store().begin().await?;
        let (ticket, access) = access_for_write(tx.conn(), principal, id).await?;
        if access == TicketAccess::Customer && visibility == MessageVisibility::Internal {
            return Err(AppError::forbidden("only agents may write internal notes"));
        }
        let posting = Posting {
            author: principal.person_id,
            side: access.side(),
            visibility,
            channel: new.channel.unwrap_or(Channel::Api),
            body: new.body,
            status: new.status,
            open_links_reason: new.open_links_reason,
        };
        let message_id = write(
            tx.conn(),
            self.outbound().map(|outbound| outbound.as_ref()),
            &ticket,
            posting,
            &new.attachment_ids,
            now,
        )
        .await?;
        match idempotency::record(&mut tx, principal.person_id, key.as_ref(), RESOURCE, message_id.0, now).await {
            Ok(()) => tx.commit().await?,
            Err(AppError::Conflict { code: "idempotency_race", .. }) => {
                // A concurrent retry with the same key committed first: answer with its message.
                drop(tx);
                let winner = idempotency::winner(self.store(), principal.person_id, key.as_ref(), RESOURCE).await?;
                return self.posted(principal, id, MessageId(winner)).await;
            }
            Err(error) => return Err(error),
        }
        self.posted(principal, id, message_id).await
    }

    async fn posted(&self, principal: &Principal, id: TicketId, message: MessageId) -> Result<MessagePosted, AppError> {
        let mut reader = self.store().read().await?;
        let (ticket, access) = access(reader.conn(), principal, id).await?;
        let row = messages::get(reader.conn(), message).await?.filter(|row| row.ticket_id == id);
        let row = row.ok_or(AppError::NotFound("message"))?;
        let extras = MessageExtras::load(reader.conn(), access, &[message], &[message]).await?;
        Ok(MessagePosted { message: message_out(access, row, &extras), ticket: ticket_out(access, ticket) })
    }
}

/// A message for [`write`]: who writes it, from which side, and the status asked for with it.
pub(crate) struct Posting {
    pub author: PersonId,
    pub side: Side,
    pub visibility: MessageVisibility,
    pub channel: Channel,
    pub body: String,
    pub status: Option<TicketStatus>,
    /// Why an agent solves a ticket whose linked internal requests are still open.
    pub open_links_reason: Option<String>,
}

/// Writes a message on a ticket locked and loaded in the caller's transaction: the message, its
/// attachments, the email of an agent's public reply, the ticket's new state (version checked),
/// its clocks and the trail. Every way of replying goes through here, so each gets all of it.
pub(crate) async fn write(
    mut conn: Conn<'_>,
    outbound: Option<&Outbound>,
    ticket: &TicketView,
    posting: Posting,
    attachment_ids: &[AttachmentId],
    now: Millis,
) -> Result<MessageId, AppError> {
    let Posting { author, side, visibility, channel, body, status, open_links_reason } = posting;
    let id = ticket.id;
    let status = after_message(ticket.status, side, visibility, status).map_err(status_error)?;
    let stored = StoredMessage { ticket_id: id, author_id: Some(author), visibility, channel, body };
    let message_id = messages::insert(conn.reborrow(), &stored, now).await?;
    super::attachments::claim(conn.reborrow(), attachment_ids, author, message_id).await?;
    let public_reply = side == Side::Agent && visibility == MessageVisibility::Public;
    if public_reply && let Some(outbound) = outbound {
        outbox::queue_reply(conn.reborrow(), outbound, ticket, message_id, author, &stored.body, now).await?;
    }
    let mut state = ticket.state();
    state.status = status;
    if public_reply && state.first_responded_at.is_none() {
        state.first_responded_at = Some(now);
    }
    state.solved_at = match status {
        TicketStatus::Solved if ticket.status != TicketStatus::Solved => Some(now),
        TicketStatus::Solved | TicketStatus::Closed => ticket.solved_at,
        _ => None,
    };
    tickets::update(conn.reborrow(), id, ticket.version, &state, now)
        .await?
        .ok_or_else(|| AppError::version_conflict("ticket"))?;
    let public_side = (visibility == MessageVisibility::Public).then_some(side);
    crate::standards::refresh(conn.reborrow(), id, public_side, now).await?;
    let actor = Some(author);
    let moved = StatusMove {
        ticket: id,
        from: ticket.status,
        to: status,
        side,
        actor,
        open_links_reason: open_links_reason.as_deref(),
    };
    status_moved(conn.reborrow(), outbound, moved, now).await?;
    let added = json!({ "message_id": message_id, "visibility": visibility });
    record(conn.reborrow(), id, actor, "message_added", added, now).await?;
    if status != ticket.status {
        record(conn, id, actor, "status_changed", json!({ "from": ticket.status, "to": status }), now).await?;
    }
    Ok(message_id)
}
