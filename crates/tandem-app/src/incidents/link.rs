//! Linking a ticket to an incident by hand, and unlinking it. A ticket belongs to at most one
//! incident; each link and unlink is written to the ticket's trail.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tandem_domain::{IncidentId, Millis, Principal, TicketAccess, TicketId};
use tandem_store::incidents::{self, IncidentRow, LinkedTicket};
use tandem_store::{Conn, events, tickets};

use super::views::{LinkedTicketOut, linked_out};
use super::{load_for_write, require_open};
use crate::{App, AppError};

#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentLinkInput {
    pub ticket_id: TicketId,
}

impl App {
    /// Links a ticket the caller works (as an agent of its team, or an admin) to an open incident.
    /// Linking it again to the same incident changes nothing.
    pub async fn link_incident_ticket(
        &self,
        principal: &Principal,
        id: IncidentId,
        input: IncidentLinkInput,
        now: Millis,
    ) -> Result<LinkedTicketOut, AppError> {
        let mut tx = self.store().begin().await?;
        let incident = load_for_write(tx.conn(), principal, id).await?;
        require_open(&incident)?;
        let ticket = input.ticket_id;
        if !works_ticket(tx.conn(), principal, ticket).await? {
            // The same answer for a ticket that does not exist and one the caller may not see.
            return Err(AppError::invalid("ticket_id", "no ticket with this number in the queues you work"));
        }
        if incidents::link(tx.conn(), id, ticket, Some(principal.person_id), now).await? {
            let data = json!({ "incident_id": id, "title": incident.title, "how": "manual" });
            events::append(tx.conn(), ticket, Some(principal.person_id), "incident_linked", &data, now).await?;
        } else {
            refuse_other_incident(tx.conn(), &incident, ticket).await?;
        }
        let linked = linked_row(tx.conn(), id, ticket).await?;
        tx.commit().await?;
        Ok(linked_out(principal, linked))
    }

    /// Unlinks a ticket: by one who works the ticket, or by the incident's owners.
    pub async fn unlink_incident_ticket(
        &self,
        principal: &Principal,
        id: IncidentId,
        ticket: TicketId,
        now: Millis,
    ) -> Result<(), AppError> {
        let mut tx = self.store().begin().await?;
        let incident = load_for_write(tx.conn(), principal, id).await?;
        let owner = principal.is_admin || principal.is_member_of(incident.team_id);
        if !owner && !works_ticket(tx.conn(), principal, ticket).await? {
            return Err(AppError::NotFound("ticket"));
        }
        if !incidents::unlink(tx.conn(), id, ticket).await? {
            return Err(AppError::NotFound("link"));
        }
        let data = json!({ "incident_id": id, "title": incident.title });
        events::append(tx.conn(), ticket, Some(principal.person_id), "incident_unlinked", &data, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Whether the principal works the ticket as an agent; takes its row lock when it exists.
async fn works_ticket(mut conn: Conn<'_>, principal: &Principal, ticket: TicketId) -> Result<bool, AppError> {
    tickets::lock(conn.reborrow(), ticket).await?;
    match crate::tickets::access(conn, principal, ticket).await {
        Ok((_, access)) => Ok(access == TicketAccess::Agent),
        Err(AppError::NotFound(_)) => Ok(false),
        Err(error) => Err(error),
    }
}

/// A ticket that did not link is already linked: fine if to this incident, a conflict if not.
async fn refuse_other_incident(conn: Conn<'_>, incident: &IncidentRow, ticket: TicketId) -> Result<(), AppError> {
    match incidents::of_ticket(conn, ticket).await? {
        Some(other) if other.id != incident.id => Err(AppError::conflict(
            "ticket_in_other_incident",
            format!("ticket #{ticket} is already linked to incident #{}; unlink it there first", other.id),
        )),
        _ => Ok(()),
    }
}

async fn linked_row(conn: Conn<'_>, id: IncidentId, ticket: TicketId) -> Result<LinkedTicket, AppError> {
    let rows = incidents::linked(conn, id, TicketId(ticket.0 - 1), 1).await?;
    rows.into_iter().find(|row| row.ticket_id == ticket).ok_or(AppError::NotFound("link"))
}
