//! Merging a duplicate into the ticket that carries on: the conversation moves over, the
//! duplicate's people follow the survivor, and the duplicate is closed with a pointer to it.

use serde_json::json;
use tandem_domain::{Channel, MessageVisibility, Millis, Principal, TicketId, TicketStatus, tags};
use tandem_store::Tx;
use tandem_store::messages::{self, NewMessage};
use tandem_store::tickets::{self, TicketView};

use super::events::record;
use super::views::{TicketOut, ticket_out};
use super::{access_for_write, require_agent};
use crate::chain::{StatusMove, status_moved};
use crate::{App, AppError};
use tandem_domain::ticket::Side;

impl App {
    /// Merges ticket `id` into `into`; returns the surviving ticket.
    pub async fn merge_ticket(
        &self,
        principal: &Principal,
        id: TicketId,
        into: TicketId,
        now: Millis,
    ) -> Result<TicketOut, AppError> {
        if id == into {
            return Err(AppError::invalid("into", "a ticket cannot be merged into itself"));
        }
        let mut tx = self.store().begin().await?;
        // Lock in id order, so two opposite merges cannot deadlock on PostgreSQL.
        let (first, second) = if id < into { (id, into) } else { (into, id) };
        let first = access_for_write(tx.conn(), principal, first).await?;
        let second = access_for_write(tx.conn(), principal, second).await?;
        let ((source, source_access), (target, target_access)) =
            if first.0.id == id { (first, second) } else { (second, first) };
        require_agent(source_access, "merge it")?;
        require_agent(target_access, "merge into it")?;
        if source.merged_into_id.is_some() || target.merged_into_id.is_some() {
            return Err(AppError::conflict("already_merged", "one of these tickets was already merged"));
        }
        if target.status == TicketStatus::Closed {
            return Err(AppError::conflict("ticket_closed", "a closed ticket cannot absorb another"));
        }
        move_conversation(&mut tx, principal, &source, &target, now).await?;
        close_source(&mut tx, &source, target.id, now).await?;
        absorb_into_target(&mut tx, &source, &target, now).await?;
        let actor = Some(principal.person_id);
        record(tx.conn(), source.id, actor, "merged", json!({ "into": target.id }), now).await?;
        record(tx.conn(), target.id, actor, "merged_from", json!({ "from": source.id }), now).await?;
        let updated = tickets::get(tx.conn(), target.id).await?.ok_or(AppError::NotFound("ticket"))?;
        tx.commit().await?;
        Ok(ticket_out(target_access, updated))
    }
}

async fn move_conversation(
    tx: &mut Tx,
    principal: &Principal,
    source: &TicketView,
    target: &TicketView,
    now: Millis,
) -> Result<(), AppError> {
    messages::move_all(tx.conn(), source.id, target.id).await?;
    let note = |body: String, ticket_id| NewMessage {
        ticket_id,
        author_id: Some(principal.person_id),
        visibility: MessageVisibility::Internal,
        channel: Channel::Api,
        body,
    };
    let into_target =
        note(format!("Ticket #{} ({}) was merged into this ticket.", source.id, source.subject), target.id);
    messages::insert(tx.conn(), &into_target, now).await?;
    let into_source = note(format!("This ticket was merged into #{}.", target.id), source.id);
    messages::insert(tx.conn(), &into_source, now).await?;
    Ok(())
}

async fn close_source(tx: &mut Tx, source: &TicketView, target: TicketId, now: Millis) -> Result<(), AppError> {
    let mut state = source.state();
    state.status = TicketStatus::Closed;
    state.merged_into_id = Some(target);
    tickets::update(tx.conn(), source.id, source.version, &state, now)
        .await?
        .ok_or_else(|| AppError::version_conflict("ticket"))?;
    let reason = format!("merged into #{}", target.0);
    let moved = StatusMove {
        ticket: source.id,
        from: source.status,
        to: TicketStatus::Closed,
        side: Side::Agent,
        actor: None,
        open_links_reason: Some(&reason),
    };
    status_moved(tx.conn(), None, moved, now).await
}

/// The survivor gains the duplicate's tags, and its requester, recipient and followers follow it.
async fn absorb_into_target(
    tx: &mut Tx,
    source: &TicketView,
    target: &TicketView,
    now: Millis,
) -> Result<(), AppError> {
    let mut people = vec![source.requester_id];
    people.extend(source.recipient_id);
    people.extend(tickets::followers(tx.conn(), source.id).await?.into_iter().map(|follower| follower.person_id));
    for person in people {
        if person != target.requester_id && Some(person) != target.recipient_id {
            tickets::add_follower(tx.conn(), target.id, person).await?;
        }
    }
    let mut state = target.state();
    state.tags = tags::union(&state.tags, &source.tags.0);
    state.tags.truncate(tags::MAX_TAGS);
    tickets::update(tx.conn(), target.id, target.version, &state, now)
        .await?
        .ok_or_else(|| AppError::version_conflict("ticket"))?;
    tickets::replace_tags(tx.conn(), target.id, &state.tags).await?;
    Ok(())
}
