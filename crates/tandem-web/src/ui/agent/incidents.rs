//! `GET /agent/incidents`: the incidents, newest first, with the form that opens one;
//! `POST /agent/incidents` opens it and goes to its page.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tandem_app::catalog::ServiceQuery;
use tandem_app::incidents::{IncidentInput, IncidentQuery, IncidentView};
use tandem_app::{AppError, PageRequest, instant};
use tandem_domain::{IncidentStatus, ServiceId, Severity, TeamId};

use super::format::{Choice, When};
use super::require_staff;
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

/// Incidents the list shows (the newest; the API pages through the rest).
const LISTED: u32 = 100;

#[derive(Template)]
#[template(path = "agent_incidents.html")]
struct IncidentsPage {
    layout: Layout,
    rows: Vec<IncidentRow>,
    form: NewIncidentForm,
}

struct IncidentRow {
    id: i64,
    title: String,
    open: bool,
    severity: &'static str,
    team: String,
    opened: When,
}

/// The "open an incident" form, as drawn or as the agent left it after a refusal.
#[derive(Debug, Default, Deserialize)]
pub struct NewIncidentForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    match_service_id: String,
    #[serde(default)]
    match_words: String,
    #[serde(skip)]
    teams: Vec<Choice>,
    #[serde(skip)]
    severities: Vec<Choice>,
    #[serde(skip)]
    services: Vec<Choice>,
    #[serde(skip)]
    errors: Vec<String>,
}

pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    page(&state, &viewer, StatusCode::OK, NewIncidentForm::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<NewIncidentForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let input = match form.input() {
        Ok(input) => input,
        Err(error) => return refused(&state, &viewer, form, error).await,
    };
    match state.app.create_incident(&viewer.principal, input, crate::now()).await {
        Ok(incident) => Ok(Redirect::to(&format!("/agent/incidents/{}?done=opened", incident.id)).into_response()),
        Err(error @ AppError::Invalid(_)) => refused(&state, &viewer, form, error.to_string()).await,
        Err(error) => Err(error.into()),
    }
}

impl NewIncidentForm {
    fn input(&self) -> Result<IncidentInput, String> {
        let number = |text: &str| text.parse::<i64>().map_err(|_| "Choose from the lists.".to_owned());
        let team_id = TeamId(number(&self.team_id)?);
        let severity = match self.severity.as_str() {
            "" => None,
            text => Some(text.parse::<Severity>().map_err(|error| error.to_string())?),
        };
        let match_service_id = match self.match_service_id.as_str() {
            "" => None,
            text => Some(ServiceId(number(text)?)),
        };
        let match_words = self.match_words.split(',').map(str::trim).filter(|word| !word.is_empty()).map(str::to_owned);
        Ok(IncidentInput {
            title: self.title.clone(),
            description: self.description.clone(),
            team_id,
            severity,
            match_service_id,
            match_words: match_words.collect(),
        })
    }
}

async fn refused(
    state: &AppState,
    viewer: &Viewer,
    mut form: NewIncidentForm,
    error: String,
) -> Result<Response, UiError> {
    form.errors.push(error);
    page(state, viewer, StatusCode::UNPROCESSABLE_ENTITY, form).await
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    mut form: NewIncidentForm,
) -> Result<Response, UiError> {
    let principal = &viewer.principal;
    let app = &state.app;
    let listed = PageRequest { limit: Some(LISTED), cursor: None };
    let (incidents, teams, services) = tokio::try_join!(
        app.list_incidents(principal, IncidentQuery::default(), listed),
        app.list_teams(principal),
        app.list_services(principal, ServiceQuery::default()),
    )?;
    let mine = teams.into_iter().filter(|team| principal.is_admin || principal.is_member_of(team.id));
    form.teams = mine.map(|team| Choice::new(team.id.to_string(), team.name, &form.team_id)).collect();
    form.severities = std::iter::once(Choice::new("", "Not said", &form.severity))
        .chain(Severity::ALL.iter().map(|severity| Choice::new(severity.as_str(), severity.as_str(), &form.severity)))
        .collect();
    form.services = std::iter::once(Choice::new("", "Any service", &form.match_service_id))
        .chain(
            services
                .into_iter()
                .map(|service| Choice::new(service.id.to_string(), service.name, &form.match_service_id)),
        )
        .collect();
    let now = crate::now();
    let rows = incidents.items.into_iter().map(|incident| row(now, incident)).collect();
    Ok((status, html(&IncidentsPage { layout: Layout::for_viewer(viewer, "incidents"), rows, form })).into_response())
}

fn row(now: tandem_app::Millis, incident: IncidentView) -> IncidentRow {
    IncidentRow {
        id: incident.id.0,
        title: incident.title,
        open: incident.status == IncidentStatus::Open,
        severity: incident.severity.map_or("", Severity::as_str),
        team: incident.team.name,
        opened: When::of(now, instant(incident.created_at)),
    }
}
