//! The admin pages: people, teams and their members, customer organizations, the service catalog
//! with a form builder for each service's request form, routing rules, service standards
//! with their business-hours calendars, and feedback topics with the teams they reach.
//!
//! Who may open them: an admin every page; a team's lead their own team's page (settings and
//! members) and that team's services. Everyone else is answered "not found", as the API answers
//! for the directory, so not even the admin area's shape leaks. The app checks every write again:
//! these gates only decide which pages to show.

mod calendar_form;
mod calendars;
mod feedback_topics;
mod form_builder;
mod forms;
mod lookup;
mod members;
mod organizations;
mod people;
mod purchases;
mod rule_form;
mod rules;
mod services;
mod standard_form;
mod standards;
mod survey_results;
mod surveys;
mod teams;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use tandem_app::catalog::{ServiceQuery, ServiceView};
use tandem_domain::{TeamId, TeamRole};

use super::layout::Layout;
use super::session::Viewer;
use super::{UiError, html};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(index))
        .merge(people::routes())
        .merge(teams::routes())
        .merge(members::routes())
        .merge(organizations::routes())
        .merge(services::routes())
        .merge(rules::routes())
        .merge(calendars::routes())
        .merge(standards::routes())
        .merge(purchases::routes())
        .merge(surveys::routes())
        .merge(feedback_topics::routes())
}

/// Pages only an admin may open.
fn admin_only(viewer: &Viewer) -> Result<(), UiError> {
    if viewer.principal.is_admin { Ok(()) } else { Err(UiError::NotFound) }
}

/// Pages of one team: its leads and the admins.
fn manager_of(viewer: &Viewer, team: TeamId) -> Result<(), UiError> {
    if viewer.principal.manages(team) { Ok(()) } else { Err(UiError::NotFound) }
}

/// Pages for whoever manages at least one team (the admin index, a new service).
fn manages_some_team(viewer: &Viewer) -> Result<(), UiError> {
    let leads = viewer.principal.memberships.iter().any(|membership| membership.role == TeamRole::Lead);
    if viewer.principal.is_admin || leads { Ok(()) } else { Err(UiError::NotFound) }
}

/// An id in a path; anything that is not a number names nothing.
fn path_id<T: From<i64>>(raw: &str) -> Result<T, UiError> {
    raw.parse::<i64>().map(T::from).map_err(|_| UiError::NotFound)
}

/// `?done=…`, set by the redirect after a save.
#[derive(Debug, Default, Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

/// The frame of an admin page, with the notice of the save that led here.
fn layout(viewer: &Viewer, done: &DoneQuery) -> Layout {
    Layout::for_viewer(viewer, "admin").with_notice(forms::Done::notice(done.done.as_deref()))
}

#[derive(Template)]
#[template(path = "admin_index.html")]
struct IndexPage {
    layout: Layout,
    is_admin: bool,
    /// The teams a lead manages, with their services (admins reach every team from the tree).
    led: Vec<LedTeam>,
}

struct LedTeam {
    id: TeamId,
    name: String,
    services: Vec<ServiceView>,
}

async fn index(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    manages_some_team(&viewer)?;
    let principal = &viewer.principal;
    let mut led = Vec::new();
    if !principal.is_admin {
        for team in state.app.list_teams(principal).await? {
            if principal.manages(team.id) {
                let query = ServiceQuery { team_id: Some(team.id), ..ServiceQuery::default() };
                let services = state.app.list_services(principal, query).await?;
                led.push(LedTeam { id: team.id, name: team.name, services });
            }
        }
    }
    let page = IndexPage { layout: layout(&viewer, &DoneQuery::default()), is_admin: principal.is_admin, led };
    Ok(html(&page))
}
