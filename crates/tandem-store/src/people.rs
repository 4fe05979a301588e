//! People: employees and external contacts, one row per email address.

use tandem_domain::{Connection, Millis, OrganizationId, PersonId, PersonKind, Stakeholder, TeamId};

use crate::sql::{Arg, SqlBuf};
use crate::{Conn, StoreError, bind_args, on_conn};

/// The columns of [`PersonRow`], for `concat!` into static SQL.
macro_rules! columns {
    () => {
        "id, email, name, kind, is_admin, title, department_id, manager_id, organization_id, \
         stakeholder, connection, org_access, version, created_at, updated_at, undeliverable_at, undeliverable_reason"
    };
}

/// A stored person: their writable fields plus what the store keeps.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct PersonRow {
    pub id: PersonId,
    #[sqlx(flatten)]
    pub fields: PersonFields,
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
    /// Set when a delivery report said mail to this address fails (see `inbound::mark_undeliverable`).
    /// Queries that only need who someone is (the token lookup) leave these out: `None` then.
    #[sqlx(default)]
    pub undeliverable_at: Option<Millis>,
    #[sqlx(default)]
    pub undeliverable_reason: Option<String>,
}

/// Everything about a person that can be written; `id`, `version` and times are the store's.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct PersonFields {
    pub email: String,
    pub name: String,
    pub kind: PersonKind,
    pub is_admin: bool,
    pub title: Option<String>,
    pub department_id: Option<TeamId>,
    pub manager_id: Option<PersonId>,
    pub organization_id: Option<OrganizationId>,
    pub stakeholder: Option<Stakeholder>,
    pub connection: Option<Connection>,
    pub org_access: bool,
}

impl PersonFields {
    /// A person with only an email, a name and a kind: no department, organization or rights.
    pub fn new(email: impl Into<String>, name: impl Into<String>, kind: PersonKind) -> Self {
        PersonFields {
            email: email.into(),
            name: name.into(),
            kind,
            is_admin: false,
            title: None,
            department_id: None,
            manager_id: None,
            organization_id: None,
            stakeholder: None,
            connection: None,
            org_access: false,
        }
    }
}

/// Inserts a person unless one with the same email exists; `None` means someone else has it.
/// Two concurrent inserts of one new address leave one row: the database decides.
pub async fn insert_if_absent(
    conn: Conn<'_>,
    person: &PersonFields,
    password_hash: Option<&str>,
    now: Millis,
) -> Result<Option<PersonRow>, StoreError> {
    const SQL: &str = concat!(
        "INSERT INTO people (email, name, kind, is_admin, title, department_id, manager_id, organization_id, \
         stakeholder, connection, org_access, password_hash, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13) \
         ON CONFLICT (email) DO NOTHING RETURNING ",
        columns!()
    );
    let row = on_conn!(conn, c => sqlx::query_as::<_, PersonRow>(SQL)
        .bind(&person.email).bind(&person.name).bind(person.kind).bind(person.is_admin).bind(&person.title)
        .bind(person.department_id).bind(person.manager_id).bind(person.organization_id)
        .bind(person.stakeholder).bind(person.connection).bind(person.org_access).bind(password_hash).bind(now)
        .fetch_optional(&mut *c).await)?;
    Ok(row)
}

/// Writes every field if the stored version is still `expected_version`; `false` if not.
pub async fn update(
    conn: Conn<'_>,
    id: PersonId,
    expected_version: i64,
    person: &PersonFields,
    now: Millis,
) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE people SET email = $3, name = $4, kind = $5, is_admin = $6, title = $7, \
         department_id = $8, manager_id = $9, organization_id = $10, stakeholder = $11, connection = $12, \
         org_access = $13, version = version + 1, updated_at = $14 WHERE id = $1 AND version = $2";
    let result = on_conn!(conn, c => sqlx::query(SQL)
        .bind(id).bind(expected_version).bind(&person.email).bind(&person.name).bind(person.kind)
        .bind(person.is_admin).bind(&person.title).bind(person.department_id).bind(person.manager_id)
        .bind(person.organization_id).bind(person.stakeholder).bind(person.connection).bind(person.org_access)
        .bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(result == 1)
}

