//! Customer organizations: the list by name, and the form that creates or changes one (name,
//! email domain, notes).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use tandem_app::PageRequest;
use tandem_app::directory::organizations::{OrganizationInput, OrganizationView};
use tandem_domain::OrganizationId;

use super::forms::{Done, Problems, done, form_page, outcome};
use super::{DoneQuery, admin_only, layout, path_id};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/organizations", get(list))
        .route("/admin/organizations/new", get(new).post(create))
        .route("/admin/organizations/{id}", get(edit).post(update))
}

const PAGE_SIZE: u32 = 50;

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_organizations.html")]
struct ListPage {
    layout: Layout,
    organizations: Vec<OrganizationView>,
    next: Option<String>,
    first: bool,
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let request = PageRequest { limit: Some(PAGE_SIZE), cursor: query.cursor.clone() };
    let page = state.app.list_organizations(&viewer.principal, request).await?;
    let next = page.next_cursor.map(|cursor| {
        format!("/admin/organizations?{}", serde_urlencoded::to_string([("cursor", cursor)]).unwrap_or_default())
    });
    let page =
        ListPage { layout: layout(&viewer, &done), organizations: page.items, next, first: query.cursor.is_none() };
    Ok(html(&page))
}

/// An organization as posted.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct OrganizationForm {
    name: String,
    domain: String,
    notes: String,
}

impl OrganizationForm {
    fn input(&self) -> OrganizationInput {
        OrganizationInput {
            name: self.name.clone(),
            domain: Some(self.domain.clone()).filter(|domain| !domain.trim().is_empty()),
            notes: self.notes.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_organization.html")]
struct FormPage {
    layout: Layout,
    /// `None` on the new-organization form.
    organization: Option<OrganizationId>,
    form: OrganizationForm,
    problems: Problems,
}

fn page(layout: Layout, organization: Option<OrganizationId>, form: OrganizationForm, problems: Problems) -> Response {
    let page = FormPage { layout, organization, form, problems };
    form_page(&page, &page.problems)
}

async fn new(viewer: Viewer) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    Ok(page(layout(&viewer, &DoneQuery::default()), None, OrganizationForm::default(), Problems::default()))
}

async fn create(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<OrganizationForm>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    match outcome(state.app.create_organization(&viewer.principal, form.input(), crate::now()).await)? {
        Ok(saved) => Ok(done(&format!("/admin/organizations/{}", saved.id), Done::Created)),
        Err(problems) => Ok(page(layout(&viewer, &DoneQuery::default()), None, form, problems)),
    }
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let organization = state.app.get_organization(&viewer.principal, path_id(&id)?).await?;
    let form = OrganizationForm {
        name: organization.name,
        domain: organization.domain.unwrap_or_default(),
        notes: organization.notes,
    };
    Ok(page(layout(&viewer, &done), Some(organization.id), form, Problems::default()))
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<OrganizationForm>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let id: OrganizationId = path_id(&id)?;
    match outcome(state.app.update_organization(&viewer.principal, id, form.input(), crate::now()).await)? {
        Ok(saved) => Ok(done(&format!("/admin/organizations/{}", saved.id), Done::Saved)),
        Err(problems) => Ok(page(layout(&viewer, &DoneQuery::default()), Some(id), form, problems)),
    }
}
