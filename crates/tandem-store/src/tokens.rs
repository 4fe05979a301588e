//! API and session tokens, stored as SHA-256 hashes: a copy of the database holds no usable token.

use tandem_domain::{Membership, Millis, PersonId, TeamId, TeamRole, TokenId};

use crate::people::PersonRow;
use crate::{Conn, StoreError, on_conn};

/// `api` tokens live until revoked; `session` tokens (from a password login) expire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Api,
    Session,
}

impl TokenKind {
    fn as_str(self) -> &'static str {
        match self {
            TokenKind::Api => "api",
            TokenKind::Session => "session",
        }
    }
}

pub async fn insert(
    conn: Conn<'_>,
    person: PersonId,
    token_hash: &str,
    name: &str,
    kind: TokenKind,
    now: Millis,
    expires_at: Option<Millis>,
) -> Result<TokenId, StoreError> {
    const SQL: &str = "INSERT INTO api_tokens (person_id, token_hash, name, kind, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, TokenId>(SQL)
        .bind(person).bind(token_hash).bind(name).bind(kind.as_str()).bind(now).bind(expires_at)
        .fetch_one(&mut *c).await)?)
}

/// The live token with this hash, its person, and the teams they work in.
#[derive(Clone, Debug)]
pub struct TokenOwner {
    pub token_id: TokenId,
    pub last_used_at: Option<Millis>,
    pub person: PersonRow,
    pub memberships: Vec<Membership>,
}

/// One row per membership (or one row with none): the person's teams come in the same query.
#[derive(sqlx::FromRow)]
struct OwnerRow {
    token_id: TokenId,
    last_used_at: Option<Millis>,
    #[sqlx(flatten)]
    person: PersonRow,
    team_id: Option<TeamId>,
    role: Option<TeamRole>,
}

/// Every authenticated request asks this, so it is one statement (a hop saved on every request).
pub async fn owner(conn: Conn<'_>, token_hash: &str, now: Millis) -> Result<Option<TokenOwner>, StoreError> {
    const SQL: &str = "SELECT k.id AS token_id, k.last_used_at, p.id, p.email, p.name, p.kind, p.is_admin, p.title, \
           p.department_id, p.manager_id, p.organization_id, p.stakeholder, p.connection, p.org_access, p.version, \
           p.created_at, p.updated_at, m.team_id, m.role \
         FROM api_tokens k JOIN people p ON p.id = k.person_id LEFT JOIN team_members m ON m.person_id = p.id \
         WHERE k.token_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $2) \
         ORDER BY m.team_id";
    let rows =
        on_conn!(conn, c => sqlx::query_as::<_, OwnerRow>(SQL).bind(token_hash).bind(now).fetch_all(&mut *c).await)?;
    let memberships =
        rows.iter().filter_map(|row| Some(Membership { team_id: row.team_id?, role: row.role? })).collect();
    Ok(rows.into_iter().next().map(|row| TokenOwner {
        token_id: row.token_id,
        last_used_at: row.last_used_at,
        person: row.person,
        memberships,
    }))
}

pub async fn touch(conn: Conn<'_>, id: TokenId, now: Millis) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1";
    on_conn!(conn, c => sqlx::query(SQL).bind(id).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// Revokes the person's token with this hash; `false` if there was none.
pub async fn revoke(conn: Conn<'_>, token_hash: &str, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE api_tokens SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL";
    let revoked = on_conn!(conn, c => sqlx::query(SQL).bind(token_hash).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(revoked == 1)
}
