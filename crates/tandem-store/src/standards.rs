//! Calendars and service standards: written by admins, read on every ticket write (a handful of
//! rows, ordered by position) to find the standard that applies. Every write here also moves the
//! single `standards_version` row in the same transaction, so a node's in-memory copy of the
//! standards is checked with one primary-key read ([`version`]) before each use. Deleting keeps a
//! tombstone (`deleted_at`): clocks already measured keep naming the standard they were measured
//! against; a tombstone is never listed, edited or applied.

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
    pub deleted_at: Option<Millis>,
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
    /// Internal requests serving another ticket: cap the resolution target at the time that
    /// ticket had left when the request was linked.
    pub derive_from_served: bool,
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub deleted_at: Option<Millis>,
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
    pub derive_from_served: bool,
}

/// Where the calendars and standards stand: `version` moves with every write to either table (in
/// its transaction); `instance` is drawn once per database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StandardsVersion {
    pub instance: i64,
    pub version: i64,
}

/// The current [`StandardsVersion`]: one primary-key read.
pub async fn version(conn: Conn<'_>) -> Result<StandardsVersion, StoreError> {
    const SQL: &str = "SELECT instance, version FROM standards_version WHERE id = 1";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, StandardsVersion>(SQL).fetch_one(&mut *c).await)?)
}

/// Moves the version, in the transaction of a write to calendars or standards. The row's lock is
/// held until commit, so admin writes queue behind each other; ticket writes only read it.
async fn bump_version(conn: Conn<'_>) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE standards_version SET version = version + 1 WHERE id = 1";
    on_conn!(conn, c => sqlx::query(SQL).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

macro_rules! calendar_columns {
    () => {
        "id, name, definition, version, created_at, updated_at, deleted_at"
    };
}

pub async fn insert_calendar(
    mut conn: Conn<'_>,
    name: &str,
    definition: &CalendarDef,
    now: Millis,
) -> Result<CalendarRow, StoreError> {
    const SQL: &str = concat!(
        "INSERT INTO calendars (name, definition, version, created_at, updated_at) VALUES ($1, $2, 1, $3, $3) RETURNING ",
        calendar_columns!()
    );
    let definition = to_text(definition)?;
    let row = on_conn!(conn.reborrow(), c => sqlx::query_as::<_, CalendarRow>(SQL).bind(name).bind(&definition).bind(now).fetch_one(&mut *c).await)?;
    bump_version(conn).await?;
    Ok(row)
}

/// A calendar by id, deleted or not (a deleted standard's clocks may still need its hours).
pub async fn get_calendar(conn: Conn<'_>, id: CalendarId) -> Result<Option<CalendarRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", calendar_columns!(), " FROM calendars WHERE id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, CalendarRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Every calendar not deleted, by name (an organization has a few).
pub async fn list_calendars(conn: Conn<'_>) -> Result<Vec<CalendarRow>, StoreError> {
    const SQL: &str =
        concat!("SELECT ", calendar_columns!(), " FROM calendars WHERE deleted_at IS NULL ORDER BY name, id");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, CalendarRow>(SQL).fetch_all(&mut *c).await)?)
}

/// Every calendar, deleted ones too: what the standards in memory may refer to.
pub async fn all_calendars(conn: Conn<'_>) -> Result<Vec<CalendarRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", calendar_columns!(), " FROM calendars ORDER BY id");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, CalendarRow>(SQL).fetch_all(&mut *c).await)?)
}

macro_rules! standard_columns {
    () => {
        "id, position, name, enabled, conditions, calendar_id, first_response_minutes, next_response_minutes, \
         resolution_minutes, warn_at_percent, escalations, derive_from_served, version, created_at, updated_at, \
         deleted_at"
    };
}

pub async fn insert_standard(
    mut conn: Conn<'_>,
    fields: &StandardFields,
    now: Millis,
) -> Result<StandardRow, StoreError> {
    const SQL: &str = concat!(
        "INSERT INTO standards (position, name, enabled, conditions, calendar_id, first_response_minutes, \
         next_response_minutes, resolution_minutes, warn_at_percent, escalations, derive_from_served, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12, 1, $11, $11) RETURNING ",
        standard_columns!()
    );
    let conditions = to_text(&fields.conditions)?;
    let escalations = to_text(&fields.escalations)?;
    let targets = fields.targets;
    let row = on_conn!(conn.reborrow(), c => sqlx::query_as::<_, StandardRow>(SQL)
        .bind(fields.position).bind(&fields.name).bind(fields.enabled).bind(&conditions).bind(fields.calendar_id)
        .bind(targets.first_response_minutes).bind(targets.next_response_minutes).bind(targets.resolution_minutes)
        .bind(fields.warn_at_percent).bind(&escalations).bind(now).bind(fields.derive_from_served)
        .fetch_one(&mut *c).await)?;
    bump_version(conn).await?;
    Ok(row)
}

/// Standards not deleted, in the order they are tried; `enabled_only` for matching.
pub async fn list_standards(conn: Conn<'_>, enabled_only: bool) -> Result<Vec<StandardRow>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        standard_columns!(),
        " FROM standards WHERE deleted_at IS NULL AND (enabled OR NOT $1) ORDER BY position, id"
    );
    Ok(on_conn!(conn, c => sqlx::query_as::<_, StandardRow>(SQL).bind(enabled_only).fetch_all(&mut *c).await)?)
}

