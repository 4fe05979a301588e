//! Feedback routing: topics with the teams that own them (and how each receives the topic's
//! feedback), the feedback items, where each went (a ticket, or a digest not yet sent), and the
//! digest job's reads and marks.

use tandem_domain::{
    Audience, FeedbackItemId, FeedbackRouting, FeedbackSource, FeedbackTopicId, Millis, PersonId, ReviewId, TeamId,
    TicketId,
};

use crate::{Conn, StoreError, on_conn};

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct TopicRow {
    pub id: FeedbackTopicId,
    pub slug: String,
    pub name: String,
    pub audience: Audience,
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// One owning team of a topic.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct OwnerRow {
    pub topic_id: FeedbackTopicId,
    pub team_id: TeamId,
    pub team_name: String,
    pub routing: FeedbackRouting,
}

pub async fn insert_topic(
    conn: Conn<'_>,
    slug: &str,
    name: &str,
    audience: Audience,
    now: Millis,
) -> Result<FeedbackTopicId, StoreError> {
    const SQL: &str = "INSERT INTO feedback_topics (slug, name, audience, version, created_at, updated_at) \
         VALUES ($1, $2, $3, 1, $4, $4) RETURNING id";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, FeedbackTopicId>(SQL)
        .bind(slug).bind(name).bind(audience).bind(now).fetch_one(&mut *c).await)?)
}

/// Rewrites a topic if it is still at `expected_version`.
pub async fn update_topic(
    conn: Conn<'_>,
    id: FeedbackTopicId,
    expected_version: i64,
    slug: &str,
    name: &str,
    audience: Audience,
    now: Millis,
) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE feedback_topics SET slug = $3, name = $4, audience = $5, version = version + 1, \
         updated_at = $6 WHERE id = $1 AND version = $2";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(id).bind(expected_version).bind(slug).bind(name).bind(audience).bind(now)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Replaces the topic's owning teams.
pub async fn set_owners(
    mut conn: Conn<'_>,
    topic: FeedbackTopicId,
    owners: &[(TeamId, FeedbackRouting)],
) -> Result<(), StoreError> {
    const CLEAR: &str = "DELETE FROM feedback_topic_teams WHERE topic_id = $1";
    const ADD: &str = "INSERT INTO feedback_topic_teams (topic_id, team_id, routing) VALUES ($1, $2, $3)";
    on_conn!(conn.reborrow(), c => sqlx::query(CLEAR).bind(topic).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    for (team, routing) in owners {
        on_conn!(conn.reborrow(), c => sqlx::query(ADD)
            .bind(topic).bind(team).bind(routing).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    }
    Ok(())
}

pub async fn get_topic(conn: Conn<'_>, id: FeedbackTopicId) -> Result<Option<TopicRow>, StoreError> {
    const SQL: &str =
        "SELECT id, slug, name, audience, version, created_at, updated_at FROM feedback_topics WHERE id = $1";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, TopicRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn get_topic_by_slug(conn: Conn<'_>, slug: &str) -> Result<Option<TopicRow>, StoreError> {
    const SQL: &str =
        "SELECT id, slug, name, audience, version, created_at, updated_at FROM feedback_topics WHERE slug = $1";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, TopicRow>(SQL).bind(slug).fetch_optional(&mut *c).await)?)
}

/// Every topic by name (there are a handful: an organization's areas of feedback).
pub async fn list_topics(conn: Conn<'_>) -> Result<Vec<TopicRow>, StoreError> {
    const SQL: &str = concat!(
        "SELECT id, slug, name, audience, version, created_at, updated_at FROM feedback_topics",
        " ORDER BY name, id LIMIT 1000"
    );
    Ok(on_conn!(conn, c => sqlx::query_as::<_, TopicRow>(SQL).fetch_all(&mut *c).await)?)
}

/// The owning teams of every topic (`None`) or of one.
pub async fn owners(conn: Conn<'_>, topic: Option<FeedbackTopicId>) -> Result<Vec<OwnerRow>, StoreError> {
    const SQL: &str = "SELECT o.topic_id, o.team_id, t.name AS team_name, o.routing FROM feedback_topic_teams o \
         JOIN teams t ON t.id = o.team_id WHERE ($1 IS NULL OR o.topic_id = $1) ORDER BY o.topic_id, t.name";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, OwnerRow>(SQL).bind(topic).fetch_all(&mut *c).await)?)
}

/// A piece of feedback as it is written.
#[derive(Clone, Debug)]
pub struct NewItem<'a> {
    pub topic_id: FeedbackTopicId,
    pub author_id: PersonId,
    pub source: FeedbackSource,
    pub review_id: Option<ReviewId>,
    pub rated_ticket_id: Option<TicketId>,
    pub rating: Option<i64>,
    pub body: &'a str,
}

