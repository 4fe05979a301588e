//! Service standards: the list in the order they are tried (the first that applies wins), and
//! the form that creates, changes or deletes one. The form's fields live in `standard_form.rs`.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use tandem_app::standards::StandardView;
use tandem_domain::StandardId;

use super::forms::{Confirm, Done, Posted, Problems, done, form_page, outcome};
use super::lookup::Names;
use super::standard_form::{StandardChoices, StandardForm, Summary, input_of, summary};
use super::{DoneQuery, admin_only, layout, path_id};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/standards", get(list))
        .route("/admin/standards/new", get(new).post(create))
        .route("/admin/standards/{id}", get(edit).post(update))
        .route("/admin/standards/{id}/delete", post(delete))
}

#[derive(Template)]
#[template(path = "admin_standards.html")]
struct ListPage {
    layout: Layout,
    standards: Vec<Summary>,
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let names = Names::load(&state, &viewer).await?;
    let calendars: HashMap<_, _> = state
        .app
        .list_calendars(&viewer.principal)
        .await?
        .into_iter()
        .map(|calendar| (calendar.id, calendar.name))
        .collect();
    let standards = state.app.list_standards(&viewer.principal).await?;
    let standards = standards.into_iter().map(|standard| summary(&names, &calendars, standard)).collect();
    Ok(html(&ListPage { layout: layout(&viewer, &done), standards }))
}

#[derive(Template)]
#[template(path = "admin_standard.html")]
struct StandardPage {
    layout: Layout,
    /// `None` on the new-standard form.
    standard: Option<StandardId>,
    form: StandardForm,
    problems: Problems,
    choices: StandardChoices,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    layout: Layout,
    standard: Option<StandardId>,
    form: StandardForm,
    mut problems: Problems,
) -> Result<Response, UiError> {
    problems.rename(StandardForm::input_for);
    let choices = StandardChoices::load(state, viewer, &form).await?;
    let page = StandardPage { layout, standard, form, problems, choices };
    Ok(form_page(&page, &page.problems))
}

async fn new(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let form = StandardForm::blank();
    page(&state, &viewer, layout(&viewer, &DoneQuery::default()), None, form, Problems::default()).await
}

async fn create(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let form = StandardForm::posted(&Posted(form));
    let mut problems = Problems::default();
    let input = input_of(&form, &mut problems);
    if problems.is_empty() {
        match outcome(state.app.create_standard(&viewer.principal, input, crate::now()).await)? {
            Ok(standard) => return Ok(done(&format!("/admin/standards/{}", standard.id), Done::Created)),
            Err(refused) => problems = refused,
        }
    }
    page(&state, &viewer, layout(&viewer, &DoneQuery::default()), None, form, problems).await
}

/// One standard by id (standards are few: the app lists them all).
async fn standard(state: &AppState, viewer: &Viewer, raw_id: &str) -> Result<StandardView, UiError> {
    let id: StandardId = path_id(raw_id)?;
    let standards = state.app.list_standards(&viewer.principal).await?;
    standards.into_iter().find(|standard| standard.id == id).ok_or(UiError::NotFound)
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let standard = standard(&state, &viewer, &id).await?;
    let form = StandardForm::of(&standard);
    page(&state, &viewer, layout(&viewer, &done), Some(standard.id), form, Problems::default()).await
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let id: StandardId = path_id(&id)?;
    let form = StandardForm::posted(&Posted(form));
    let mut problems = Problems::default();
    let input = input_of(&form, &mut problems);
    if problems.is_empty() {
        match outcome(state.app.update_standard(&viewer.principal, id, form.version, input, crate::now()).await)? {
            Ok(standard) => return Ok(done(&format!("/admin/standards/{}", standard.id), Done::Saved)),
            Err(refused) => problems = refused,
        }
    }
    page(&state, &viewer, layout(&viewer, &DoneQuery::default()), Some(id), form, problems).await
}

async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, .. }: VerifiedForm<Confirm>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    state.app.delete_standard(&viewer.principal, path_id(&id)?, crate::now()).await?;
    Ok(done("/admin/standards", Done::Deleted))
}
