//! Tickets: create, read, list, change, converse, attach, merge. Every read goes through
//! [`access`], every write through one transaction that also appends the audit trail.

pub(crate) mod attachments;
pub(crate) mod create;
mod events;
mod latest_events;
mod merge;
pub(crate) mod messages;
pub(crate) mod plan;
mod read;
mod search;
mod update;
mod views;

pub use attachments::{AttachmentOut, Download};
pub use create::{NewTicket, PersonRef};
pub use events::EventOut;
pub use messages::{MessagePosted, NewMessage};
pub use read::{ListScope, TicketQuery};
pub use search::{SearchResults, SearchText, TicketHitOut};
pub use update::{FollowerInput, MergeInput, TicketChanges};
pub use views::{EmailDelivery, MessageOut, NamedRef, PersonSummary, TicketDetail, TicketOut, ViewKind, WaitingNotice};

use tandem_domain::access::ticket_access;
use tandem_domain::{Principal, TicketAccess, TicketId, TicketParties};
use tandem_store::Conn;
use tandem_store::tickets::{self, TicketView};

use crate::AppError;

/// Loads a ticket and decides what the principal may see of it. A ticket they may not see at all
/// is answered exactly like one that does not exist.
pub(crate) async fn access(
    mut conn: Conn<'_>,
    principal: &Principal,
    id: TicketId,
) -> Result<(TicketView, TicketAccess), AppError> {
    let ticket = tickets::get(conn.reborrow(), id).await?.ok_or(AppError::NotFound("ticket"))?;
    let mut parties = TicketParties {
        team_id: ticket.team_id,
        requester_id: ticket.requester_id,
        recipient_id: ticket.recipient_id,
        organization_id: ticket.organization_id,
        principal_follows: false,
    };
    if ticket_access(principal, &parties).is_none() {
        parties.principal_follows = tickets::is_follower(conn, id, principal.person_id).await?;
    }
    let access = ticket_access(principal, &parties).ok_or(AppError::NotFound("ticket"))?;
    Ok((ticket, access))
}

/// Like [`access`], for a write: takes the ticket's row lock first (a no-op update), so what is
/// read stays true until the transaction commits, on PostgreSQL as on SQLite.
pub(crate) async fn access_for_write(
    mut conn: Conn<'_>,
    principal: &Principal,
    id: TicketId,
) -> Result<(TicketView, TicketAccess), AppError> {
    tickets::lock(conn.reborrow(), id).await?;
    access(conn, principal, id).await
}

/// Refuses a write the principal's view does not allow (they can see the ticket, so 403).
pub(crate) fn require_agent(access: TicketAccess, what: &str) -> Result<(), AppError> {
    match access {
        TicketAccess::Agent => Ok(()),
        TicketAccess::Customer => Err(AppError::forbidden(format!("only agents of the ticket's team may {what}"))),
    }
}
