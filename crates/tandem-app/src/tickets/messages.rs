//! Adding to the conversation: a public reply or an internal note, with attachments, moving the
//! ticket's status as the rules say.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tandem_domain::ticket::{Side, after_message};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{
    AttachmentId, Channel, MessageId, MessageVisibility, Millis, Principal, TicketAccess, TicketId, TicketStatus,
};
use tandem_store::messages::{self, NewMessage as StoredMessage};
use tandem_store::tickets;

use super::events::record;
use super::update::status_error;
use super::views::{MessageExtras, MessageOut, TicketOut, message_out, ticket_out};
use super::{access, access_for_write};
use crate::chain::{StatusMove, status_moved};
use crate::idempotency::{self, IdempotencyKey};
use crate::mail::outbox;
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
        let side = access.side();
        let status = after_message(ticket.status, side, visibility, new.status).map_err(status_error)?;
        let stored = StoredMessage {
            ticket_id: id,
            author_id: Some(principal.person_id),
            visibility,
            channel: new.channel.unwrap_or(Channel::Api),
            body: new.body,
        };
        let message_id = messages::insert(tx.conn(), &stored, now).await?;
        super::attachments::claim(tx.conn(), &new.attachment_ids, principal.person_id, message_id).await?;
        if side == Side::Agent
            && visibility == MessageVisibility::Public
            && let Some(outbound) = self.outbound()
        {
            let author = principal.person_id;
            outbox::queue_reply(tx.conn(), outbound, &ticket, message_id, author, &stored.body, now).await?;
        }
        let mut state = ticket.state();
        state.status = status;
        if side == Side::Agent && visibility == MessageVisibility::Public && state.first_responded_at.is_none() {
            state.first_responded_at = Some(now);
        }
        state.solved_at = match status {
            TicketStatus::Solved if ticket.status != TicketStatus::Solved => Some(now),
            TicketStatus::Solved | TicketStatus::Closed => ticket.solved_at,
            _ => None,
        };
        tickets::update(tx.conn(), id, ticket.version, &state, now)
            .await?
            .ok_or_else(|| AppError::version_conflict("ticket"))?;
        let public_side = (visibility == MessageVisibility::Public).then_some(side);
        crate::standards::refresh(tx.conn(), id, public_side, now).await?;
        let moved = StatusMove {
            ticket: id,
            from: ticket.status,
            to: status,
            side,
            actor: Some(principal.person_id),
            open_links_reason: new.open_links_reason.as_deref(),
        };
        status_moved(tx.conn(), self.outbound().map(|outbound| outbound.as_ref()), moved, now).await?;
        let actor = Some(principal.person_id);
        record(
            tx.conn(),
            id,
            actor,
            "message_added",
            json!({ "message_id": message_id, "visibility": visibility }),
            now,
        )
        .await?;
        if status != ticket.status {
            record(tx.conn(), id, actor, "status_changed", json!({ "from": ticket.status, "to": status }), now).await?;
        }
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
