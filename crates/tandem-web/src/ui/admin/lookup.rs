//! Directory look-ups the admin pages share: a person by email (forms ask for an email, the app
//! wants an id), every customer organization for a select, and the team tree in reading order.

use std::collections::{BTreeMap, HashSet};

use tandem_app::PageRequest;
use tandem_app::directory::organizations::OrganizationView;
use tandem_app::directory::people::{PersonQuery, PersonView};
use tandem_app::directory::teams::TeamView;
use tandem_domain::TeamId;

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
