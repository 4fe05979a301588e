//! The service chain: an agent asks another team for what a ticket needs (an internal request
//! linked to the ticket it serves), or links an existing internal request; the ticket can wait on
//! its links (`pending_internal`) and resumes by itself when the last one is solved (`hook.rs`);
//! the chain page shows every link with its team, status, standard and the time it kept its
//! parent waiting (`view.rs`). Customers never see a link: the chain is the desk's business.

mod hook;
mod view;

pub(crate) use hook::{StatusMove, status_moved};
pub use view::{ChainLink, ChainOut};

use serde::Deserialize;
use serde_json::{Map, Value, json};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{
    Channel, Millis, PersonId, Principal, ServiceId, TicketAccess, TicketAudience, TicketId, TicketStatus,
};
use tandem_store::links::{self, NewLink};
use tandem_store::tickets::TicketView;
use tandem_store::{Conn, Tx, events, tickets};

use crate::tickets::{NewTicket, TicketDetail, access, access_for_write, require_agent};
use crate::{App, AppError};

/// A request to another team for what a ticket needs: one of that team's internal services and
/// its form, like any employee's request, asked by the agent on the ticket's behalf.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HelpRequest {
    /// The internal service, by slug…
    pub service: Option<String>,
    /// …or by id.
    pub service_id: Option<ServiceId>,
    pub subject: String,
    pub body: String,
    #[serde(default)]
    pub fields: Map<String, Value>,
    /// Set the ticket to wait on its links (`pending_internal`) at once.
    #[serde(default)]
    pub wait: bool,
}

/// Links an existing internal request to the ticket it serves.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkInput {
    /// The internal request that serves this ticket.
    pub ticket_id: TicketId,
    #[serde(default)]
    pub wait: bool,
}

/// The asking side's rating of a hand-off: how well the request served the ticket.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffRating {
    /// 1 (poor) to 5 (excellent).
    pub rating: i64,
    pub comment: Option<String>,
}

impl App {
    /// Opens an internal request serving ticket `id` and links it; returns the request as the
    /// asking agent sees it (they are its requester).
    pub async fn request_help(
        &self,
        principal: &Principal,
        id: TicketId,
        input: HelpRequest,
        now: Millis,
    ) -> Result<TicketDetail, AppError> {
        let new = NewTicket {
            subject: input.subject,
            body: input.body,
            service: input.service,
            service_id: input.service_id,
            fields: input.fields,
            channel: Some(Channel::Web),
            attachment_ids: Vec::new(),
            requester: None,
            recipient: None,
            team_id: None,
            priority: None,
            assignee_id: None,
            tags: Vec::new(),
            follower_ids: Vec::new(),
        };
        if new.service.is_none() && new.service_id.is_none() {
            return Err(AppError::invalid("service", "name the internal service of the team to ask"));
        }
        let mut reader = self.store().read().await?;
        // Who may ask is settled before what they ask is checked.
        let (_, parent_access) = access(reader.conn(), principal, id).await?;
        require_agent(parent_access, "ask another team for it")?;
        let (subject, tags) = self.check_new(principal, &new)?;
        let plan = crate::tickets::plan::plan(reader.conn(), principal, &new, &subject, tags).await?;
        drop(reader);
        if plan.audience != TicketAudience::Internal {
            return Err(AppError::invalid("service", "only staff can ask another team through the chain"));
        }
        let mut tx = self.store().begin().await?;
        let (parent, parent_access) = access_for_write(tx.conn(), principal, id).await?;
        require_agent(parent_access, "ask another team for it")?;
        check_parent(&parent)?;
        let first = crate::tickets::create::insert_ticket(&mut tx, principal, &new, subject, plan, now).await?;
        self.link(&mut tx, principal, &parent, first.ticket_id, input.wait, now).await?;
        tx.commit().await?;
        self.get_ticket(principal, first.ticket_id).await
    }

    /// Links the existing internal request `input.ticket_id` to ticket `id`; returns the chain.
    pub async fn link_ticket(
        &self,
        principal: &Principal,
        id: TicketId,
        input: LinkInput,
        now: Millis,
    ) -> Result<ChainOut, AppError> {
        let child_id = input.ticket_id;
        if child_id == id {
            return Err(AppError::invalid("ticket_id", "a ticket cannot serve itself"));
        }
        let mut tx = self.store().begin().await?;
        let (parent, parent_access) = access_for_write(tx.conn(), principal, id).await?;
        require_agent(parent_access, "link requests to it")?;
        check_parent(&parent)?;
        // A ticket the agent may not see is refused like one that does not exist.
        let child = match access(tx.conn(), principal, child_id).await {
            Ok((child, _)) => child,
            Err(AppError::NotFound(_)) => {
                return Err(AppError::invalid("ticket_id", format!("no ticket #{} that you can see", child_id.0)));
            }
            Err(error) => return Err(error),
        };
        if child.audience != TicketAudience::Internal {
            return Err(AppError::invalid("ticket_id", "only an internal request can serve another ticket"));
        }
        if !child.status.is_active() {
            return Err(AppError::invalid("ticket_id", format!("#{} is already {}", child_id.0, child.status)));
        }
        if links::ancestors(tx.conn(), id).await?.contains(&child_id) {
            return Err(AppError::conflict(
                "link_cycle",
                format!("#{} already serves #{} through the chain: linking would make a loop", id.0, child_id.0),
            ));
        }
        self.link(&mut tx, principal, &parent, child_id, input.wait, now).await?;
        tx.commit().await?;
        self.ticket_chain(principal, id, now).await
    }

