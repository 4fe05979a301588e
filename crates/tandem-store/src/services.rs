//! The service catalog: what each provider team offers, to whom, with which request form.

use tandem_domain::{Audience, FormDef, Millis, Priority, ServiceId, TeamId};

use crate::json::{JsonText, to_text};
use crate::sql::{Arg, SqlBuf};
use crate::{Conn, StoreError, bind_args, on_conn};

macro_rules! columns {
    () => {
        "id, slug, name, description, team_id, audience, default_priority, form, active, version, created_at, updated_at"
    };
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ServiceRow {
    pub id: ServiceId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub team_id: TeamId,
    pub audience: Audience,
    pub default_priority: Priority,
    #[sqlx(try_from = "String")]
    pub form: JsonText<FormDef>,
    pub active: bool,
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceFields {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub team_id: TeamId,
    pub audience: Audience,
    pub default_priority: Priority,
    pub form: FormDef,
    pub active: bool,
}

pub async fn insert(conn: Conn<'_>, service: &ServiceFields, now: Millis) -> Result<ServiceRow, StoreError> {
    const SQL: &str = concat!(
        "INSERT INTO services (slug, name, description, team_id, audience, default_priority, form, active, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING ",
        columns!()
    );
    let form = to_text(&service.form)?;
    Ok(on_conn!(conn, c => sqlx::query_as::<_, ServiceRow>(SQL)
        .bind(&service.slug).bind(&service.name).bind(&service.description).bind(service.team_id)
        .bind(service.audience).bind(service.default_priority).bind(&form).bind(service.active).bind(now)
        .fetch_one(&mut *c).await)?)
}

/// Writes every field if the stored version is still `expected_version`; `None` if not.
pub async fn update(
    conn: Conn<'_>,
    id: ServiceId,
    expected_version: i64,
    service: &ServiceFields,
    now: Millis,
) -> Result<Option<ServiceRow>, StoreError> {
    const SQL: &str = concat!(
        "UPDATE services SET slug = $3, name = $4, description = $5, team_id = $6, audience = $7, \
         default_priority = $8, form = $9, active = $10, version = version + 1, updated_at = $11 \
         WHERE id = $1 AND version = $2 RETURNING ",
        columns!()
    );
    let form = to_text(&service.form)?;
    Ok(on_conn!(conn, c => sqlx::query_as::<_, ServiceRow>(SQL)
        .bind(id).bind(expected_version).bind(&service.slug).bind(&service.name).bind(&service.description)
        .bind(service.team_id).bind(service.audience).bind(service.default_priority).bind(&form)
        .bind(service.active).bind(now).fetch_optional(&mut *c).await)?)
}

pub async fn get(conn: Conn<'_>, id: ServiceId) -> Result<Option<ServiceRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM services WHERE id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, ServiceRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn get_by_slug(conn: Conn<'_>, slug: &str) -> Result<Option<ServiceRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM services WHERE slug = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, ServiceRow>(SQL).bind(slug).fetch_optional(&mut *c).await)?)
}

/// Which services to list, by slug.
#[derive(Clone, Debug, Default)]
pub struct ServiceFilter {
    /// Only these audiences (`None`: all).
    pub audiences: Option<Vec<Audience>>,
    pub team_id: Option<TeamId>,
    pub active_only: bool,
}

/// A catalog is small (hundreds of services at most), so it is listed whole, bounded.
pub async fn list(conn: Conn<'_>, filter: &ServiceFilter) -> Result<Vec<ServiceRow>, StoreError> {
    let mut sql = SqlBuf::new(concat!("SELECT ", columns!(), " FROM services WHERE 1 = 1"));
    if let Some(audiences) = &filter.audiences {
        sql.push(" AND audience IN ").bind_list(audiences.iter().map(|a| Arg::Text(a.as_str().to_owned())));
    }
    if let Some(team) = filter.team_id {
        sql.push(" AND team_id = ").bind(Arg::Int(team.0));
    }
    if filter.active_only {
        sql.push(" AND active = TRUE");
    }
    sql.push(" ORDER BY slug LIMIT 10000");
    let (text, args) = sql.sql();
    Ok(on_conn!(conn, c => bind_args!(sqlx::query_as::<_, ServiceRow>(text), args).fetch_all(&mut *c).await)?)
}