pub async fn set_password_hash(conn: Conn<'_>, id: PersonId, hash: &str, now: Millis) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE people SET password_hash = $2, updated_at = $3 WHERE id = $1";
    on_conn!(conn, c => sqlx::query(SQL).bind(id).bind(hash).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn get(conn: Conn<'_>, id: PersonId) -> Result<Option<PersonRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM people WHERE id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, PersonRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn get_by_email(conn: Conn<'_>, email: &str) -> Result<Option<PersonRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM people WHERE email = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, PersonRow>(SQL).bind(email).fetch_optional(&mut *c).await)?)
}

/// The stored password hash of the person with this email, if they have one.
pub async fn password_hash(conn: Conn<'_>, email: &str) -> Result<Option<(PersonId, Option<String>)>, StoreError> {
    const SQL: &str = "SELECT id, password_hash FROM people WHERE email = $1";
    Ok(
        on_conn!(conn, c => sqlx::query_as::<_, (PersonId, Option<String>)>(SQL).bind(email).fetch_optional(&mut *c).await)?,
    )
}

/// Which people to list, ordered by name then id.
#[derive(Clone, Debug, Default)]
pub struct PersonFilter {
    pub kind: Option<PersonKind>,
    pub organization_id: Option<OrganizationId>,
    pub department_id: Option<TeamId>,
    /// Matches the start of the name or of the email, ignoring case.
    pub prefix: Option<String>,
    /// Continue after this (name, id).
    pub after: Option<(String, PersonId)>,
}

pub async fn list(conn: Conn<'_>, filter: &PersonFilter, limit: u32) -> Result<Vec<PersonRow>, StoreError> {
    let mut sql = SqlBuf::new(concat!("SELECT ", columns!(), " FROM people WHERE 1 = 1"));
    if let Some(kind) = filter.kind {
        sql.push(" AND kind = ").bind(Arg::Text(kind.as_str().to_owned()));
    }
    if let Some(organization) = filter.organization_id {
        sql.push(" AND organization_id = ").bind(Arg::Int(organization.0));
    }
    if let Some(department) = filter.department_id {
        sql.push(" AND department_id = ").bind(Arg::Int(department.0));
    }
    if let Some(prefix) = &filter.prefix {
        let pattern = format!("{}%", escape_like(&prefix.to_lowercase()));
        sql.push(" AND (lower(name) LIKE ").bind(Arg::Text(pattern.clone())).push(" ESCAPE '\\'");
        sql.push(" OR email LIKE ").bind(Arg::Text(pattern)).push(" ESCAPE '\\')");
    }
    if let Some((name, id)) = &filter.after {
        sql.push(" AND (name, id) > (").bind(Arg::Text(name.clone())).push(", ").bind(Arg::Int(id.0)).push(")");
    }
    sql.push(" ORDER BY name, id LIMIT ").bind(Arg::Int(i64::from(limit)));
    let (text, args) = sql.sql();
    Ok(on_conn!(conn, c => bind_args!(sqlx::query_as::<_, PersonRow>(text), args).fetch_all(&mut *c).await)?)
}

/// Display names of several people at once (for lists and conversations).
pub async fn names(conn: Conn<'_>, ids: &[PersonId]) -> Result<Vec<(PersonId, String)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = SqlBuf::new("SELECT id, name FROM people WHERE id IN ");
    sql.bind_list(ids.iter().map(|id| Arg::Int(id.0)));
    let (text, args) = sql.sql();
    Ok(on_conn!(conn, c => bind_args!(sqlx::query_as::<_, (PersonId, String)>(text), args).fetch_all(&mut *c).await)?)
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Whether anyone exists yet (an empty desk gets the demo organization on request).
pub async fn any(conn: Conn<'_>) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM (SELECT 1 FROM people LIMIT 1) AS anyone";
    let count = on_conn!(conn, c => sqlx::query_scalar::<_, i64>(SQL).fetch_one(&mut *c).await)?;
    Ok(count > 0)
}