    /// Removes the link of request `child_id` from ticket `id` (the request itself stays).
    pub async fn unlink_ticket(
        &self,
        principal: &Principal,
        id: TicketId,
        child_id: TicketId,
        now: Millis,
    ) -> Result<(), AppError> {
        let mut tx = self.store().begin().await?;
        let (parent, parent_access) = access_for_write(tx.conn(), principal, id).await?;
        require_agent(parent_access, "unlink its requests")?;
        match links::serving(tx.conn(), child_id).await? {
            Some(link) if link.parent_id == id => {}
            _ => return Err(AppError::NotFound("link")),
        }
        links::delete(tx.conn(), child_id).await?;
        let actor = Some(principal.person_id);
        events::append(tx.conn(), id, actor, "request_unlinked", &json!({ "request_id": child_id }), now).await?;
        events::append(tx.conn(), child_id, actor, "unlinked", &json!({ "served_id": id }), now).await?;
        if parent.status == TicketStatus::PendingInternal && links::open_children(tx.conn(), id).await?.is_empty() {
            // Nothing left to wait on: waiting would last forever.
            set_status(tx.conn(), principal.person_id, &parent, TicketStatus::Open, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Rates the hand-off of request `child_id`: by an agent of the ticket it serves, or by
    /// whoever linked it. Rating again replaces the rating.
    pub async fn rate_handoff(
        &self,
        principal: &Principal,
        child_id: TicketId,
        input: HandoffRating,
        now: Millis,
    ) -> Result<(), AppError> {
        let mut errors = FieldErrors::new();
        if !(1..=5).contains(&input.rating) {
            errors.add("rating", "must be between 1 and 5");
        }
        if let Some(comment) = &input.comment {
            validate::bounded_text(&mut errors, "comment", comment, 2_000, false);
        }
        errors.into_result()?;
        let mut tx = self.store().begin().await?;
        let (child, _) = access(tx.conn(), principal, child_id).await?;
        let link = links::serving(tx.conn(), child_id).await?.ok_or(AppError::NotFound("link"))?;
        let asked = link.created_by == Some(principal.person_id);
        let serves_theirs = matches!(access(tx.conn(), principal, link.parent_id).await, Ok((_, TicketAccess::Agent)));
        if !asked && !serves_theirs {
            return Err(AppError::forbidden("only the side that asked for this request may rate its hand-off"));
        }
        let comment = input.comment.as_deref().map(str::trim).filter(|comment| !comment.is_empty());
        links::rate(tx.conn(), child.id, input.rating, comment, principal.person_id, now).await?;
        let data = json!({ "rating": input.rating, "comment": comment, "served_id": link.parent_id });
        events::append(tx.conn(), child.id, Some(principal.person_id), "handoff_rated", &data, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes the link of `child` to `parent` with both trails, and the parent's waiting.
    async fn link(
        &self,
        tx: &mut Tx,
        principal: &Principal,
        parent: &TicketView,
        child: TicketId,
        wait: bool,
        now: Millis,
    ) -> Result<(), AppError> {
        let served_left_ms = crate::standards::resolution_left(tx.conn(), parent.id, now).await?;
        let waiting = wait || parent.status == TicketStatus::PendingInternal;
        let link =
            NewLink { child_id: child, parent_id: parent.id, created_by: principal.person_id, served_left_ms, waiting };
        if !links::insert(tx.conn(), link, now).await? {
            return Err(AppError::conflict(
                "already_linked",
                format!("#{} already serves another ticket; unlink it there first", child.0),
            ));
        }
        let actor = Some(principal.person_id);
        events::append(tx.conn(), parent.id, actor, "request_linked", &json!({ "request_id": child }), now).await?;
        events::append(tx.conn(), child, actor, "linked", &json!({ "served_id": parent.id }), now).await?;
        // The request's resolution target may come from the time the served ticket has left.
        crate::standards::refresh(tx.conn(), child, None, now).await?;
        if wait && parent.status != TicketStatus::PendingInternal {
            set_status(tx.conn(), principal.person_id, parent, TicketStatus::PendingInternal, now).await?;
        }
        Ok(())
    }
}

/// A ticket that can still be served: not solved or closed, not merged away.
fn check_parent(parent: &TicketView) -> Result<(), AppError> {
    if !parent.status.is_active() || parent.merged_into_id.is_some() {
        return Err(AppError::conflict(
            "ticket_done",
            format!("#{} is {}: it needs no more help", parent.id.0, parent.status),
        ));
    }
    Ok(())
}

/// Moves a ticket between `open` and `pending_internal` on the chain's account, with its trail,
/// its clocks and its links' waiting.
async fn set_status(
    mut conn: Conn<'_>,
    actor: PersonId,
    ticket: &TicketView,
    to: TicketStatus,
    now: Millis,
) -> Result<(), AppError> {
    let current = tickets::get(conn.reborrow(), ticket.id).await?.ok_or(AppError::NotFound("ticket"))?;
    let mut state = current.state();
    state.status = to;
    tickets::update(conn.reborrow(), ticket.id, current.version, &state, now)
        .await?
        .ok_or_else(|| AppError::version_conflict("ticket"))?;
    let data = json!({ "from": current.status, "to": to, "by": "chain" });
    events::append(conn.reborrow(), ticket.id, Some(actor), "status_changed", &data, now).await?;
    crate::standards::refresh(conn.reborrow(), ticket.id, None, now).await?;
    let moved = StatusMove {
        ticket: ticket.id,
        from: current.status,
        to,
        side: tandem_domain::ticket::Side::Agent,
        actor: Some(actor),
        open_links_reason: None,
    };
    status_moved(conn, None, moved, now).await
}
