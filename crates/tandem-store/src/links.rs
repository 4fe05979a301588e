//! The service chain: which internal request serves which ticket (`ticket_links`, one parent per
//! request, so chains are trees), how long each link kept its parent waiting, and the asking
//! agent's rating of the hand-off. A whole chain is read in one recursive query.

use tandem_domain::{Millis, OrganizationId, PersonId, TargetState, TeamId, TicketAudience, TicketId, TicketStatus};

use crate::sql::{Arg, SqlBuf};
use crate::{Conn, StoreError, bind_args, on_conn};

/// Deeper than any real chain; it bounds the recursive queries should a loop ever slip in.
const MAX_DEPTH: i64 = 32;

/// A link as the parent's page and the hooks need it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LinkRow {
    pub child_id: TicketId,
    pub parent_id: TicketId,
    pub created_by: Option<PersonId>,
    pub created_at: Millis,
    pub served_left_ms: Option<Millis>,
    pub waiting_since: Option<Millis>,
    pub waited_ms: Millis,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    pub rated_by: Option<PersonId>,
    pub rated_at: Option<Millis>,
}

/// One ticket of a chain with what the chain page shows of it: its parties (to decide what the
/// viewer may see), its link, and its resolution target.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ChainRow {
    pub id: TicketId,
    pub parent_id: Option<TicketId>,
    pub depth: i64,
    pub subject: String,
    pub status: TicketStatus,
    pub audience: TicketAudience,
    pub team_id: TeamId,
    pub team_name: String,
    pub requester_id: PersonId,
    pub recipient_id: Option<PersonId>,
    pub organization_id: Option<OrganizationId>,
    pub assignee_name: Option<String>,
    pub created_at: Millis,
    pub solved_at: Option<Millis>,
    pub linked_at: Option<Millis>,
    pub waiting_since: Option<Millis>,
    pub waited_ms: Option<Millis>,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    pub standard_name: Option<String>,
    pub resolution_state: Option<TargetState>,
    pub resolution_due_at: Option<Millis>,
}

/// A new link; `waiting` when the parent already waits on its links (`pending_internal`).
#[derive(Clone, Copy, Debug)]
pub struct NewLink {
    pub child_id: TicketId,
    pub parent_id: TicketId,
    pub created_by: PersonId,
    pub served_left_ms: Option<Millis>,
    pub waiting: bool,
}

/// Inserts a link; `false` when the child already serves a ticket (nothing written).
pub async fn insert(conn: Conn<'_>, link: NewLink, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "INSERT INTO ticket_links (child_id, parent_id, created_by, created_at, served_left_ms, \
         waiting_since, waited_ms) VALUES ($1, $2, $3, $4, $5, $6, 0) ON CONFLICT (child_id) DO NOTHING";
    let waiting_since = link.waiting.then_some(now);
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(link.child_id).bind(link.parent_id).bind(link.created_by).bind(now)
        .bind(link.served_left_ms).bind(waiting_since)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

macro_rules! link_columns {
    () => {
        "child_id, parent_id, created_by, created_at, served_left_ms, waiting_since, waited_ms, rating, \
         rating_comment, rated_by, rated_at"
    };
}

/// The link by which `child` serves another ticket, if it does.
pub async fn serving(conn: Conn<'_>, child: TicketId) -> Result<Option<LinkRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", link_columns!(), " FROM ticket_links WHERE child_id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, LinkRow>(SQL).bind(child).fetch_optional(&mut *c).await)?)
}

/// Removes the link of `child`; returns it as it was.
pub async fn delete(conn: Conn<'_>, child: TicketId) -> Result<Option<LinkRow>, StoreError> {
    const SQL: &str = concat!("DELETE FROM ticket_links WHERE child_id = $1 RETURNING ", link_columns!());
    Ok(on_conn!(conn, c => sqlx::query_as::<_, LinkRow>(SQL).bind(child).fetch_optional(&mut *c).await)?)
}

/// The tickets `id` serves, nearest first (its parent, the parent's parent, …).
pub async fn ancestors(conn: Conn<'_>, id: TicketId) -> Result<Vec<TicketId>, StoreError> {
    const SQL: &str = "WITH RECURSIVE up (id, depth) AS ( \
         SELECT parent_id, 1 FROM ticket_links WHERE child_id = $1 \
         UNION ALL SELECT l.parent_id, up.depth + 1 FROM ticket_links l JOIN up ON l.child_id = up.id \
         WHERE up.depth < $2) \
         SELECT id FROM up ORDER BY depth";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, TicketId>(SQL).bind(id).bind(MAX_DEPTH).fetch_all(&mut *c).await)?)
}

