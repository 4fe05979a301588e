//! Teams and departments: the tree, the new-team form, and a team's own page (its settings, its
//! members, its services), which the team's leads may open as well as admins.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use tandem_app::PageRequest;
use tandem_app::catalog::{ServiceQuery, ServiceView};
use tandem_app::directory::people::PersonQuery;
use tandem_app::directory::teams::{TeamInput, TeamView};
use tandem_domain::{Assignment, PersonId, PersonKind, TeamId, TeamKind, TeamRole};

use super::forms::{Choice, Done, Problems, done, humanize, optional_id, outcome, word, words};
use super::lookup::{indented, tree};
use super::members::MemberForm;
use super::{DoneQuery, admin_only, layout, manager_of, path_id};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/teams", get(list))
        .route("/admin/teams/new", get(new).post(create))
        .route("/admin/teams/{id}", get(show).post(update))
}

/// The deepest indentation the tree shows (deeper teams line up with it).
const MAX_INDENT: usize = 5;

#[derive(Template)]
#[template(path = "admin_teams.html")]
struct TreePage {
    layout: Layout,
    teams: Vec<TreeLine>,
}

/// A team in the tree, in words.
struct TreeLine {
    id: TeamId,
    /// How deep in the tree (indents the name; capped by the stylesheet).
    depth: usize,
    name: String,
    slug: String,
    kind: String,
    provides: String,
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let teams = tree(state.app.list_teams(&viewer.principal).await?)
        .into_iter()
        .map(|(depth, team)| TreeLine {
            id: team.id,
            depth: depth.min(MAX_INDENT),
            kind: humanize(team.kind.as_str()),
            provides: if team.is_provider { humanize(team.assignment.as_str()) } else { String::new() },
            name: team.name,
            slug: team.slug,
        })
        .collect();
    Ok(html(&TreePage { layout: layout(&viewer, &done), teams }))
}

/// A team's settings as posted.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct TeamForm {
    slug: String,
    name: String,
    kind: String,
    parent_id: String,
    is_provider: bool,
    assignment: String,
}

impl TeamForm {
    fn of(team: &TeamView) -> TeamForm {
        TeamForm {
            slug: team.slug.clone(),
            name: team.name.clone(),
            kind: team.kind.to_string(),
            parent_id: team.parent_id.map(|parent| parent.to_string()).unwrap_or_default(),
            is_provider: team.is_provider,
            assignment: team.assignment.to_string(),
        }
    }

    fn read(&self, problems: &mut Problems) -> TeamInput {
        TeamInput {
            slug: self.slug.clone(),
            name: self.name.clone(),
            kind: word(problems, "kind", &self.kind).unwrap_or(TeamKind::Team),
            parent_id: optional_id(problems, "parent_id", &self.parent_id),
            is_provider: self.is_provider,
            assignment: word(problems, "assignment", &self.assignment).unwrap_or(Assignment::Queue),
        }
    }
}

/// What the team page's forms hold: fresh from the team, or as posted with their problems.
pub(super) struct Drafts {
    pub settings: TeamForm,
    pub settings_problems: Problems,
    pub member: MemberForm,
    pub member_problems: Problems,
}

impl Drafts {
    fn new(settings: TeamForm) -> Drafts {
        Drafts {
            settings,
            settings_problems: Problems::default(),
            member: MemberForm::fresh(),
            member_problems: Problems::default(),
        }
    }

    pub fn fresh(team: &TeamView) -> Drafts {
        Drafts::new(TeamForm::of(team))
    }
}

#[derive(Template)]
#[template(path = "admin_team.html")]
struct TeamPage {
    layout: Layout,
    /// `None` on the new-team form.
    team: Option<TeamView>,
    is_admin: bool,
    /// Only admins move a team in the tree (its kind and parent); leads see them read-only.
    can_move: bool,
    parent_name: String,
    form: TeamForm,
    problems: Problems,
    kinds: Vec<Choice>,
    parents: Vec<Choice>,
    assignments: Vec<Choice>,
    members: Vec<MemberLine>,
    member: MemberForm,
    member_problems: Problems,
    candidates: Vec<Choice>,
    roles: Vec<Choice>,
    services: Vec<ServiceView>,
}

/// A member's row, with their own role select.
struct MemberLine {
    person_id: PersonId,
    name: String,
    email: String,
    roles: Vec<Choice>,
    available: bool,
}

/// Enough employees for the "add a member" select; past it, people are added by email.
const CANDIDATES: u32 = 100;

