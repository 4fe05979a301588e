//! Services: the catalog list (admins), and the page that creates or changes one service, with
//! its request form built in `form_builder.rs` and previewed as the requester will see it. A
//! team's leads open their own team's services here too.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use tandem_app::catalog::{ServiceInput, ServiceQuery, ServiceView};
use tandem_domain::{Audience, FieldErrors, Priority};

use super::form_builder::{Builder, PreviewField, ShownRow, row_input};
use super::forms::{Choice, Done, Posted, Problems, done, form_page, humanize, optional_id, outcome, word, words};
use super::{DoneQuery, admin_only, layout, manager_of, manages_some_team};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/services", get(list))
        .route("/admin/services/new", get(new).post(create))
        .route("/admin/services/{service}", get(edit).post(update))
}

#[derive(Template)]
#[template(path = "admin_services.html")]
struct ListPage {
    layout: Layout,
    services: Vec<Listed>,
}

struct Listed {
    slug: String,
    name: String,
    team: String,
    audience: String,
    active: bool,
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let teams: HashMap<_, _> =
        state.app.list_teams(&viewer.principal).await?.into_iter().map(|team| (team.id, team.name)).collect();
    let services = state
        .app
        .list_services(&viewer.principal, ServiceQuery::default())
        .await?
        .into_iter()
        .map(|service| Listed {
            team: teams.get(&service.team_id).cloned().unwrap_or_default(),
            audience: humanize(service.audience.as_str()),
            slug: service.slug,
            name: service.name,
            active: service.active,
        })
        .collect();
    Ok(html(&ListPage { layout: layout(&viewer, &done), services }))
}

/// A service's own fields as posted (its request form travels as the builder's rows).
#[derive(Clone, Debug, Default)]
struct ServiceForm {
    slug: String,
    name: String,
    description: String,
    team_id: String,
    audience: String,
    default_priority: String,
    active: bool,
    version: i64,
}

impl ServiceForm {
    fn of(service: &ServiceView) -> ServiceForm {
        ServiceForm {
            slug: service.slug.clone(),
            name: service.name.clone(),
            description: service.description.clone(),
            team_id: service.team_id.to_string(),
            audience: service.audience.to_string(),
            default_priority: service.default_priority.to_string(),
            active: service.active,
            version: service.version,
        }
    }

    fn posted(posted: &Posted) -> ServiceForm {
        ServiceForm {
            slug: posted.get("slug").to_owned(),
            name: posted.get("name").to_owned(),
            description: posted.get("description").to_owned(),
            team_id: posted.get("team_id").to_owned(),
            audience: posted.get("audience").to_owned(),
            default_priority: posted.get("default_priority").to_owned(),
            active: posted.checked("active"),
            version: posted.get("version").parse().unwrap_or_default(),
        }
    }

    fn input(&self, builder: &Builder, problems: &mut Problems) -> ServiceInput {
        let team_id = optional_id(problems, "team_id", &self.team_id);
        if team_id.is_none() {
            problems.add("team_id", "pick the team that works these requests");
        }
        ServiceInput {
            slug: self.slug.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            team_id: team_id.unwrap_or(tandem_domain::TeamId(0)),
            audience: word(problems, "audience", &self.audience).unwrap_or(Audience::Both),
            default_priority: word(problems, "default_priority", &self.default_priority).unwrap_or(Priority::Normal),
            form: builder.form(problems),
            active: self.active,
        }
    }
}

#[derive(Template)]
#[template(path = "admin_service.html")]
struct ServicePage {
    layout: Layout,
    is_admin: bool,
    /// The saved service (its slug names the page); `None` on the new-service form.
    service: Option<ServiceView>,
    form: ServiceForm,
    problems: Problems,
    teams: Vec<Choice>,
    audiences: Vec<Choice>,
    priorities: Vec<Choice>,
    rows: Vec<ShownRow>,
    preview: Vec<PreviewField>,
}

