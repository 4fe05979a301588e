//! A team's members, changed from the team's page: add an employee (picked from the list or typed
//! by email) as agent or lead, change a member's role and availability, remove a member.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;
use tandem_app::directory::teams::MemberInput;
use tandem_domain::{PersonId, TeamRole};

use super::forms::{Confirm, Done, Problems, done, optional_id, outcome, word};
use super::lookup::person_by_email;
use super::teams::{Drafts, managed_team, page};
use super::{DoneQuery, layout, path_id};
use crate::state::AppState;
use crate::ui::UiError;
use crate::ui::session::{VerifiedForm, Viewer};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/teams/{id}/members", post(add))
        .route("/admin/teams/{id}/members/{person}", post(change))
        .route("/admin/teams/{id}/members/{person}/remove", post(remove))
}

/// The "add a member" form as posted.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct MemberForm {
    /// Picked from the list of employees…
    pub person_id: String,
    /// …or typed, which wins when both are given.
    pub email: String,
    pub role: String,
    pub available: bool,
}

impl MemberForm {
    /// A new member works the queue and takes round-robin turns unless told otherwise.
    pub fn fresh() -> MemberForm {
        MemberForm { role: TeamRole::Agent.to_string(), available: true, ..MemberForm::default() }
    }

    async fn person(
        &self,
        state: &AppState,
        viewer: &Viewer,
        problems: &mut Problems,
    ) -> Result<Option<PersonId>, UiError> {
        if !self.email.trim().is_empty() {
            let found = person_by_email(state, viewer, &self.email).await?;
            if found.is_none() {
                problems.add("person", "nobody in the directory has this email");
            }
            return Ok(found.map(|person| person.id));
        }
        let picked = optional_id(problems, "person", &self.person_id);
        if picked.is_none() && problems.is_empty() {
            problems.add("person", "pick an employee or type their email");
        }
        Ok(picked)
    }
}

async fn add(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<MemberForm>,
) -> Result<Response, UiError> {
    let team = managed_team(&state, &viewer, &id).await?;
    let mut problems = Problems::default();
    let person = form.person(&state, &viewer, &mut problems).await?;
    let role = word::<TeamRole>(&mut problems, "role", &form.role);
    if let (Some(person), Some(role)) = (person, role)
        && problems.is_empty()
    {
        let input = MemberInput { role, available: form.available };
        match outcome(state.app.put_member(&viewer.principal, team.id, person, input).await)? {
            Ok(_) => return Ok(done(&format!("/admin/teams/{}", team.id), Done::Added)),
            Err(refused) => problems = refused,
        }
    }
    problems.rename(|field| (field == "person_id").then(|| "person".to_owned()));
    let drafts = Drafts { member: form, member_problems: problems, ..Drafts::fresh(&team) };
    page(&state, &viewer, layout(&viewer, &DoneQuery::default()), Some(team), drafts).await
}

/// One member's row as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MemberChange {
    role: String,
    available: bool,
}

async fn change(
    State(state): State<AppState>,
    Path((id, person)): Path<(String, String)>,
    VerifiedForm { viewer, form }: VerifiedForm<MemberChange>,
) -> Result<Response, UiError> {
    let team = managed_team(&state, &viewer, &id).await?;
    let role = form.role.parse::<TeamRole>().map_err(|error| UiError::BadRequest(error.to_string()))?;
    let input = MemberInput { role, available: form.available };
    state.app.put_member(&viewer.principal, team.id, path_id(&person)?, input).await?;
    Ok(done(&format!("/admin/teams/{}", team.id), Done::Saved))
}

async fn remove(
    State(state): State<AppState>,
    Path((id, person)): Path<(String, String)>,
    VerifiedForm { viewer, .. }: VerifiedForm<Confirm>,
) -> Result<Response, UiError> {
    let team = managed_team(&state, &viewer, &id).await?;
    state.app.remove_member(&viewer.principal, team.id, path_id(&person)?).await?;
    Ok(done(&format!("/admin/teams/{}", team.id), Done::Removed))
}
