//! Satisfaction ratings (CSAT) of solved tickets, and the weakest-link report: for each team that
//! served other tickets through the chain, how long the external tickets it served waited on it and
//! how their customers rated them. Averages are computed by the caller from sums and counts, so
//! both backends return the same integer types.

use tandem_domain::{Millis, PersonId, TeamId, TicketAudience, TicketId};

use crate::{Conn, StoreError, on_conn};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RatingRow {
    pub ticket_id: TicketId,
    pub rating: i64,
    pub comment: Option<String>,
    pub rated_by: PersonId,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// A rating as it is written.
#[derive(Clone, Copy, Debug)]
pub struct NewRating<'a> {
    pub ticket_id: TicketId,
    pub rating: i64,
    pub comment: Option<&'a str>,
    pub rated_by: PersonId,
    pub audience: TicketAudience,
    pub team_id: TeamId,
}

/// Records the rating of a ticket, replacing an earlier one (one answer per ticket).
pub async fn upsert(conn: Conn<'_>, rating: NewRating<'_>, now: Millis) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO satisfaction_ratings (ticket_id, rating, comment, rated_by, audience, team_id, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (ticket_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment, \
         rated_by = excluded.rated_by, updated_at = excluded.updated_at";
    on_conn!(conn, c => sqlx::query(SQL)
        .bind(rating.ticket_id).bind(rating.rating).bind(rating.comment).bind(rating.rated_by)
        .bind(rating.audience).bind(rating.team_id).bind(now)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn get(conn: Conn<'_>, ticket: TicketId) -> Result<Option<RatingRow>, StoreError> {
    const SQL: &str = "SELECT ticket_id, rating, comment, rated_by, created_at, updated_at \
         FROM satisfaction_ratings WHERE ticket_id = $1";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, RatingRow>(SQL).bind(ticket).fetch_optional(&mut *c).await)?)
}

/// One serving team's line of the weakest-link report.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LinkTotals {
    pub team_id: TeamId,
    pub team_name: String,
    /// Requests of this team linked since the report's start that serve an external ticket,
    /// directly or further down a chain.
    pub requests: i64,
    /// The distinct external tickets they served.
    pub external_tickets: i64,
    /// How long their parents waited on them, in total (ms, the open stretches counted to now).
    pub waited_ms: i64,
    /// The external tickets' ratings: how many, their sum, and how many were 1 or 2.
    pub rated: i64,
    pub rating_sum: i64,
    pub low_ratings: i64,
    /// The asking side's hand-off ratings of these requests.
    pub handoffs_rated: i64,
    pub handoff_sum: i64,
}

/// Per serving team, the requests linked since `since` that served an external ticket (through
/// the whole chain: accounting helping the warehouse help a customer served that customer).
pub async fn weakest_links(conn: Conn<'_>, since: Millis, now: Millis) -> Result<Vec<LinkTotals>, StoreError> {
    const SQL: &str = "WITH RECURSIVE up (child_id, ancestor, depth) AS ( \
         SELECT child_id, parent_id, 1 FROM ticket_links WHERE created_at >= $1 \
         UNION ALL SELECT up.child_id, l.parent_id, up.depth + 1 FROM up JOIN ticket_links l ON l.child_id = up.ancestor \
         WHERE up.depth < 32), \
         served AS (SELECT DISTINCT up.child_id, up.ancestor AS root_id FROM up \
         JOIN tickets r ON r.id = up.ancestor WHERE r.audience = 'external'), \
         per_link AS (SELECT s.child_id, c.team_id, \
         l.waited_ms + CASE WHEN l.waiting_since IS NULL THEN 0 ELSE $2 - l.waiting_since END AS waited, \
         l.rating AS handoff FROM (SELECT DISTINCT child_id FROM served) s \
         JOIN ticket_links l ON l.child_id = s.child_id JOIN tickets c ON c.id = s.child_id), \
         per_root AS (SELECT DISTINCT c.team_id, s.root_id, sr.rating FROM served s \
         JOIN tickets c ON c.id = s.child_id LEFT JOIN satisfaction_ratings sr ON sr.ticket_id = s.root_id) \
         SELECT tm.id AS team_id, tm.name AS team_name, \
         (SELECT COUNT(*) FROM per_link p WHERE p.team_id = tm.id) AS requests, \
         (SELECT COUNT(*) FROM per_root r WHERE r.team_id = tm.id) AS external_tickets, \
         CAST((SELECT COALESCE(SUM(p.waited), 0) FROM per_link p WHERE p.team_id = tm.id) AS BIGINT) AS waited_ms, \
         (SELECT COUNT(r.rating) FROM per_root r WHERE r.team_id = tm.id) AS rated, \
         CAST((SELECT COALESCE(SUM(r.rating), 0) FROM per_root r WHERE r.team_id = tm.id) AS BIGINT) AS rating_sum, \
         (SELECT COUNT(*) FROM per_root r WHERE r.team_id = tm.id AND r.rating <= 2) AS low_ratings, \
         (SELECT COUNT(p.handoff) FROM per_link p WHERE p.team_id = tm.id) AS handoffs_rated, \
         CAST((SELECT COALESCE(SUM(p.handoff), 0) FROM per_link p WHERE p.team_id = tm.id) AS BIGINT) AS handoff_sum \
         FROM teams tm WHERE tm.id IN (SELECT team_id FROM per_link) ORDER BY waited_ms DESC, tm.id";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, LinkTotals>(SQL).bind(since).bind(now).fetch_all(&mut *c).await)?)
}

/// How external customers rated tickets solved since `since`: (count, sum).
pub async fn external_totals(conn: Conn<'_>, since: Millis) -> Result<(i64, i64), StoreError> {
    const SQL: &str = "SELECT COUNT(*), CAST(COALESCE(SUM(rating), 0) AS BIGINT) FROM satisfaction_ratings \
         WHERE audience = 'external' AND updated_at >= $1";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, (i64, i64)>(SQL).bind(since).fetch_one(&mut *c).await)?)
}

/// A rating link: who may rate which ticket with it, until when.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RatingLinkRow {
    pub ticket_id: TicketId,
    pub person_id: PersonId,
    pub expires_at: Millis,
}

/// Keeps a new rating link (only the hash of its token).
pub async fn insert_link(
    conn: Conn<'_>,
    token_hash: &str,
    link: &RatingLinkRow,
    now: Millis,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO rating_links (token_hash, ticket_id, person_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)";
    on_conn!(conn, c => sqlx::query(SQL)
        .bind(token_hash).bind(link.ticket_id).bind(link.person_id).bind(now).bind(link.expires_at)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn link(conn: Conn<'_>, token_hash: &str) -> Result<Option<RatingLinkRow>, StoreError> {
    const SQL: &str = "SELECT ticket_id, person_id, expires_at FROM rating_links WHERE token_hash = $1";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, RatingLinkRow>(SQL).bind(token_hash).fetch_optional(&mut *c).await)?)
}
