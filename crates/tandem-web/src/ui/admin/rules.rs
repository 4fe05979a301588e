//! Routing rules: the list in the order they are tried, and the form that creates, changes or
//! deletes one (conditions: audience, services, channels, departments, organizations, subject
//! words; actions: team, priority, tags, assignee). The form's fields live in `rule_form.rs`.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use tandem_app::routing::RuleView;
use tandem_domain::RuleId;

use super::forms::{Confirm, Done, Posted, Problems, done, form_page, outcome};
use super::lookup::Names;
use super::rule_form::{RuleChoices, RuleForm, Summary, input_of};
use super::{DoneQuery, admin_only, layout, path_id};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/rules", get(list))
        .route("/admin/rules/new", get(new).post(create))
        .route("/admin/rules/{id}", get(edit).post(update))
        .route("/admin/rules/{id}/delete", post(delete))
}

#[derive(Template)]
#[template(path = "admin_rules.html")]
struct ListPage {
    layout: Layout,
    rules: Vec<Summary>,
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let names = Names::load(&state, &viewer).await?;
    let rules = state.app.list_rules(&viewer.principal).await?;
    let mut summaries = Vec::with_capacity(rules.len());
    for rule in rules {
        summaries.push(names.summary(&state, &viewer, rule).await?);
    }
    Ok(html(&ListPage { layout: layout(&viewer, &done), rules: summaries }))
}

#[derive(Template)]
#[template(path = "admin_rule.html")]
struct RulePage {
    layout: Layout,
    /// `None` on the new-rule form.
    rule: Option<RuleId>,
    form: RuleForm,
    problems: Problems,
    choices: RuleChoices,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    layout: Layout,
    rule: Option<RuleId>,
    form: RuleForm,
    mut problems: Problems,
) -> Result<Response, UiError> {
    problems.rename(RuleForm::input_for);
    let choices = RuleChoices::load(state, viewer, &form).await?;
    let page = RulePage { layout, rule, form, problems, choices };
    Ok(form_page(&page, &page.problems))
}

async fn new(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let form = RuleForm { enabled: true, ..RuleForm::default() };
    page(&state, &viewer, layout(&viewer, &DoneQuery::default()), None, form, Problems::default()).await
}

async fn create(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let form = RuleForm::posted(&Posted(form));
    let mut problems = Problems::default();
    let input = input_of(&state, &viewer, &form, &mut problems).await?;
    if problems.is_empty() {
        match outcome(state.app.create_rule(&viewer.principal, input, crate::now()).await)? {
            Ok(rule) => return Ok(done(&format!("/admin/rules/{}", rule.id), Done::Created)),
            Err(refused) => problems = refused,
        }
    }
    page(&state, &viewer, layout(&viewer, &DoneQuery::default()), None, form, problems).await
}

/// One rule by id (rules are few: the app lists them all).
async fn rule(state: &AppState, viewer: &Viewer, raw_id: &str) -> Result<RuleView, UiError> {
    let id: RuleId = path_id(raw_id)?;
    let rules = state.app.list_rules(&viewer.principal).await?;
    rules.into_iter().find(|rule| rule.id == id).ok_or(UiError::NotFound)
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let rule = rule(&state, &viewer, &id).await?;
    let id = rule.id;
    let form = RuleForm::of(&state, &viewer, rule).await?;
    page(&state, &viewer, layout(&viewer, &done), Some(id), form, Problems::default()).await
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let id: RuleId = path_id(&id)?;
    let form = RuleForm::posted(&Posted(form));
    let mut problems = Problems::default();
    let input = input_of(&state, &viewer, &form, &mut problems).await?;
    if problems.is_empty() {
        match outcome(state.app.update_rule(&viewer.principal, id, form.version, input, crate::now()).await)? {
            Ok(rule) => return Ok(done(&format!("/admin/rules/{}", rule.id), Done::Saved)),
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
    state.app.delete_rule(&viewer.principal, path_id(&id)?).await?;
    Ok(done("/admin/rules", Done::Deleted))
}
