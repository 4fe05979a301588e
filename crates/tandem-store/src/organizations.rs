//! Customer organizations: companies that buy, suppliers, partners.

use tandem_domain::{Millis, OrganizationId};

use crate::{Conn, StoreError, on_conn};

macro_rules! columns {
    () => {
        "id, name, domain, notes, created_at, updated_at"
    };
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct OrganizationRow {
    pub id: OrganizationId,
    pub name: String,
    pub domain: Option<String>,
    pub notes: String,
    pub created_at: Millis,
    pub updated_at: Millis,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OrganizationFields {
    pub name: String,
    pub domain: Option<String>,
    pub notes: String,
}

pub async fn insert(
    conn: Conn<'_>,
    organization: &OrganizationFields,
    now: Millis,
) -> Result<OrganizationRow, StoreError> {
    const SQL: &str = concat!(
        "INSERT INTO organizations (name, domain, notes, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING ",
        columns!()
    );
    Ok(on_conn!(conn, c => sqlx::query_as::<_, OrganizationRow>(SQL)
        .bind(&organization.name).bind(&organization.domain).bind(&organization.notes).bind(now)
        .fetch_one(&mut *c).await)?)
}

pub async fn update(
    conn: Conn<'_>,
    id: OrganizationId,
    organization: &OrganizationFields,
    now: Millis,
) -> Result<Option<OrganizationRow>, StoreError> {
    const SQL: &str = concat!(
        "UPDATE organizations SET name = $2, domain = $3, notes = $4, updated_at = $5 WHERE id = $1 RETURNING ",
        columns!()
    );
    Ok(on_conn!(conn, c => sqlx::query_as::<_, OrganizationRow>(SQL)
        .bind(id).bind(&organization.name).bind(&organization.domain).bind(&organization.notes).bind(now)
        .fetch_optional(&mut *c).await)?)
}

pub async fn get(conn: Conn<'_>, id: OrganizationId) -> Result<Option<OrganizationRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM organizations WHERE id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, OrganizationRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Organizations ordered by name, continuing after `after` (a name).
pub async fn list(conn: Conn<'_>, after: Option<&str>, limit: u32) -> Result<Vec<OrganizationRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM organizations WHERE name > $1 ORDER BY name LIMIT $2");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, OrganizationRow>(SQL)
        .bind(after.unwrap_or("")).bind(i64::from(limit)).fetch_all(&mut *c).await)?)
}
