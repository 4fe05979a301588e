//! Incidents: one record ("card payments failing at the tills") that tickets of both audiences
//! are linked to, by hand or by match rules as they arrive; updates posted on every linked ticket
//! in its audience's voice; solving that can solve the linked tickets with a final message.
//!
//! Only staff see incidents: to anyone else every incident answers like a missing one. Any staff
//! member reads them and links the tickets they work; the owning team's members and admins edit,
//! post updates and solve. Nothing of an incident reaches a customer but the replies it posts.

mod arrival;
mod deliver;
mod link;
mod read;
mod solve;
mod updates;
mod views;
mod write;

pub use deliver::DeliverIncidentUpdate;
pub use link::IncidentLinkInput;
pub use read::IncidentQuery;
pub use solve::SolveInput;
pub use updates::UpdateInput;
pub use views::{IncidentDetail, IncidentRef, IncidentView, LinkedTicketOut, MatchRulesOut, UpdateOut};
pub use write::IncidentInput;

pub(crate) use arrival::link_on_arrival;
pub(crate) use views::incident_of_ticket;

use tandem_domain::{IncidentId, IncidentStatus, Principal};
use tandem_store::Conn;
use tandem_store::incidents::{self, IncidentRow};

use crate::AppError;

/// Customers and employees are answered as if no incident existed.
fn require_staff(principal: &Principal) -> Result<(), AppError> {
    if principal.is_staff() { Ok(()) } else { Err(AppError::NotFound("incident")) }
}

/// Editing, updating and solving belong to the owning team's members and admins.
fn require_owner(principal: &Principal, incident: &IncidentRow) -> Result<(), AppError> {
    if principal.is_admin || principal.is_member_of(incident.team_id) {
        Ok(())
    } else {
        Err(AppError::forbidden(format!("only members of {} may change this incident", incident.team_name)))
    }
}

/// Loads an incident for a write, holding its row lock until the transaction ends.
async fn load_for_write(mut conn: Conn<'_>, principal: &Principal, id: IncidentId) -> Result<IncidentRow, AppError> {
    require_staff(principal)?;
    incidents::lock(conn.reborrow(), id).await?;
    incidents::get(conn, id).await?.ok_or(AppError::NotFound("incident"))
}

fn require_open(incident: &IncidentRow) -> Result<(), AppError> {
    match incident.status {
        IncidentStatus::Open => Ok(()),
        IncidentStatus::Solved => {
            Err(AppError::conflict("incident_solved", "the incident is solved; it takes no more changes"))
        }
    }
}