/// The service page, fresh or shown again with what was typed and its problems.
async fn page(
    state: &AppState,
    viewer: &Viewer,
    layout: Layout,
    service: Option<ServiceView>,
    form: ServiceForm,
    builder: &Builder,
    mut problems: Problems,
) -> Result<Response, UiError> {
    problems.rename(row_input);
    let principal = &viewer.principal;
    // The teams this person may give a service to: providers they manage (and the current one).
    let teams = state
        .app
        .list_teams(principal)
        .await?
        .into_iter()
        .filter(|team| {
            let current = team.id.to_string() == form.team_id;
            current || (team.is_provider && principal.manages(team.id))
        })
        .map(|team| Choice::new(team.id, team.name, team.id.to_string() == form.team_id))
        .collect();
    let page = ServicePage {
        layout,
        is_admin: principal.is_admin,
        service,
        teams,
        audiences: words(Audience::ALL, &form.audience),
        priorities: words(Priority::ALL, &form.default_priority),
        rows: builder.shown(),
        preview: builder.preview(),
        form,
        problems,
    };
    Ok(form_page(&page, &page.problems))
}

#[derive(Debug, Default, Deserialize)]
struct NewQuery {
    team: Option<String>,
}

async fn new(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<NewQuery>,
) -> Result<Response, UiError> {
    manages_some_team(&viewer)?;
    let form = ServiceForm {
        team_id: query.team.unwrap_or_default(),
        audience: Audience::Both.to_string(),
        default_priority: Priority::Normal.to_string(),
        active: true,
        ..ServiceForm::default()
    };
    let layout = layout(&viewer, &DoneQuery::default());
    page(&state, &viewer, layout, None, form, &Builder::default(), Problems::default()).await
}

async fn create(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    manages_some_team(&viewer)?;
    save(&state, &viewer, None, Posted(form)).await
}

/// Loads a service for its page: not found for anyone who does not manage its team.
async fn managed_service(state: &AppState, viewer: &Viewer, id_or_slug: &str) -> Result<ServiceView, UiError> {
    manages_some_team(viewer)?;
    let service = state.app.get_service(&viewer.principal, id_or_slug).await?;
    manager_of(viewer, service.team_id)?;
    Ok(service)
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(service): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    let service = managed_service(&state, &viewer, &service).await?;
    let builder = Builder::of(&service.form);
    let form = ServiceForm::of(&service);
    page(&state, &viewer, layout(&viewer, &done), Some(service), form, &builder, Problems::default()).await
}

async fn update(
    State(state): State<AppState>,
    Path(service): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    let service = managed_service(&state, &viewer, &service).await?;
    save(&state, &viewer, Some(service), Posted(form)).await
}

/// Saves the posted service, or only shows it again when the builder's "Preview" was pressed.
async fn save(
    state: &AppState,
    viewer: &Viewer,
    current: Option<ServiceView>,
    posted: Posted,
) -> Result<Response, UiError> {
    let form = ServiceForm::posted(&posted);
    let builder = Builder::posted(&posted);
    let mut problems = Problems::default();
    let input = form.input(&builder, &mut problems);
    let mut layout = Layout::for_viewer(viewer, "admin");
    let previewing = posted.get("action") == "preview";
    if previewing || !problems.is_empty() {
        // Nothing goes to the app, but the builder's rows are still checked, so every row's
        // problem shows at once.
        let mut errors = FieldErrors::new();
        input.form.check(&mut errors);
        problems.merge(errors);
        if previewing {
            layout = layout.with_notice(Some("Preview only: nothing is saved until you press Save.".to_owned()));
        }
    } else {
        let principal = &viewer.principal;
        let saved = match &current {
            Some(service) => state.app.update_service(principal, service.id, form.version, input, crate::now()).await,
            None => state.app.create_service(principal, input, crate::now()).await,
        };
        match outcome(saved)? {
            Ok(saved) => {
                let what = if current.is_some() { Done::Saved } else { Done::Created };
                return Ok(done(&format!("/admin/services/{}", saved.slug), what));
            }
            Err(refused) => problems = refused,
        }
    }
    page(state, viewer, layout, current, form, &builder, problems).await
}
