//! Reviews of services with their one answer, and each review's audit trail. Lists filter in SQL
//! by who may read them (the same rule as `tandem_domain::ReviewFacts`), so a page never holds
//! rows its reader may not see.

use serde_json::Value;
use tandem_domain::{Audience, Millis, PersonId, ReviewId, ReviewVisibility, ServiceId, TeamId};

use crate::json::to_text;
use crate::sql::{Arg, SqlBuf};
use crate::{Conn, StoreError, bind_args, on_conn};

macro_rules! columns {
    () => {
        "SELECT r.id, r.service_id, s.slug AS service_slug, s.name AS service_name, \
         s.audience AS service_audience, s.team_id, tm.name AS team_name, r.author_id, p.name AS author_name, \
         r.rating, r.title, r.body, r.visibility, r.answer, r.answered_by, ap.name AS answered_by_name, \
         r.answered_at, r.hidden_reason, r.hidden_at, r.version, r.created_at, r.updated_at \
         FROM reviews r JOIN services s ON s.id = r.service_id JOIN teams tm ON tm.id = s.team_id \
         JOIN people p ON p.id = r.author_id LEFT JOIN people ap ON ap.id = r.answered_by"
    };
}

/// A review with the names its pages show.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ReviewRow {
    pub id: ReviewId,
    pub service_id: ServiceId,
    pub service_slug: String,
    pub service_name: String,
    pub service_audience: Audience,
    pub team_id: TeamId,
    pub team_name: String,
    pub author_id: PersonId,
    pub author_name: String,
    pub rating: i64,
    pub title: String,
    pub body: String,
    pub visibility: ReviewVisibility,
    pub answer: Option<String>,
    pub answered_by: Option<PersonId>,
    pub answered_by_name: Option<String>,
    pub answered_at: Option<Millis>,
    pub hidden_reason: Option<String>,
    pub hidden_at: Option<Millis>,
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// What the author writes (and may rewrite).
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewFields {
    pub rating: i64,
    pub title: String,
    pub body: String,
    pub visibility: ReviewVisibility,
}

/// Whose reviews a list may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewScope {
    /// Public ones only (visitors, customers, employees).
    Public,
    /// Public ones and this person's own, whatever became of them.
    PublicAndOwn(PersonId),
    /// Every review (staff).
    All,
}

/// The filters of a list; `None` filters nothing.
#[derive(Clone, Debug, Default)]
pub struct ReviewFilter {
    pub service_id: Option<ServiceId>,
    pub team_id: Option<TeamId>,
    pub author_id: Option<PersonId>,
    pub rating: Option<i64>,
    pub answered: Option<bool>,
    pub hidden: Option<bool>,
    pub visibility: Option<ReviewVisibility>,
}

pub async fn insert(
    conn: Conn<'_>,
    service: ServiceId,
    author: PersonId,
    fields: &ReviewFields,
    now: Millis,
) -> Result<ReviewId, StoreError> {
    const SQL: &str = "INSERT INTO reviews (service_id, author_id, rating, title, body, visibility, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, ReviewId>(SQL)
        .bind(service).bind(author).bind(fields.rating).bind(&fields.title).bind(&fields.body)
        .bind(fields.visibility).bind(now).fetch_one(&mut *c).await)?)
}

/// Rewrites the author's part if the review is still at `expected_version`.
pub async fn update(
    conn: Conn<'_>,
    id: ReviewId,
    expected_version: i64,
    fields: &ReviewFields,
    now: Millis,
) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE reviews SET rating = $3, title = $4, body = $5, visibility = $6, \
         version = version + 1, updated_at = $7 WHERE id = $1 AND version = $2";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(id).bind(expected_version).bind(fields.rating).bind(&fields.title).bind(&fields.body)
        .bind(fields.visibility).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Sets (or rewrites) the team's answer.
