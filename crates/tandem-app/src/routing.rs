//! Routing rules: managed by admins, applied to every new ticket in order (first match wins).

use serde::{Deserialize, Serialize};
use tandem_domain::routing::{RoutingFacts, first_match};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{Millis, Principal, RuleActions, RuleConditions, RuleId};
use tandem_store::routing_rules::{self, RuleFields, RuleRow};
use tandem_store::{Conn, teams};

use crate::directory::{require_admin, require_staff};
use crate::{App, AppError, Instant, instant};

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleInput {
    pub name: String,
    /// Lower positions are evaluated first; defaults to after every existing rule.
    pub position: Option<i64>,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub conditions: RuleConditions,
    pub actions: RuleActions,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RuleView {
    pub id: RuleId,
    pub position: i64,
    pub name: String,
    pub enabled: bool,
    pub conditions: RuleConditions,
    pub actions: RuleActions,
    pub version: i64,
    pub created_at: Instant,
    pub updated_at: Instant,
}

impl From<RuleRow> for RuleView {
    fn from(row: RuleRow) -> Self {
        RuleView {
            id: row.id,
            position: row.position,
            name: row.name,
            enabled: row.enabled,
            conditions: row.conditions.0,
            actions: row.actions.0,
            version: row.version,
            created_at: instant(row.created_at),
            updated_at: instant(row.updated_at),
        }
    }
}

impl App {
    pub async fn create_rule(
        &self,
        principal: &Principal,
        input: RuleInput,
        now: Millis,
    ) -> Result<RuleView, AppError> {
        require_admin(principal)?;
        let mut tx = self.store().begin().await?;
        let position = match input.position {
            Some(position) => position,
            None => routing_rules::list(tx.conn(), false).await?.last().map_or(10, |rule| rule.position + 10),
        };
        let fields = check(tx.conn(), input, position).await?;
        let row = routing_rules::insert(tx.conn(), &fields, now).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    pub async fn update_rule(
        &self,
        principal: &Principal,
        id: RuleId,
        expected_version: i64,
        input: RuleInput,
        now: Millis,
    ) -> Result<RuleView, AppError> {
        require_staff(principal, "routing rule")?;
        require_admin(principal)?;
        let mut tx = self.store().begin().await?;
        let current = routing_rules::get(tx.conn(), id).await?.ok_or(AppError::NotFound("routing rule"))?;
        let position = input.position.unwrap_or(current.position);
        let fields = check(tx.conn(), input, position).await?;
        let row = routing_rules::update(tx.conn(), id, expected_version, &fields, now).await?;
        let row = row.ok_or_else(|| AppError::version_conflict("routing rule"))?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Customers cannot see rules, so to them a rule to change or delete does not exist.
    pub async fn delete_rule(&self, principal: &Principal, id: RuleId) -> Result<(), AppError> {
        require_staff(principal, "routing rule")?;
        require_admin(principal)?;
        let mut tx = self.store().begin().await?;
        if !routing_rules::delete(tx.conn(), id).await? {
            return Err(AppError::NotFound("routing rule"));
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn list_rules(&self, principal: &Principal) -> Result<Vec<RuleView>, AppError> {
        require_staff(principal, "routing rules")?;
        let mut reader = self.store().read().await?;
        Ok(routing_rules::list(reader.conn(), false).await?.into_iter().map(RuleView::from).collect())
    }
}

/// The first enabled rule that matches a new ticket.
pub(crate) async fn route(conn: Conn<'_>, facts: &RoutingFacts<'_>) -> Result<Option<RuleRow>, AppError> {
    let rules = routing_rules::list(conn, true).await?;
    Ok(first_match(&rules, |rule| &rule.conditions.0, facts).cloned())
}

async fn check(mut conn: Conn<'_>, input: RuleInput, position: i64) -> Result<RuleFields, AppError> {
    let mut errors = FieldErrors::new();
    let name = validate::required_line(&mut errors, "name", &input.name, 200);
    input.conditions.check(&mut errors);
    input.actions.check(&mut errors);
    let mut actions = input.actions;
    actions.add_tags = tandem_domain::tags::normalize(&mut errors, "actions.add_tags", &actions.add_tags);
    if let Some(team) = actions.team_id {
        match teams::get(conn.reborrow(), team).await? {
            Some(row) if row.is_provider => {}
            _ => errors.add("actions.team_id", "must be a provider team"),
        }
        if let Some(assignee) = actions.assignee_id
            && !teams::is_member(conn.reborrow(), team, assignee).await?
        {
            errors.add("actions.assignee_id", "must be a member of actions.team_id");
        }
    }
    errors.into_result()?;
    Ok(RuleFields { position, name, enabled: input.enabled, conditions: input.conditions, actions })
}
