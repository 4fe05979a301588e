//! The ticket page's incident box: the incident the ticket is linked to, or a form that links it
//! to an open one (`POST /agent/tickets/{id}/incident`).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tandem_app::incidents::{IncidentLinkInput, IncidentQuery, IncidentRef};
use tandem_app::{App, AppError, PageRequest};
use tandem_domain::{IncidentId, IncidentStatus, Principal};

use super::format::Choice;
use super::{require_staff, ticket_id};
use crate::state::AppState;
use crate::ui::UiError;
use crate::ui::session::VerifiedForm;

/// Open incidents offered in the box's select (the newest).
const OFFERED: u32 = 50;

/// What the box shows.
#[derive(Debug, Default)]
pub(super) struct IncidentBox {
    /// The incident the ticket is linked to: id, title, whether it is open.
    pub linked: Option<(i64, String, bool)>,
    /// Open incidents to link it to, when it is not linked.
    pub open: Vec<Choice>,
}

impl IncidentBox {
    pub async fn load(app: &App, principal: &Principal, linked: Option<IncidentRef>) -> Result<IncidentBox, AppError> {
        if let Some(incident) = linked {
            let open = incident.status == IncidentStatus::Open;
            return Ok(IncidentBox { linked: Some((incident.id.0, incident.title, open)), open: Vec::new() });
        }
        let query = IncidentQuery { status: Some(IncidentStatus::Open) };
        let page = app.list_incidents(principal, query, PageRequest { limit: Some(OFFERED), cursor: None }).await?;
        let open =
            page.items.into_iter().map(|incident| Choice::new(incident.id.to_string(), incident.title, "")).collect();
        Ok(IncidentBox { linked: None, open })
    }
}

#[derive(Debug, Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    incident_id: String,
}

pub async fn link(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<LinkForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let ticket = ticket_id(&id)?;
    let incident = form
        .incident_id
        .parse::<i64>()
        .map(IncidentId)
        .map_err(|_| UiError::BadRequest("Choose an incident.".into()))?;
    state
        .app
        .link_incident_ticket(&viewer.principal, incident, IncidentLinkInput { ticket_id: ticket }, crate::now())
        .await?;
    Ok(Redirect::to(&format!("/agent/tickets/{ticket}?done=incident_linked")).into_response())
}
