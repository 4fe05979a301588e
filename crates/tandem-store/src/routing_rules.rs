//! Routing rules, kept in the order they are evaluated.

use tandem_domain::{Millis, RuleActions, RuleConditions, RuleId};

use crate::json::{JsonText, to_text};
use crate::{Conn, StoreError, on_conn};

macro_rules! columns {
    () => {
        "id, position, name, enabled, conditions, actions, version, created_at, updated_at"
    };
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct RuleRow {
    pub id: RuleId,
    pub position: i64,
    pub name: String,
    pub enabled: bool,
    #[sqlx(try_from = "String")]
    pub conditions: JsonText<RuleConditions>,
    #[sqlx(try_from = "String")]
    pub actions: JsonText<RuleActions>,
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RuleFields {
    pub position: i64,
    pub name: String,
    pub enabled: bool,
    pub conditions: RuleConditions,
    pub actions: RuleActions,
}

pub async fn insert(conn: Conn<'_>, rule: &RuleFields, now: Millis) -> Result<RuleRow, StoreError> {
    const SQL: &str = concat!(
        "INSERT INTO routing_rules (position, name, enabled, conditions, actions, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING ",
        columns!()
    );
    let (conditions, actions) = (to_text(&rule.conditions)?, to_text(&rule.actions)?);
    Ok(on_conn!(conn, c => sqlx::query_as::<_, RuleRow>(SQL)
        .bind(rule.position).bind(&rule.name).bind(rule.enabled).bind(&conditions).bind(&actions).bind(now)
        .fetch_one(&mut *c).await)?)
}

pub async fn update(
    conn: Conn<'_>,
    id: RuleId,
    expected_version: i64,
    rule: &RuleFields,
    now: Millis,
) -> Result<Option<RuleRow>, StoreError> {
    const SQL: &str = concat!(
        "UPDATE routing_rules SET position = $3, name = $4, enabled = $5, conditions = $6, actions = $7, \
         version = version + 1, updated_at = $8 WHERE id = $1 AND version = $2 RETURNING ",
        columns!()
    );
    let (conditions, actions) = (to_text(&rule.conditions)?, to_text(&rule.actions)?);
    Ok(on_conn!(conn, c => sqlx::query_as::<_, RuleRow>(SQL)
        .bind(id).bind(expected_version).bind(rule.position).bind(&rule.name).bind(rule.enabled)
        .bind(&conditions).bind(&actions).bind(now).fetch_optional(&mut *c).await)?)
}

pub async fn delete(conn: Conn<'_>, id: RuleId) -> Result<bool, StoreError> {
    const SQL: &str = "DELETE FROM routing_rules WHERE id = $1";
    let deleted =
        on_conn!(conn, c => sqlx::query(SQL).bind(id).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(deleted == 1)
}

pub async fn get(conn: Conn<'_>, id: RuleId) -> Result<Option<RuleRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM routing_rules WHERE id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, RuleRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// All rules in evaluation order (bounded: rules are written by people, not generated).
pub async fn list(conn: Conn<'_>, enabled_only: bool) -> Result<Vec<RuleRow>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        columns!(),
        " FROM routing_rules WHERE ($1 = FALSE OR enabled = TRUE) ORDER BY position, id LIMIT 1000"
    );
    Ok(on_conn!(conn, c => sqlx::query_as::<_, RuleRow>(SQL).bind(enabled_only).fetch_all(&mut *c).await)?)
}