pub async fn answer(conn: Conn<'_>, id: ReviewId, text: &str, by: PersonId, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE reviews SET answer = $2, answered_by = $3, answered_at = $4, version = version + 1, \
         updated_at = $4 WHERE id = $1";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(id).bind(text).bind(by).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Takes a public review off the public lists, with the reason; `false` if it is not public or
/// hidden already (the condition is in the `UPDATE`, so of two agents hiding at once one does).
pub async fn hide(conn: Conn<'_>, id: ReviewId, reason: &str, by: PersonId, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE reviews SET hidden_reason = $2, hidden_by = $3, hidden_at = $4, version = version + 1, \
         updated_at = $4 WHERE id = $1 AND hidden_at IS NULL AND visibility = 'public'";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(id).bind(reason).bind(by).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

pub async fn get(conn: Conn<'_>, id: ReviewId) -> Result<Option<ReviewRow>, StoreError> {
    const SQL: &str = concat!(columns!(), " WHERE r.id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, ReviewRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Reviews in `scope` matching `filter`, by id below `before`, newest first.
pub async fn list(
    conn: Conn<'_>,
    scope: ReviewScope,
    filter: &ReviewFilter,
    before: ReviewId,
    limit: i64,
) -> Result<Vec<ReviewRow>, StoreError> {
    const PUBLIC: &str = "(r.visibility = 'public' AND r.hidden_at IS NULL AND s.audience <> 'internal')";
    let mut sql = SqlBuf::new(concat!(columns!(), " WHERE r.id < "));
    sql.bind(Arg::Int(before.0));
    match scope {
        ReviewScope::Public => sql.push(" AND ").push(PUBLIC),
        ReviewScope::PublicAndOwn(person) => {
            sql.push(" AND (").push(PUBLIC).push(" OR r.author_id = ").bind(Arg::Int(person.0)).push(")")
        }
        ReviewScope::All => &mut sql,
    };
    let ints = [
        (" AND r.service_id = ", filter.service_id.map(|id| id.0)),
        (" AND s.team_id = ", filter.team_id.map(|id| id.0)),
        (" AND r.author_id = ", filter.author_id.map(|id| id.0)),
        (" AND r.rating = ", filter.rating),
    ];
    for (fragment, value) in ints {
        if let Some(value) = value {
            sql.push(fragment).bind(Arg::Int(value));
        }
    }
    if let Some(visibility) = filter.visibility {
        sql.push(" AND r.visibility = ").bind(Arg::Text(visibility.as_str().to_owned()));
    }
    match filter.answered {
        Some(true) => sql.push(" AND r.answered_at IS NOT NULL"),
        Some(false) => sql.push(" AND r.answered_at IS NULL"),
        None => &mut sql,
    };
    match filter.hidden {
        Some(true) => sql.push(" AND r.hidden_at IS NOT NULL"),
        Some(false) => sql.push(" AND r.hidden_at IS NULL"),
        None => &mut sql,
    };
    sql.push(" ORDER BY r.id DESC LIMIT ").bind(Arg::Int(limit));
    let (text, args) = sql.sql();
    Ok(on_conn!(conn, c => bind_args!(sqlx::query_as::<_, ReviewRow>(text), args).fetch_all(&mut *c).await)?)
}

/// One entry of a review's audit trail.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ReviewEventRow {
    pub actor_name: Option<String>,
    pub kind: String,
    pub data: String,
    pub at: Millis,
}

pub async fn append_event(
    conn: Conn<'_>,
    review: ReviewId,
    actor: Option<PersonId>,
    kind: &str,
    data: &Value,
    at: Millis,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO review_events (review_id, actor_id, kind, data, at) VALUES ($1, $2, $3, $4, $5)";
    let data = to_text(data)?;
    on_conn!(conn, c => sqlx::query(SQL)
        .bind(review).bind(actor).bind(kind).bind(&data).bind(at).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// The review's trail, oldest first (at most `limit`).
pub async fn events(conn: Conn<'_>, review: ReviewId, limit: i64) -> Result<Vec<ReviewEventRow>, StoreError> {
    const SQL: &str = "SELECT p.name AS actor_name, e.kind, e.data, e.at FROM review_events e \
         LEFT JOIN people p ON p.id = e.actor_id WHERE e.review_id = $1 ORDER BY e.id LIMIT $2";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, ReviewEventRow>(SQL).bind(review).bind(limit).fetch_all(&mut *c).await)?)
}