/// A standard by id, deleted or not (measured clocks keep naming theirs).
pub async fn get_standard(conn: Conn<'_>, id: StandardId) -> Result<Option<StandardRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", standard_columns!(), " FROM standards WHERE id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, StandardRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Replaces a calendar at `expected_version`; `None` when it is gone, deleted or the version is stale.
pub async fn update_calendar(
    mut conn: Conn<'_>,
    id: CalendarId,
    expected_version: i64,
    name: &str,
    definition: &CalendarDef,
    now: Millis,
) -> Result<Option<CalendarRow>, StoreError> {
    const SQL: &str = concat!(
        "UPDATE calendars SET name = $3, definition = $4, version = version + 1, updated_at = $5 \
         WHERE id = $1 AND version = $2 AND deleted_at IS NULL RETURNING ",
        calendar_columns!()
    );
    let definition = to_text(definition)?;
    let row = on_conn!(conn.reborrow(), c => sqlx::query_as::<_, CalendarRow>(SQL)
        .bind(id).bind(expected_version).bind(name).bind(&definition).bind(now).fetch_optional(&mut *c).await)?;
    if row.is_some() {
        bump_version(conn).await?;
    }
    Ok(row)
}

/// Replaces a standard at `expected_version`; `None` when it is gone, deleted or the version is stale.
pub async fn update_standard(
    mut conn: Conn<'_>,
    id: StandardId,
    expected_version: i64,
    fields: &StandardFields,
    now: Millis,
) -> Result<Option<StandardRow>, StoreError> {
    const SQL: &str = concat!(
        "UPDATE standards SET position = $3, name = $4, enabled = $5, conditions = $6, calendar_id = $7, \
         first_response_minutes = $8, next_response_minutes = $9, resolution_minutes = $10, warn_at_percent = $11, \
         escalations = $12, derive_from_served = $14, version = version + 1, updated_at = $13 \
         WHERE id = $1 AND version = $2 AND deleted_at IS NULL RETURNING ",
        standard_columns!()
    );
    let conditions = to_text(&fields.conditions)?;
    let escalations = to_text(&fields.escalations)?;
    let targets = fields.targets;
    let row = on_conn!(conn.reborrow(), c => sqlx::query_as::<_, StandardRow>(SQL)
        .bind(id).bind(expected_version).bind(fields.position).bind(&fields.name).bind(fields.enabled)
        .bind(&conditions).bind(fields.calendar_id).bind(targets.first_response_minutes)
        .bind(targets.next_response_minutes).bind(targets.resolution_minutes).bind(fields.warn_at_percent)
        .bind(&escalations).bind(now).bind(fields.derive_from_served).fetch_optional(&mut *c).await)?;
    if row.is_some() {
        bump_version(conn).await?;
    }
    Ok(row)
}

/// The names of the standards (not deleted) that measure in calendar `id`.
pub async fn standards_using_calendar(conn: Conn<'_>, id: CalendarId) -> Result<Vec<String>, StoreError> {
    const SQL: &str = "SELECT name FROM standards WHERE calendar_id = $1 AND deleted_at IS NULL ORDER BY position, id";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, String>(SQL).bind(id).fetch_all(&mut *c).await)?)
}

/// Marks a calendar deleted and frees its name (renamed `name (deleted #id)`); `false` when there
/// is no such calendar or it is already deleted.
pub async fn delete_calendar(mut conn: Conn<'_>, id: CalendarId, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE calendars SET deleted_at = $2, updated_at = $2, version = version + 1, \
         name = name || ' (deleted #' || CAST(id AS TEXT) || ')' WHERE id = $1 AND deleted_at IS NULL";
    let done = on_conn!(conn.reborrow(), c => sqlx::query(SQL).bind(id).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    if done == 1 {
        bump_version(conn).await?;
    }
    Ok(done == 1)
}

/// Marks a standard deleted; `false` when there is no such standard or it is already deleted.
pub async fn delete_standard(mut conn: Conn<'_>, id: StandardId, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE standards SET deleted_at = $2, updated_at = $2, version = version + 1 \
         WHERE id = $1 AND deleted_at IS NULL";
    let done = on_conn!(conn.reborrow(), c => sqlx::query(SQL).bind(id).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    if done == 1 {
        bump_version(conn).await?;
    }
    Ok(done == 1)
}
