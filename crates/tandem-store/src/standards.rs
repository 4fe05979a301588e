//! Calendars and service standards: written by admins, read on every ticket write (a handful of
//! rows, ordered by position) to find the standard that applies.

use tandem_domain::calendar::CalendarDef;
use tandem_domain::standard::{Escalations, StandardConditions, Targets};
use tandem_domain::{CalendarId, Millis, StandardId};

use crate::json::{JsonText, to_text};
use crate::{Conn, StoreError, on_conn};

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct CalendarRow {
    pub id: CalendarId,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub definition: JsonText<CalendarDef>,
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct StandardRow {
    pub id: StandardId,
    pub position: i64,
    pub name: String,
    pub enabled: bool,
    #[sqlx(try_from = "String")]
    pub conditions: JsonText<StandardConditions>,
    pub calendar_id: CalendarId,
    pub first_response_minutes: Option<i64>,
    pub next_response_minutes: Option<i64>,
    pub resolution_minutes: Option<i64>,
    pub warn_at_percent: i64,
    #[sqlx(try_from = "String")]
    pub escalations: JsonText<Escalations>,
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
}

impl StandardRow {
    pub fn targets(&self) -> Targets {
        Targets {
            first_response_minutes: self.first_response_minutes,
            next_response_minutes: self.next_response_minutes,
            resolution_minutes: self.resolution_minutes,
        }
    }
}

/// A standard's writable fields.
#[derive(Clone, Debug, PartialEq)]
pub struct StandardFields {
    pub position: i64,
    pub name: String,
    pub enabled: bool,
    pub conditions: StandardConditions,
    pub calendar_id: CalendarId,
    pub targets: Targets,
    pub warn_at_percent: i64,
    pub escalations: Escalations,
}

pub async fn insert_calendar(
    conn: Conn<'_>,
    name: &str,
    definition: &CalendarDef,
    now: Millis,
) -> Result<CalendarRow, StoreError> {
    const SQL: &str = "INSERT INTO calendars (name, definition, version, created_at, updated_at) \
         VALUES ($1, $2, 1, $3, $3) RETURNING id, name, definition, version, created_at, updated_at";
    let definition = to_text(definition)?;
    Ok(
        on_conn!(conn, c => sqlx::query_as::<_, CalendarRow>(SQL).bind(name).bind(&definition).bind(now).fetch_one(&mut *c).await)?,
    )
}

pub async fn get_calendar(conn: Conn<'_>, id: CalendarId) -> Result<Option<CalendarRow>, StoreError> {
    const SQL: &str = "SELECT id, name, definition, version, created_at, updated_at FROM calendars WHERE id = $1";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, CalendarRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Every calendar, by name (an organization has a few).
pub async fn list_calendars(conn: Conn<'_>) -> Result<Vec<CalendarRow>, StoreError> {
    const SQL: &str = "SELECT id, name, definition, version, created_at, updated_at FROM calendars ORDER BY name, id";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, CalendarRow>(SQL).fetch_all(&mut *c).await)?)
}

macro_rules! standard_columns {
    () => {
        "id, position, name, enabled, conditions, calendar_id, first_response_minutes, next_response_minutes, \
         resolution_minutes, warn_at_percent, escalations, version, created_at, updated_at"
    };
}

pub async fn insert_standard(conn: Conn<'_>, fields: &StandardFields, now: Millis) -> Result<StandardRow, StoreError> {
    const SQL: &str = concat!(
        "INSERT INTO standards (position, name, enabled, conditions, calendar_id, first_response_minutes, \
         next_response_minutes, resolution_minutes, warn_at_percent, escalations, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING ",
        standard_columns!()
    );
    let conditions = to_text(&fields.conditions)?;
    let escalations = to_text(&fields.escalations)?;
    let targets = fields.targets;
    Ok(on_conn!(conn, c => sqlx::query_as::<_, StandardRow>(SQL)
        .bind(fields.position).bind(&fields.name).bind(fields.enabled).bind(&conditions).bind(fields.calendar_id)
        .bind(targets.first_response_minutes).bind(targets.next_response_minutes).bind(targets.resolution_minutes)
        .bind(fields.warn_at_percent).bind(&escalations).bind(now).fetch_one(&mut *c).await)?)
}

/// Standards in the order they are tried; `enabled_only` for matching.
pub async fn list_standards(conn: Conn<'_>, enabled_only: bool) -> Result<Vec<StandardRow>, StoreError> {
    const SQL: &str =
        concat!("SELECT ", standard_columns!(), " FROM standards WHERE enabled OR NOT $1 ORDER BY position, id");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, StandardRow>(SQL).bind(enabled_only).fetch_all(&mut *c).await)?)
}

pub async fn get_standard(conn: Conn<'_>, id: StandardId) -> Result<Option<StandardRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", standard_columns!(), " FROM standards WHERE id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, StandardRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Replaces a calendar at `expected_version`; `None` when it is gone or the version is stale.
pub async fn update_calendar(
    conn: Conn<'_>,
    id: CalendarId,
    expected_version: i64,
    name: &str,
    definition: &CalendarDef,
    now: Millis,
) -> Result<Option<CalendarRow>, StoreError> {
    const SQL: &str = "UPDATE calendars SET name = $3, definition = $4, version = version + 1, updated_at = $5 \
         WHERE id = $1 AND version = $2 RETURNING id, name, definition, version, created_at, updated_at";
    let definition = to_text(definition)?;
    Ok(on_conn!(conn, c => sqlx::query_as::<_, CalendarRow>(SQL)
        .bind(id).bind(expected_version).bind(name).bind(&definition).bind(now).fetch_optional(&mut *c).await)?)
}

/// Replaces a standard at `expected_version`; `None` when it is gone or the version is stale.
pub async fn update_standard(
    conn: Conn<'_>,
    id: StandardId,
    expected_version: i64,
    fields: &StandardFields,
    now: Millis,
) -> Result<Option<StandardRow>, StoreError> {
    const SQL: &str = concat!(
        "UPDATE standards SET position = $3, name = $4, enabled = $5, conditions = $6, calendar_id = $7, \
         first_response_minutes = $8, next_response_minutes = $9, resolution_minutes = $10, warn_at_percent = $11, \
         escalations = $12, version = version + 1, updated_at = $13 WHERE id = $1 AND version = $2 RETURNING ",
        standard_columns!()
    );
    let conditions = to_text(&fields.conditions)?;
    let escalations = to_text(&fields.escalations)?;
    let targets = fields.targets;
    Ok(on_conn!(conn, c => sqlx::query_as::<_, StandardRow>(SQL)
        .bind(id).bind(expected_version).bind(fields.position).bind(&fields.name).bind(fields.enabled)
        .bind(&conditions).bind(fields.calendar_id).bind(targets.first_response_minutes)
        .bind(targets.next_response_minutes).bind(targets.resolution_minutes).bind(fields.warn_at_percent)
        .bind(&escalations).bind(now).fetch_optional(&mut *c).await)?)
}