/// Renders the team page (or the new-team form when `team` is `None`) with these drafts.
pub(super) async fn page(
    state: &AppState,
    viewer: &Viewer,
    layout: Layout,
    team: Option<TeamView>,
    drafts: Drafts,
) -> Result<Response, UiError> {
    let principal = &viewer.principal;
    let all = tree(state.app.list_teams(principal).await?);
    let myself = team.as_ref().map(|team| team.id);
    let form = drafts.settings;
    let parent_name = all
        .iter()
        .find(|(_, candidate)| candidate.id.to_string() == form.parent_id)
        .map(|(_, parent)| parent.name.clone())
        .unwrap_or_else(|| "None (top level)".to_owned());
    let parents = all
        .iter()
        .filter(|(_, candidate)| Some(candidate.id) != myself)
        .map(|(depth, candidate)| {
            let selected = candidate.id.to_string() == form.parent_id;
            Choice::new(candidate.id, indented(*depth, &candidate.name), selected)
        })
        .collect();
    let (mut members, mut candidates, mut services) = (Vec::new(), Vec::new(), Vec::new());
    if let Some(team) = &team {
        let current = state.app.list_members(principal, team.id).await?;
        let query = PersonQuery { kind: Some(PersonKind::Employee), ..PersonQuery::default() };
        let employees = state.app.list_people(principal, query, PageRequest { limit: Some(CANDIDATES), cursor: None });
        candidates = employees
            .await?
            .items
            .into_iter()
            .filter(|person| !current.iter().any(|member| member.person_id == person.id))
            .map(|person| {
                let label = format!("{} ({})", person.name, person.email);
                Choice::new(person.id, label, person.id.to_string() == drafts.member.person_id)
            })
            .collect();
        members = current
            .into_iter()
            .map(|member| MemberLine {
                person_id: member.person_id,
                name: member.name,
                email: member.email,
                roles: words(TeamRole::ALL, member.role.as_str()),
                available: member.available,
            })
            .collect();
        let query = ServiceQuery { team_id: Some(team.id), ..ServiceQuery::default() };
        services = state.app.list_services(principal, query).await?;
    }
    let page = TeamPage {
        layout,
        is_admin: principal.is_admin,
        can_move: principal.is_admin,
        parent_name,
        kinds: words(TeamKind::ALL, &form.kind),
        assignments: words(Assignment::ALL, &form.assignment),
        parents,
        form,
        problems: drafts.settings_problems,
        members,
        roles: words(TeamRole::ALL, &drafts.member.role),
        member: drafts.member,
        member_problems: drafts.member_problems,
        candidates,
        services,
        team,
    };
    let status = if page.problems.is_empty() { page.member_problems.status() } else { page.problems.status() };
    Ok((status, html(&page)).into_response())
}

async fn new(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let form = TeamForm {
        kind: TeamKind::Team.to_string(),
        assignment: Assignment::Queue.to_string(),
        is_provider: true,
        ..TeamForm::default()
    };
    page(&state, &viewer, layout(&viewer, &DoneQuery::default()), None, Drafts::new(form)).await
}

async fn create(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<TeamForm>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let mut problems = Problems::default();
    let input = form.read(&mut problems);
    if problems.is_empty() {
        match outcome(state.app.create_team(&viewer.principal, input, crate::now()).await)? {
            Ok(team) => return Ok(done(&format!("/admin/teams/{}", team.id), Done::Created)),
            Err(refused) => problems = refused,
        }
    }
    let drafts = Drafts { settings_problems: problems, ..Drafts::new(form) };
    page(&state, &viewer, layout(&viewer, &DoneQuery::default()), None, drafts).await
}

/// Loads a team for its page: not found for anyone who does not manage it.
pub(super) async fn managed_team(state: &AppState, viewer: &Viewer, raw_id: &str) -> Result<TeamView, UiError> {
    let id: TeamId = path_id(raw_id)?;
    manager_of(viewer, id)?;
    Ok(state.app.get_team(&viewer.principal, id).await?)
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    let team = managed_team(&state, &viewer, &id).await?;
    let drafts = Drafts::fresh(&team);
    page(&state, &viewer, layout(&viewer, &done), Some(team), drafts).await
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<TeamForm>,
) -> Result<Response, UiError> {
    let team = managed_team(&state, &viewer, &id).await?;
    let mut problems = Problems::default();
    let input = form.read(&mut problems);
    if problems.is_empty() {
        match outcome(state.app.update_team(&viewer.principal, team.id, input, crate::now()).await)? {
            Ok(saved) => return Ok(done(&format!("/admin/teams/{}", saved.id), Done::Saved)),
            Err(refused) => problems = refused,
        }
    }
    let drafts = Drafts { settings_problems: problems, ..Drafts::new(form) };
    page(&state, &viewer, layout(&viewer, &DoneQuery::default()), Some(team), drafts).await
}