/// Every ticket of the tree under `root` (itself included, at depth 0), parents before children.
/// Two statements: the tree's shape from `ticket_links` alone, then its tickets by primary key.
/// (One statement joining the recursive CTE to `tickets` let SQLite 3.50's planner, without
/// statistics, walk a million-row table: 70 ms instead of 1.)
pub async fn tree(mut conn: Conn<'_>, root: TicketId) -> Result<Vec<ChainRow>, StoreError> {
    const SHAPE: &str = "WITH RECURSIVE down (id, depth) AS ( \
         SELECT CAST($1 AS BIGINT), CAST(0 AS BIGINT) \
         UNION ALL SELECT l.child_id, down.depth + 1 FROM ticket_links l JOIN down ON l.parent_id = down.id \
         WHERE down.depth < $2) \
         SELECT id, depth FROM down";
    let shape = on_conn!(conn.reborrow(), c => sqlx::query_as::<_, (TicketId, i64)>(SHAPE)
        .bind(root).bind(MAX_DEPTH).fetch_all(&mut *c).await)?;
    let mut sql = SqlBuf::new(
        "SELECT t.id, l.parent_id, CAST(0 AS BIGINT) AS depth, t.subject, t.status, t.audience, t.team_id, \
         tm.name AS team_name, t.requester_id, t.recipient_id, t.organization_id, a.name AS assignee_name, \
         t.created_at, t.solved_at, l.created_at AS linked_at, l.waiting_since, l.waited_ms, l.rating, \
         l.rating_comment, s.name AS standard_name, tt.state AS resolution_state, tt.due_at AS resolution_due_at \
         FROM tickets t JOIN teams tm ON tm.id = t.team_id \
         LEFT JOIN people a ON a.id = t.assignee_id \
         LEFT JOIN ticket_links l ON l.child_id = t.id \
         LEFT JOIN ticket_targets tt ON tt.ticket_id = t.id AND tt.metric = 'resolution' \
         LEFT JOIN standards s ON s.id = tt.standard_id \
         WHERE t.id IN ",
    );
    sql.bind_list(shape.iter().map(|(id, _)| Arg::Int(id.0)));
    let (text, args) = sql.sql();
    let mut rows = on_conn!(conn, c => bind_args!(sqlx::query_as::<_, ChainRow>(text), args).fetch_all(&mut *c).await)?;
    for row in &mut rows {
        row.depth = shape.iter().find(|(id, _)| *id == row.id).map_or(0, |(_, depth)| *depth);
    }
    rows.sort_by_key(|row| (row.depth, row.id));
    Ok(rows)
}

/// The requests serving `parent` that are still open (not solved or closed).
pub async fn open_children(conn: Conn<'_>, parent: TicketId) -> Result<Vec<TicketId>, StoreError> {
    const SQL: &str = "SELECT l.child_id FROM ticket_links l WHERE l.parent_id = $1 \
         AND EXISTS (SELECT 1 FROM tickets t WHERE t.id = l.child_id AND t.status NOT IN ('solved', 'closed')) \
         ORDER BY l.child_id";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, TicketId>(SQL).bind(parent).fetch_all(&mut *c).await)?)
}

/// The parent starts waiting: each of its open links starts counting.
pub async fn start_waiting_on_children(conn: Conn<'_>, parent: TicketId, now: Millis) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE ticket_links SET waiting_since = $2 WHERE parent_id = $1 AND waiting_since IS NULL \
         AND EXISTS (SELECT 1 FROM tickets t WHERE t.id = ticket_links.child_id \
         AND t.status NOT IN ('solved', 'closed'))";
    on_conn!(conn, c => sqlx::query(SQL).bind(parent).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// The parent stops waiting: each counting link adds its stretch to its total.
pub async fn stop_waiting_on_children(conn: Conn<'_>, parent: TicketId, now: Millis) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE ticket_links SET waited_ms = waited_ms + ($2 - waiting_since), waiting_since = NULL \
         WHERE parent_id = $1 AND waiting_since IS NOT NULL";
    on_conn!(conn, c => sqlx::query(SQL).bind(parent).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// A request is done (or open again): its link stops (or starts) counting; it starts only while
/// its parent waits on its links.
pub async fn set_child_waiting(conn: Conn<'_>, child: TicketId, waiting: bool, now: Millis) -> Result<(), StoreError> {
    const STOP: &str = "UPDATE ticket_links SET waited_ms = waited_ms + ($2 - waiting_since), waiting_since = NULL \
         WHERE child_id = $1 AND waiting_since IS NOT NULL";
    const START: &str = "UPDATE ticket_links SET waiting_since = $2 WHERE child_id = $1 AND waiting_since IS NULL \
         AND EXISTS (SELECT 1 FROM tickets t WHERE t.id = ticket_links.parent_id AND t.status = 'pending_internal')";
    let sql = if waiting { START } else { STOP };
    on_conn!(conn, c => sqlx::query(sql).bind(child).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// Records (or changes) the asking agent's rating of the hand-off.
pub async fn rate(
    conn: Conn<'_>,
    child: TicketId,
    rating: i64,
    comment: Option<&str>,
    by: PersonId,
    now: Millis,
) -> Result<bool, StoreError> {
    const SQL: &str =
        "UPDATE ticket_links SET rating = $2, rating_comment = $3, rated_by = $4, rated_at = $5 WHERE child_id = $1";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(child).bind(rating).bind(comment).bind(by).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// When the open requests serving `parent` are due to be resolved, at the latest: what the
/// parent's requester can be told to expect while it waits on them.
pub async fn expected_by(conn: Conn<'_>, parent: TicketId) -> Result<Option<Millis>, StoreError> {
    const SQL: &str = "SELECT MAX(tt.due_at) FROM ticket_links l \
         JOIN ticket_targets tt ON tt.ticket_id = l.child_id AND tt.metric = 'resolution' \
         WHERE l.parent_id = $1 \
         AND EXISTS (SELECT 1 FROM tickets t WHERE t.id = l.child_id AND t.status NOT IN ('solved', 'closed'))";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, Option<Millis>>(SQL).bind(parent).fetch_one(&mut *c).await)?)
}
