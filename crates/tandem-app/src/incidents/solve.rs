//! Solving an incident, and with it, if asked, every linked ticket still being worked, with a
//! final message in each audience's voice.

use serde::{Deserialize, Serialize};
use tandem_domain::{IncidentId, Millis, Principal};
use tandem_store::incidents;

use super::updates::{UpdateInput, write_update};
use super::views::{IncidentView, incident_view};
use super::{load_for_write, require_open, require_owner};
use crate::{App, AppError};

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SolveInput {
    /// Also solve every linked ticket still being worked, posting the final message on each.
    #[serde(default)]
    pub solve_tickets: bool,
    /// The final message for external customers.
    pub external_body: Option<String>,
    /// The final message for employees.
    pub internal_body: Option<String>,
    /// For staff only.
    pub note: Option<String>,
}

impl App {
    /// Solves an open incident. With `solve_tickets`, each linked ticket still being worked gets
    /// the final message in its audience's voice and is solved (one whose audience has no final
    /// message is solved with an internal note); without it, a final message is posted like any
    /// update and the tickets stay as they are.
    pub async fn solve_incident(
        &self,
        principal: &Principal,
        id: IncidentId,
        input: SolveInput,
        now: Millis,
    ) -> Result<IncidentView, AppError> {
        let solve_tickets = input.solve_tickets;
        let texts =
            UpdateInput { external_body: input.external_body, internal_body: input.internal_body, note: input.note };
        let texts = self.checked_update(texts, false)?;
        let says_something = texts.external_body.is_some() || texts.internal_body.is_some() || texts.note.is_some();
        let mut tx = self.store().begin().await?;
        let incident = load_for_write(tx.conn(), principal, id).await?;
        require_owner(principal, &incident)?;
        require_open(&incident)?;
        incidents::solve(tx.conn(), id, now).await?;
        if solve_tickets || says_something {
            let outbound = self.outbound().map(|outbound| outbound.as_ref());
            write_update(tx.conn(), outbound, principal, &incident, texts, solve_tickets, now).await?;
        }
        let row = incidents::get(tx.conn(), id).await?.ok_or(AppError::NotFound("incident"))?;
        tx.commit().await?;
        tracing::info!(incident.id = id.0, solve_tickets, "incident {id} solved");
        Ok(incident_view(row))
    }
}
