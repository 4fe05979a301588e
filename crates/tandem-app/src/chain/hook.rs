//! What the chain does when a ticket's status moves, in the transaction of that move: a parent
//! that starts or stops waiting starts or stops its links' waiting clocks; a request that is done
//! stops its own and, when it was the last open link of a parent waiting on its links, resumes
//! that parent (open again, its agent told) in the same transaction, so a crash can never leave a
//! parent waiting forever; a parent is solved over open links only with a reason, recorded.

use serde_json::json;
use tandem_domain::ticket::Side;
use tandem_domain::{Millis, PersonId, TicketId, TicketStatus};
use tandem_store::{Conn, events, links, tickets};

use crate::AppError;
use crate::mail::{Outbound, outbox};

/// A status move of one ticket, as the chain needs to know it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StatusMove<'a> {
    pub ticket: TicketId,
    pub from: TicketStatus,
    pub to: TicketStatus,
    /// Who moved it: a requester may close their own ticket over open links without a reason.
    pub side: Side,
    pub actor: Option<PersonId>,
    /// Why an agent solves a ticket whose linked requests are still open.
    pub open_links_reason: Option<&'a str>,
}

/// Applies the chain's consequences of `moved` (nothing when the status did not change), and asks
/// the requester of a newly solved ticket for a rating.
pub(crate) async fn status_moved(
    mut conn: Conn<'_>,
    outbound: Option<&Outbound>,
    moved: StatusMove<'_>,
    now: Millis,
) -> Result<(), AppError> {
    let StatusMove { ticket, from, to, .. } = moved;
    if from == to {
        return Ok(());
    }
    if to == TicketStatus::PendingInternal {
        links::start_waiting_on_children(conn.reborrow(), ticket, now).await?;
    } else if from == TicketStatus::PendingInternal {
        links::stop_waiting_on_children(conn.reborrow(), ticket, now).await?;
    }
    if to == TicketStatus::Solved && from.is_active() {
        crate::feedback::ask_for_rating(conn.reborrow(), outbound, ticket, now).await?;
    }
    match (from.is_active(), to.is_active()) {
        (true, false) => {
            check_open_links(conn.reborrow(), moved, now).await?;
            links::set_child_waiting(conn.reborrow(), ticket, false, now).await?;
            resume_parent(conn, outbound, ticket, now).await
        }
        (false, true) => Ok(links::set_child_waiting(conn, ticket, true, now).await?),
        _ => Ok(()),
    }
}

/// Refuses an agent's solve over open links without a reason; records the reason when given
/// (or that the requester closed it).
async fn check_open_links(mut conn: Conn<'_>, moved: StatusMove<'_>, now: Millis) -> Result<(), AppError> {
    let open = links::open_children(conn.reborrow(), moved.ticket).await?;
    if open.is_empty() {
        return Ok(());
    }
    let numbers: Vec<String> = open.iter().map(|id| format!("#{}", id.0)).collect();
    let reason = match (moved.side, moved.open_links_reason.map(str::trim).filter(|reason| !reason.is_empty())) {
        (_, Some(reason)) => reason.to_owned(),
        (Side::Customer, None) => "the requester marked it solved".to_owned(),
        (Side::Agent, None) => {
            return Err(AppError::conflict(
                "links_open",
                format!(
                    "the linked requests {} are still open: solve them first, or say why in `open_links_reason`",
                    numbers.join(", ")
                ),
            ));
        }
    };
    let data = json!({ "to": moved.to, "open_links": open, "reason": reason });
    events::append(conn, moved.ticket, moved.actor, "solved_with_open_links", &data, now).await?;
    Ok(())
}

/// When `done` was the last open request of a parent waiting on its links, that parent is open
/// again, its trail says why, and its assignee (or team) is told.
async fn resume_parent(
    mut conn: Conn<'_>,
    outbound: Option<&Outbound>,
    done: TicketId,
    now: Millis,
) -> Result<(), AppError> {
    let Some(link) = links::serving(conn.reborrow(), done).await? else { return Ok(()) };
    let parent_id = link.parent_id;
    tickets::lock(conn.reborrow(), parent_id).await?;
    let parent = tickets::get(conn.reborrow(), parent_id).await?.ok_or(AppError::NotFound("ticket"))?;
    if parent.status != TicketStatus::PendingInternal
        || !links::open_children(conn.reborrow(), parent_id).await?.is_empty()
    {
        return Ok(());
    }
    let mut state = parent.state();
    state.status = TicketStatus::Open;
    tickets::update(conn.reborrow(), parent_id, parent.version, &state, now)
        .await?
        .ok_or_else(|| AppError::version_conflict("ticket"))?;
    links::stop_waiting_on_children(conn.reborrow(), parent_id, now).await?;
    let data = json!({ "from": parent.status, "to": TicketStatus::Open, "by": "chain", "request_id": done });
    events::append(conn.reborrow(), parent_id, None, "status_changed", &data, now).await?;
    let told: Vec<PersonId> = parent.assignee_id.into_iter().collect();
    let data = json!({ "person_ids": told, "team_id": parent.team_id, "why": "links_done", "request_id": done });
    events::append(conn.reborrow(), parent_id, None, "notified", &data, now).await?;
    if let Some(outbound) = outbound.filter(|_| !told.is_empty()) {
        let headline = format!("#{} can go on: the last request it waited on is done", parent_id.0);
        let detail = format!("Request #{} is solved, so the ticket is open again.", done.0);
        outbox::queue_notification(conn.reborrow(), outbound, &parent, &told, &headline, &detail, now).await?;
    }
    crate::standards::refresh(conn, parent_id, None, now).await
}
