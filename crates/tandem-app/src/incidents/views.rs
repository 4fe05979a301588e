//! What an incident looks like to staff, and the brief reference an agent's ticket view carries.

use serde::Serialize;
use tandem_domain::{
    IncidentId, IncidentStatus, IncidentUpdateId, Millis, PersonId, Principal, ServiceId, Severity, TicketAudience,
    TicketId, TicketStatus,
};
use tandem_store::Conn;
use tandem_store::incidents::{self, IncidentRow, LinkedTicket, UpdateRow};

use crate::AppError;
use crate::tickets::{NamedRef, PersonSummary};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct IncidentView {
    pub id: IncidentId,
    pub title: String,
    pub description: String,
    /// The team that owns it: its members post updates and solve it.
    pub team: NamedRef,
    pub status: IncidentStatus,
    pub severity: Option<Severity>,
    pub match_rules: MatchRulesOut,
    pub created_by: PersonSummary,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub solved_at: Option<Millis>,
    /// Send it back in `If-Match` to edit.
    pub version: i64,
}

/// Which new tickets are linked as they arrive while the incident is open.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MatchRulesOut {
    pub service_id: Option<ServiceId>,
    /// The subject must contain one of them (case-insensitive).
    pub words: Vec<String>,
}

/// An incident with the first page of its linked tickets and its latest updates.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct IncidentDetail {
    pub incident: IncidentView,
    pub tickets: Vec<LinkedTicketOut>,
    /// Set when more tickets are linked: fetch them from `/incidents/{id}/tickets`.
    pub tickets_next_cursor: Option<String>,
    /// Newest first.
    pub updates: Vec<UpdateOut>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct LinkedTicketOut {
    pub id: TicketId,
    /// Only for staff who work the ticket's team (and admins); `null` for other staff.
    pub subject: Option<String>,
    pub status: TicketStatus,
    pub audience: TicketAudience,
    pub team: NamedRef,
    /// Who linked it; `null` when a match rule linked it on arrival.
    pub linked_by: Option<PersonId>,
    pub linked_at: Millis,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct UpdateOut {
    pub id: IncidentUpdateId,
    pub author: PersonSummary,
    /// Posted as a public reply on linked external tickets.
    pub external_body: Option<String>,
    /// Posted as a public reply on linked internal (employee) tickets.
    pub internal_body: Option<String>,
    /// For staff only: never posted on a ticket.
    pub note: Option<String>,
    /// The incident's final update, which solved its linked tickets.
    pub solves_tickets: bool,
    pub created_at: Millis,
}

/// The incident a ticket is linked to, on the ticket's agent view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct IncidentRef {
    pub id: IncidentId,
    pub title: String,
    pub status: IncidentStatus,
}

pub(super) fn incident_view(row: IncidentRow) -> IncidentView {
    IncidentView {
        id: row.id,
        title: row.title,
        description: row.description,
        team: NamedRef { id: row.team_id.0, slug: None, name: row.team_name },
        status: row.status,
        severity: row.severity,
        match_rules: MatchRulesOut { service_id: row.match_service_id, words: row.match_words.0 },
        created_by: PersonSummary { id: Some(row.created_by), name: row.created_by_name, email: None },
        created_at: row.created_at,
        updated_at: row.updated_at,
        solved_at: row.solved_at,
        version: row.version,
    }
}

pub(super) fn linked_out(principal: &Principal, row: LinkedTicket) -> LinkedTicketOut {
    let works_it = principal.is_admin || principal.is_member_of(row.team_id);
    LinkedTicketOut {
        id: row.ticket_id,
        subject: works_it.then_some(row.subject),
        status: row.status,
        audience: row.audience,
        team: NamedRef { id: row.team_id.0, slug: None, name: row.team_name },
        linked_by: row.linked_by,
        linked_at: row.linked_at,
    }
}

pub(super) fn update_out(row: UpdateRow) -> UpdateOut {
    UpdateOut {
        id: row.id,
        author: PersonSummary { id: Some(row.author_id), name: row.author_name, email: None },
        external_body: row.external_body,
        internal_body: row.internal_body,
        note: row.note,
        solves_tickets: row.solves_tickets,
        created_at: row.created_at,
    }
}

/// The incident a ticket is linked to, for its agents' view.
pub(crate) async fn incident_of_ticket(conn: Conn<'_>, ticket: TicketId) -> Result<Option<IncidentRef>, AppError> {
    let found = incidents::of_ticket(conn, ticket).await?;
    Ok(found.map(|row| IncidentRef { id: row.id, title: row.title, status: row.status }))
}
