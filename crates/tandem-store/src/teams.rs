//! Teams and departments (one tree), their members, and round-robin bookkeeping.

use tandem_domain::person::Assignment;
use tandem_domain::{Membership, Millis, PersonId, TeamId, TeamKind, TeamRole};

use crate::{Conn, StoreError, on_conn};

macro_rules! columns {
    () => {
        "id, slug, name, kind, parent_id, is_provider, assignment, created_at, updated_at"
    };
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct TeamRow {
    pub id: TeamId,
    pub slug: String,
    pub name: String,
    pub kind: TeamKind,
    pub parent_id: Option<TeamId>,
    pub is_provider: bool,
    pub assignment: Assignment,
    pub created_at: Millis,
    pub updated_at: Millis,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TeamFields {
    pub slug: String,
    pub name: String,
    pub kind: TeamKind,
    pub parent_id: Option<TeamId>,
    pub is_provider: bool,
    pub assignment: Assignment,
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct MemberRow {
    pub person_id: PersonId,
    pub name: String,
    pub email: String,
    pub role: TeamRole,
    pub available: bool,
}

pub async fn insert(conn: Conn<'_>, team: &TeamFields, now: Millis) -> Result<TeamRow, StoreError> {
    const SQL: &str = concat!(
        "INSERT INTO teams (slug, name, kind, parent_id, is_provider, assignment, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING ",
        columns!()
    );
    Ok(on_conn!(conn, c => sqlx::query_as::<_, TeamRow>(SQL)
        .bind(&team.slug).bind(&team.name).bind(team.kind).bind(team.parent_id).bind(team.is_provider)
        .bind(team.assignment).bind(now).fetch_one(&mut *c).await)?)
}

pub async fn update(conn: Conn<'_>, id: TeamId, team: &TeamFields, now: Millis) -> Result<Option<TeamRow>, StoreError> {
    const SQL: &str = concat!(
        "UPDATE teams SET slug = $2, name = $3, kind = $4, parent_id = $5, is_provider = $6, assignment = $7, \
         updated_at = $8 WHERE id = $1 RETURNING ",
        columns!()
    );
    Ok(on_conn!(conn, c => sqlx::query_as::<_, TeamRow>(SQL)
        .bind(id).bind(&team.slug).bind(&team.name).bind(team.kind).bind(team.parent_id).bind(team.is_provider)
        .bind(team.assignment).bind(now).fetch_optional(&mut *c).await)?)
}

pub async fn get(conn: Conn<'_>, id: TeamId) -> Result<Option<TeamRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM teams WHERE id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, TeamRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn get_by_slug(conn: Conn<'_>, slug: &str) -> Result<Option<TeamRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM teams WHERE slug = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, TeamRow>(SQL).bind(slug).fetch_optional(&mut *c).await)?)
}

/// Every team and department, by slug. Organizations have tens of teams, not millions.
pub async fn list(conn: Conn<'_>) -> Result<Vec<TeamRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM teams ORDER BY slug LIMIT 10000");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, TeamRow>(SQL).fetch_all(&mut *c).await)?)
}

/// The chain of parents above `id`, nearest first (to refuse cycles in the tree).
pub async fn ancestors(conn: Conn<'_>, id: TeamId) -> Result<Vec<TeamId>, StoreError> {
    const SQL: &str = "WITH RECURSIVE up (id, parent_id, depth) AS ( \
           SELECT id, parent_id, 0 FROM teams WHERE id = $1 \
           UNION ALL SELECT t.id, t.parent_id, up.depth + 1 FROM teams t JOIN up ON t.id = up.parent_id \
           WHERE up.depth < 64) \
         SELECT parent_id FROM up WHERE parent_id IS NOT NULL ORDER BY depth";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, TeamId>(SQL).bind(id).fetch_all(&mut *c).await)?)
}

pub async fn members(conn: Conn<'_>, team: TeamId) -> Result<Vec<MemberRow>, StoreError> {
    const SQL: &str = "SELECT m.person_id, p.name, p.email, m.role, m.available \
         FROM team_members m JOIN people p ON p.id = m.person_id WHERE m.team_id = $1 ORDER BY p.name, p.id LIMIT 10000";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, MemberRow>(SQL).bind(team).fetch_all(&mut *c).await)?)
}

/// Adds a member or changes their role and availability.
pub async fn upsert_member(
    conn: Conn<'_>,
    team: TeamId,
    person: PersonId,
    role: TeamRole,
    available: bool,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO team_members (team_id, person_id, role, available) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (team_id, person_id) DO UPDATE SET role = excluded.role, available = excluded.available";
    on_conn!(conn, c => sqlx::query(SQL).bind(team).bind(person).bind(role).bind(available).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn remove_member(conn: Conn<'_>, team: TeamId, person: PersonId) -> Result<bool, StoreError> {
    const SQL: &str = "DELETE FROM team_members WHERE team_id = $1 AND person_id = $2";
    let removed = on_conn!(conn, c => sqlx::query(SQL).bind(team).bind(person).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(removed == 1)
}

/// The teams a person works in, for their principal.
pub async fn memberships(conn: Conn<'_>, person: PersonId) -> Result<Vec<Membership>, StoreError> {
    const SQL: &str = "SELECT team_id, role FROM team_members WHERE person_id = $1 ORDER BY team_id";
    let rows = on_conn!(conn, c => sqlx::query_as::<_, (TeamId, TeamRole)>(SQL).bind(person).fetch_all(&mut *c).await)?;
    Ok(rows.into_iter().map(|(team_id, role)| Membership { team_id, role }).collect())
}

pub async fn is_member(conn: Conn<'_>, team: TeamId, person: PersonId) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM team_members WHERE team_id = $1 AND person_id = $2";
    let count =
        on_conn!(conn, c => sqlx::query_scalar::<_, i64>(SQL).bind(team).bind(person).fetch_one(&mut *c).await)?;
    Ok(count > 0)
}

/// Available members in id order, and the one assigned last, for round robin.
pub async fn round_robin_state(conn: Conn<'_>, team: TeamId) -> Result<(Vec<PersonId>, Option<PersonId>), StoreError> {
    const MEMBERS: &str =
        "SELECT person_id FROM team_members WHERE team_id = $1 AND available = TRUE ORDER BY person_id";
    const LAST: &str = "SELECT last_assigned_id FROM teams WHERE id = $1";
    on_conn!(conn, c => {
        let members = sqlx::query_scalar::<_, PersonId>(MEMBERS).bind(team).fetch_all(&mut *c).await?;
        let last = sqlx::query_scalar::<_, Option<PersonId>>(LAST).bind(team).fetch_one(&mut *c).await?;
        Ok((members, last))
    })
}

pub async fn set_last_assigned(conn: Conn<'_>, team: TeamId, person: PersonId) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE teams SET last_assigned_id = $2 WHERE id = $1";
    on_conn!(conn, c => sqlx::query(SQL).bind(team).bind(person).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}
