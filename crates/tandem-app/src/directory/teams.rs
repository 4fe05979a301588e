//! Teams and departments: one tree. A team can provide services and be a customer of others;
//! its members are agents or leads.

use serde::{Deserialize, Serialize};
use tandem_domain::person::Assignment;
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{Millis, PersonId, PersonKind, Principal, TeamId, TeamKind, TeamRole};
use tandem_store::teams::{self, MemberRow, TeamFields, TeamRow};
use tandem_store::{Conn, StoreError, people};

use super::{require_admin, require_staff};
use crate::{App, AppError, Instant, instant};

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamInput {
    /// Short name used in URLs and mail addresses (`care`, `it`).
    pub slug: String,
    pub name: String,
    pub kind: TeamKind,
    pub parent_id: Option<TeamId>,
    /// Whether the team offers services (has a queue).
    #[serde(default)]
    pub is_provider: bool,
    /// `queue` leaves new tickets for agents to take; `round_robin` assigns them in turn.
    #[serde(default = "default_assignment")]
    pub assignment: Assignment,
}

fn default_assignment() -> Assignment {
    Assignment::Queue
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TeamView {
    pub id: TeamId,
    pub slug: String,
    pub name: String,
    pub kind: TeamKind,
    pub parent_id: Option<TeamId>,
    pub is_provider: bool,
    pub assignment: Assignment,
    pub created_at: Instant,
    pub updated_at: Instant,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    pub role: TeamRole,
    /// Available members receive round-robin assignments.
    #[serde(default = "yes")]
    pub available: bool,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MemberView {
    pub person_id: PersonId,
    pub name: String,
    pub email: String,
    pub role: TeamRole,
    pub available: bool,
}

impl From<TeamRow> for TeamView {
    fn from(row: TeamRow) -> Self {
        TeamView {
            id: row.id,
            slug: row.slug,
            name: row.name,
            kind: row.kind,
            parent_id: row.parent_id,
            is_provider: row.is_provider,
            assignment: row.assignment,
            created_at: instant(row.created_at),
            updated_at: instant(row.updated_at),
        }
    }
}

impl From<MemberRow> for MemberView {
    fn from(row: MemberRow) -> Self {
        MemberView {
            person_id: row.person_id,
            name: row.name,
            email: row.email,
            role: row.role,
            available: row.available,
        }
    }
}

impl App {
    pub async fn create_team(
        &self,
        principal: &Principal,
        input: TeamInput,
        now: Millis,
    ) -> Result<TeamView, AppError> {
        require_admin(principal)?;
        let fields = check(input)?;
        let mut tx = self.store().begin().await?;
        check_parent(tx.conn(), fields.parent_id, None).await?;
        let row = teams::insert(tx.conn(), &fields, now).await.map_err(slug_taken)?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Admins change anything; a lead changes their own team except its place in the tree.
    pub async fn update_team(
        &self,
        principal: &Principal,
        id: TeamId,
        input: TeamInput,
        now: Millis,
    ) -> Result<TeamView, AppError> {
        require_staff(principal, "team")?;
        let fields = check(input)?;
        let mut tx = self.store().begin().await?;
        let current = teams::get(tx.conn(), id).await?.ok_or(AppError::NotFound("team"))?;
        if !principal.manages(id) {
            return Err(AppError::forbidden("only the team's lead or an admin may change it"));
        }
        if !principal.is_admin && (fields.parent_id != current.parent_id || fields.kind != current.kind) {
            return Err(AppError::forbidden("only an admin may move a team in the tree"));
        }
        check_parent(tx.conn(), fields.parent_id, Some(id)).await?;
        let row =
            teams::update(tx.conn(), id, &fields, now).await.map_err(slug_taken)?.ok_or(AppError::NotFound("team"))?;
        tx.commit().await?;
        Ok(row.into())
    }

    pub async fn get_team(&self, principal: &Principal, id: TeamId) -> Result<TeamView, AppError> {
        require_staff(principal, "team")?;
        let mut reader = self.store().read().await?;
        Ok(teams::get(reader.conn(), id).await?.ok_or(AppError::NotFound("team"))?.into())
    }

    pub async fn list_teams(&self, principal: &Principal) -> Result<Vec<TeamView>, AppError> {
        require_staff(principal, "teams")?;
        let mut reader = self.store().read().await?;
        Ok(teams::list(reader.conn()).await?.into_iter().map(TeamView::from).collect())
    }

    pub async fn list_members(&self, principal: &Principal, team: TeamId) -> Result<Vec<MemberView>, AppError> {
        require_staff(principal, "team")?;
        let mut reader = self.store().read().await?;
        teams::get(reader.conn(), team).await?.ok_or(AppError::NotFound("team"))?;
        Ok(teams::members(reader.conn(), team).await?.into_iter().map(MemberView::from).collect())
    }

    /// Adds an employee to a team (or changes their role and availability). Only employees can
    /// be agents; an employee who is an agent stays one person with both faces.
    pub async fn put_member(
        &self,
        principal: &Principal,
        team: TeamId,
        person: PersonId,
        input: MemberInput,
    ) -> Result<MemberView, AppError> {
        require_staff(principal, "team")?;
        let mut tx = self.store().begin().await?;
        teams::get(tx.conn(), team).await?.ok_or(AppError::NotFound("team"))?;
        if !principal.manages(team) {
            return Err(AppError::forbidden("only the team's lead or an admin may change its members"));
        }
        let row = people::get(tx.conn(), person).await?.ok_or(AppError::NotFound("person"))?;
        if row.fields.kind != PersonKind::Employee {
            return Err(AppError::invalid("person_id", "only employees can be members of a team"));
        }
        teams::upsert_member(tx.conn(), team, person, input.role, input.available).await?;
        tx.commit().await?;
        Ok(MemberView {
            person_id: person,
            name: row.fields.name,
            email: row.fields.email,
            role: input.role,
            available: input.available,
        })
    }

    pub async fn remove_member(&self, principal: &Principal, team: TeamId, person: PersonId) -> Result<(), AppError> {
        require_staff(principal, "team")?;
        let mut tx = self.store().begin().await?;
        teams::get(tx.conn(), team).await?.ok_or(AppError::NotFound("team"))?;
        if !principal.manages(team) {
            return Err(AppError::forbidden("only the team's lead or an admin may change its members"));
        }
        if !teams::remove_member(tx.conn(), team, person).await? {
            return Err(AppError::NotFound("member"));
        }
        tx.commit().await?;
        Ok(())
    }
}

fn check(input: TeamInput) -> Result<TeamFields, AppError> {
    let mut errors = FieldErrors::new();
    let slug = validate::slug(&mut errors, "slug", &input.slug);
    let name = validate::required_line(&mut errors, "name", &input.name, 200);
    errors.into_result()?;
    Ok(TeamFields {
        slug,
        name,
        kind: input.kind,
        parent_id: input.parent_id,
        is_provider: input.is_provider,
        assignment: input.assignment,
    })
}

/// The parent must exist and must not be the team itself or one of its descendants.
async fn check_parent(mut conn: Conn<'_>, parent: Option<TeamId>, myself: Option<TeamId>) -> Result<(), AppError> {
    let Some(parent) = parent else { return Ok(()) };
    if teams::get(conn.reborrow(), parent).await?.is_none() {
        return Err(AppError::invalid("parent_id", "no such team or department"));
    }
    if let Some(myself) = myself {
        let above_parent = teams::ancestors(conn, parent).await?;
        if parent == myself || above_parent.contains(&myself) {
            return Err(AppError::invalid("parent_id", "a team cannot sit below itself"));
        }
    }
    Ok(())
}

fn slug_taken(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict(_) => AppError::conflict("slug_taken", "a team with this slug already exists"),
        other => other.into(),
    }
}
