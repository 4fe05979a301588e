//! "Ask another team" from a ticket: `GET /agent/tickets/{id}/ask` lists the internal services
//! other teams offer; with `?service=slug` it shows that service's request form, and the post
//! opens the internal request linked to the ticket (the chain), optionally setting the ticket to
//! wait on it. A refused request comes back with what was typed and each field's error.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Map;
use tandem_app::AppError;
use tandem_app::catalog::{ServiceQuery, ServiceView};
use tandem_app::chain::HelpRequest;
use tandem_app::tickets::{TicketOut, ViewKind};
use tandem_domain::{Audience, TicketId};

use super::edit::sentence;
use super::fields::{self, SideInput};
use super::{require_staff, ticket_id};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

#[derive(Template)]
#[template(path = "agent_ask.html")]
struct AskPage {
    layout: Layout,
    id: i64,
    subject: String,
    /// The services to choose from, by team, when none is chosen yet.
    choices: Vec<TeamServices>,
    form: Option<AskForm>,
}

/// A team and the internal services it offers.
struct TeamServices {
    team: String,
    services: Vec<ServiceChoice>,
}

struct ServiceChoice {
    slug: String,
    name: String,
    description: String,
}

/// The chosen service's request form, as typed so far.
struct AskForm {
    service: String,
    service_name: String,
    team: String,
    subject: String,
    body: String,
    wait: bool,
    inputs: Vec<SideInput>,
    errors: BTreeMap<String, String>,
    problem: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AskParams {
    #[serde(default)]
    service: String,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(params): Query<AskParams>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let id = ticket_id(&id)?;
    let ticket = workable(&state, &viewer, id).await?;
    let page = if params.service.is_empty() {
        choose(&state, &viewer, &ticket).await?
    } else {
        let service = internal_service(&state, &viewer, &params.service).await?;
        let typed = HashMap::from([("wait".to_owned(), "yes".to_owned())]);
        page_with_form(&state, &viewer, &ticket, &service, &typed, BTreeMap::new(), None).await?
    };
    Ok(html(&page))
}

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<HashMap<String, String>>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let id = ticket_id(&id)?;
    let ticket = workable(&state, &viewer, id).await?;
    let slug = form.get("service").cloned().unwrap_or_default();
    let service = internal_service(&state, &viewer, &slug).await?;
    let mut values = Map::new();
    let mut errors = BTreeMap::new();
    for field in &service.form.0 {
        let text = form.get(&fields::name(&field.key)).map(String::as_str).unwrap_or_default();
        match fields::value_of(&service.form, &field.key, text) {
            Ok(value) if !value.is_null() => {
                values.insert(field.key.clone(), value);
            }
            Ok(_) => {}
            Err(error) => {
                errors.insert(fields::name(&field.key), error);
            }
        }
    }
    let text = |name: &str| form.get(name).cloned().unwrap_or_default();
    let request = HelpRequest {
        service: Some(service.slug.clone()),
        service_id: None,
        subject: text("subject"),
        body: text("body").replace("\r\n", "\n"),
        fields: values,
        wait: form.contains_key("wait"),
    };
    let (status, errors, problem) = if errors.is_empty() {
        match state.app.request_help(&viewer.principal, id, request, crate::now()).await {
            Ok(_) => return Ok(Redirect::to(&format!("/agent/tickets/{id}?done=asked")).into_response()),
            Err(AppError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors.0, None),
            Err(AppError::Conflict { message, .. }) => {
                (StatusCode::CONFLICT, BTreeMap::new(), Some(sentence(&message)))
            }
            Err(AppError::Forbidden(message)) => (StatusCode::FORBIDDEN, BTreeMap::new(), Some(sentence(&message))),
            Err(error) => return Err(error.into()),
        }
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, errors, None)
    };
    let page = page_with_form(&state, &viewer, &ticket, &service, &form, errors, problem).await?;
    Ok((status, html(&page)).into_response())
}

/// The ticket, if the viewer works it (anything else is not found, as on the ticket page).
async fn workable(state: &AppState, viewer: &Viewer, id: TicketId) -> Result<TicketOut, UiError> {
    let detail = state.app.get_ticket(&viewer.principal, id).await?;
    if detail.ticket.view != ViewKind::Agent {
        return Err(UiError::NotFound);
    }
    Ok(detail.ticket)
}

/// An active service offered to employees, by slug; anything else is not found.
async fn internal_service(state: &AppState, viewer: &Viewer, slug: &str) -> Result<ServiceView, UiError> {
    let service = state.app.get_service(&viewer.principal, slug).await.map_err(|_| UiError::NotFound)?;
    if !service.active || service.audience == Audience::External {
        return Err(UiError::NotFound);
    }
    Ok(service)
}

async fn choose(state: &AppState, viewer: &Viewer, ticket: &TicketOut) -> Result<AskPage, UiError> {
    let services = state.app.list_services(&viewer.principal, ServiceQuery::default()).await?;
    let teams = state.app.list_teams(&viewer.principal).await?;
    let mut choices = Vec::new();
    for team in &teams {
        let offered: Vec<ServiceChoice> = services
            .iter()
            .filter(|service| service.team_id == team.id && service.active && service.audience != Audience::External)
            .map(|service| ServiceChoice {
                slug: service.slug.clone(),
                name: service.name.clone(),
                description: service.description.clone(),
            })
            .collect();
        if !offered.is_empty() {
            choices.push(TeamServices { team: team.name.clone(), services: offered });
        }
    }
    Ok(AskPage {
        layout: Layout::for_viewer(viewer, "agent"),
        id: ticket.id.0,
        subject: ticket.subject.clone(),
        choices,
        form: None,
    })
}

async fn page_with_form(
    state: &AppState,
    viewer: &Viewer,
    ticket: &TicketOut,
    service: &ServiceView,
    typed: &HashMap<String, String>,
    errors: BTreeMap<String, String>,
    problem: Option<String>,
) -> Result<AskPage, UiError> {
    let teams = state.app.list_teams(&viewer.principal).await?;
    let team = teams.iter().find(|team| team.id == service.team_id).map(|team| team.name.clone()).unwrap_or_default();
    let inputs = service
        .form
        .0
        .iter()
        .map(|field| {
            let name = fields::name(&field.key);
            let mut input = fields::input(field, typed.get(&name).map(String::as_str).unwrap_or_default());
            input.id = format!("ask-{}", field.key);
            input.error = errors.get(&name).cloned();
            input
        })
        .collect();
    let text = |name: &str| typed.get(name).cloned().unwrap_or_default();
    let form = AskForm {
        service: service.slug.clone(),
        service_name: service.name.clone(),
        team,
        subject: text("subject"),
        body: text("body"),
        wait: typed.contains_key("wait"),
        inputs,
        errors,
        problem,
    };
    Ok(AskPage {
        layout: Layout::for_viewer(viewer, "agent"),
        id: ticket.id.0,
        subject: ticket.subject.clone(),
        choices: Vec::new(),
        form: Some(form),
    })
}