pub async fn insert_item(conn: Conn<'_>, item: &NewItem<'_>, now: Millis) -> Result<FeedbackItemId, StoreError> {
    const SQL: &str = "INSERT INTO feedback_items (topic_id, author_id, source, review_id, rated_ticket_id, rating, \
         body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, FeedbackItemId>(SQL)
        .bind(item.topic_id).bind(item.author_id).bind(item.source).bind(item.review_id).bind(item.rated_ticket_id)
        .bind(item.rating).bind(item.body).bind(now).fetch_one(&mut *c).await)?)
}

/// Records where the item went for one owning team: the ticket opened, or `None` for the digest.
pub async fn insert_route(
    conn: Conn<'_>,
    item: FeedbackItemId,
    team: TeamId,
    ticket: Option<TicketId>,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO feedback_routes (item_id, team_id, ticket_id) VALUES ($1, $2, $3)";
    on_conn!(conn, c => sqlx::query(SQL)
        .bind(item).bind(team).bind(ticket).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// One route as its team sees it: what was said, by whom, on which topic, and where it went.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct RoutedRow {
    pub item_id: FeedbackItemId,
    pub team_id: TeamId,
    pub team_name: String,
    pub topic_name: String,
    pub source: FeedbackSource,
    pub review_id: Option<ReviewId>,
    pub rated_ticket_id: Option<TicketId>,
    pub rating: Option<i64>,
    pub body: String,
    pub author_name: String,
    pub ticket_id: Option<TicketId>,
    pub digested_at: Option<Millis>,
    pub created_at: Millis,
}

macro_rules! routed {
    () => {
        "SELECT r.item_id, r.team_id, tm.name AS team_name, tp.name AS topic_name, i.source, i.review_id, \
         i.rated_ticket_id, i.rating, i.body, p.name AS author_name, r.ticket_id, r.digested_at, i.created_at \
         FROM feedback_routes r JOIN feedback_items i ON i.id = r.item_id JOIN teams tm ON tm.id = r.team_id \
         JOIN feedback_topics tp ON tp.id = i.topic_id JOIN people p ON p.id = i.author_id"
    };
}

/// Where an item went, per owning team.
pub async fn routes_of(conn: Conn<'_>, item: FeedbackItemId) -> Result<Vec<RoutedRow>, StoreError> {
    const SQL: &str = concat!(routed!(), " WHERE r.item_id = $1 ORDER BY tm.name");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, RoutedRow>(SQL).bind(item).fetch_all(&mut *c).await)?)
}

/// Items waiting for their team's digest, team by team, oldest first (at most `limit`).
pub async fn pending_digest(conn: Conn<'_>, limit: i64) -> Result<Vec<RoutedRow>, StoreError> {
    const SQL: &str = concat!(
        routed!(),
        " WHERE r.digested_at IS NULL AND r.ticket_id IS NULL ORDER BY r.team_id, r.item_id LIMIT $1"
    );
    Ok(on_conn!(conn, c => sqlx::query_as::<_, RoutedRow>(SQL).bind(limit).fetch_all(&mut *c).await)?)
}

/// Marks the team's items up to `last` as sent in a digest.
pub async fn mark_digested(conn: Conn<'_>, team: TeamId, last: FeedbackItemId, now: Millis) -> Result<u64, StoreError> {
    const SQL: &str = "UPDATE feedback_routes SET digested_at = $3 \
         WHERE team_id = $1 AND item_id <= $2 AND digested_at IS NULL AND ticket_id IS NULL";
    Ok(on_conn!(conn, c => sqlx::query(SQL)
        .bind(team).bind(last).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?)
}

/// Marks every item routed before `before` that waits for a digest as sent at `at` (the demo's
/// history: yesterday's digests went out before the desk existed).
pub async fn mark_sent_before(conn: Conn<'_>, before: Millis, at: Millis) -> Result<u64, StoreError> {
    const SQL: &str = "UPDATE feedback_routes SET digested_at = $2 WHERE digested_at IS NULL AND ticket_id IS NULL \
         AND item_id IN (SELECT id FROM feedback_items WHERE created_at < $1)";
    Ok(on_conn!(conn, c => sqlx::query(SQL)
        .bind(before).bind(at).execute(&mut *c).await.map(|done| done.rows_affected()))?)
}

/// Who reads a team's digest: its members, and for a department the people in it.
pub async fn digest_readers(conn: Conn<'_>, team: TeamId) -> Result<Vec<PersonId>, StoreError> {
    const SQL: &str = "SELECT id FROM people WHERE department_id = $1 \
         OR id IN (SELECT person_id FROM team_members WHERE team_id = $1) ORDER BY id LIMIT 500";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, PersonId>(SQL).bind(team).fetch_all(&mut *c).await)?)
}
