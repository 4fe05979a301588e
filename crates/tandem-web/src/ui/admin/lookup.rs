//! Directory look-ups the admin pages share: a person by email (forms ask for an email, the app
//! wants an id), every customer organization for a select, the team tree in reading order, and
//! the checkbox groups of services and organizations that rules and standards both offer, and
//! the names of what their conditions point at, for their lists.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hash;

use tandem_app::PageRequest;
use tandem_app::catalog::ServiceQuery;
use tandem_app::directory::organizations::OrganizationView;
use tandem_app::directory::people::{PersonQuery, PersonView};
use tandem_app::directory::teams::TeamView;
use tandem_domain::{OrganizationId, ServiceId, TeamId};

use super::forms::Choice;
use crate::state::AppState;
use crate::ui::UiError;
use crate::ui::session::Viewer;

/// The person with exactly this email, if there is one.
pub async fn person_by_email(state: &AppState, viewer: &Viewer, email: &str) -> Result<Option<PersonView>, UiError> {
    let email = email.trim().to_lowercase();
    let query = PersonQuery { q: Some(email.clone()), ..PersonQuery::default() };
    // The search matches the start of an email, so the exact address is among the first few.
    let page = PageRequest { limit: Some(20), cursor: None };
    let people = state.app.list_people(&viewer.principal, query, page).await?;
    Ok(people.items.into_iter().find(|person| person.email == email))
}

/// Enough organizations for a select (past it, the first thousand by name are offered).
const MAX_ORGANIZATIONS: usize = 1_000;

/// Every customer organization, by name.
pub async fn organizations(state: &AppState, viewer: &Viewer) -> Result<Vec<OrganizationView>, UiError> {
    let mut all = Vec::new();
    let mut cursor = None;
    loop {
        let page = PageRequest { limit: Some(100), cursor };
        let page = state.app.list_organizations(&viewer.principal, page).await?;
        all.extend(page.items);
        cursor = page.next_cursor;
        if cursor.is_none() || all.len() >= MAX_ORGANIZATIONS {
            return Ok(all);
        }
    }
}

/// The teams as a tree read top to bottom: each with its depth, parents before their children,
/// siblings by name. A team whose parent is missing is shown at the top, and one the walk cannot
/// reach (a loop the app should never have let in) at the end rather than not at all.
pub fn tree(teams: Vec<TeamView>) -> Vec<(usize, TeamView)> {
    let ids: HashSet<TeamId> = teams.iter().map(|team| team.id).collect();
    let mut children: BTreeMap<Option<TeamId>, Vec<TeamView>> = BTreeMap::new();
    for team in teams {
        let parent = team.parent_id.filter(|parent| ids.contains(parent));
        children.entry(parent).or_default().push(team);
    }
    for siblings in children.values_mut() {
        siblings.sort_by_key(|team| team.name.to_lowercase());
    }
    let mut ordered = Vec::new();
    let mut stack: Vec<(usize, TeamView)> =
        children.remove(&None).unwrap_or_default().into_iter().rev().map(|team| (0, team)).collect();
    while let Some((depth, team)) = stack.pop() {
        let below = children.remove(&Some(team.id)).unwrap_or_default();
        stack.extend(below.into_iter().rev().map(|child| (depth + 1, child)));
        ordered.push((depth, team));
    }
    ordered.extend(children.into_values().flatten().map(|team| (0, team)));
    ordered
}

/// A team's name indented by its depth, for selects (which cannot be styled per option).
pub fn indented(depth: usize, name: &str) -> String {
    format!("{}{name}", "— ".repeat(depth))
}

/// Every service as a checkbox, those whose ids are in `ticked` ticked.
pub async fn service_choices(state: &AppState, viewer: &Viewer, ticked: &[String]) -> Result<Vec<Choice>, UiError> {
    let services = state.app.list_services(&viewer.principal, ServiceQuery::default()).await?;
    Ok(services
        .into_iter()
        .map(|service| Choice::new(service.id, service.name, ticked.contains(&service.id.to_string())))
        .collect())
}

/// Every customer organization as a checkbox, those whose ids are in `ticked` ticked.
pub async fn organization_choices(
    state: &AppState,
    viewer: &Viewer,
    ticked: &[String],
) -> Result<Vec<Choice>, UiError> {
    Ok(organizations(state, viewer)
        .await?
        .into_iter()
        .map(|org| Choice::new(org.id, org.name, ticked.contains(&org.id.to_string())))
        .collect())
}

/// The names of these ids, "a or b"; an id that names nothing any more is "(removed)".
pub fn name_of<Id: Eq + Hash>(names: &HashMap<Id, String>, ids: &[Id]) -> String {
    let named: Vec<&str> = ids.iter().map(|id| names.get(id).map_or("(removed)", String::as_str)).collect();
    named.join(" or ")
}

/// The names of the services, teams and organizations that rules and standards point at.
pub struct Names {
    services: HashMap<ServiceId, String>,
    teams: HashMap<TeamId, String>,
    organizations: HashMap<OrganizationId, String>,
}

impl Names {
    pub async fn load(state: &AppState, viewer: &Viewer) -> Result<Names, UiError> {
        let principal = &viewer.principal;
        let services = state.app.list_services(principal, ServiceQuery::default()).await?;
        Ok(Names {
            services: services.into_iter().map(|service| (service.id, service.name)).collect(),
            teams: state.app.list_teams(principal).await?.into_iter().map(|team| (team.id, team.name)).collect(),
            organizations: organizations(state, viewer).await?.into_iter().map(|org| (org.id, org.name)).collect(),
        })
    }

    pub fn services(&self, ids: &[ServiceId]) -> String {
        name_of(&self.services, ids)
    }

    pub fn teams(&self, ids: &[TeamId]) -> String {
        name_of(&self.teams, ids)
    }

    pub fn organizations(&self, ids: &[OrganizationId]) -> String {
        name_of(&self.organizations, ids)
    }
}
