//! The job queue's table: enqueue (in the caller's transaction), claim with a lease, finish,
//! fail with a retry time or park, list and requeue parked jobs, purge finished ones.
//!
//! A claim moves `run_at` to the end of the lease and writes a fresh token into `locked_by`, so the
//! due range `(state, run_at)` skips running jobs, an expired lease makes its job due again, and
//! only the holder of the current token can finish or fail it. Claiming is the one query fork:
//! PostgreSQL adds `FOR UPDATE SKIP LOCKED` so nodes claiming at once take different jobs;
//! SQLite's single writer already serializes claims (see docs/storage.md).

use tandem_domain::Millis;

use crate::{Conn, StoreError, on_conn};

/// A job to add to the queue.
#[derive(Clone, Debug)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    /// The job's own fields, as JSON.
    pub payload: &'a str,
    /// Work that must happen once: a second enqueue with the same key does nothing.
    pub dedupe_key: Option<&'a str>,
    pub run_at: Millis,
    pub max_attempts: i64,
}

/// A job this runner holds the lease of.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ClaimedJob {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub max_attempts: i64,
    /// The claim token; finishing or failing the job needs it.
    pub locked_by: String,
}

/// A job as admins see it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub dedupe_key: Option<String>,
    pub state: String,
    pub run_at: Millis,
    pub attempts: i64,
    pub max_attempts: i64,
    pub last_error: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// Adds a job; `false` when a job with the same dedupe key already exists (queued, parked or done).
pub async fn enqueue(conn: Conn<'_>, job: &NewJob<'_>, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "INSERT INTO jobs (kind, payload, dedupe_key, state, run_at, attempts, max_attempts, created_at, updated_at) \
         VALUES ($1, $2, $3, 'queued', $4, 0, $5, $6, $6) ON CONFLICT (dedupe_key) DO NOTHING";
    let inserted = on_conn!(conn, c => sqlx::query(SQL)
        .bind(job.kind).bind(job.payload).bind(job.dedupe_key).bind(job.run_at).bind(job.max_attempts).bind(now)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(inserted == 1)
}

/// Takes up to `limit` due jobs under `token` until `lease_until`, oldest first.
pub async fn claim(
    conn: Conn<'_>,
    token: &str,
    now: Millis,
    lease_until: Millis,
    limit: i64,
) -> Result<Vec<ClaimedJob>, StoreError> {
    // The picked ids are a CTE so PostgreSQL evaluates the LIMIT once (as an `IN (subquery)` it
    // may run the subquery again and claim more than `limit`). The due condition is repeated in
    // the UPDATE: a row another node claimed after this statement's snapshot is re-checked there.
    macro_rules! claim_sql {
        ($lock:literal) => {
            concat!(
                "WITH picked AS (SELECT id FROM jobs WHERE state = 'queued' AND run_at <= $3 \
                 ORDER BY run_at, id LIMIT $4",
                $lock,
                ") UPDATE jobs SET locked_by = $1, run_at = $2, attempts = attempts + 1, updated_at = $3 \
                 WHERE id IN (SELECT id FROM picked) AND state = 'queued' AND run_at <= $3 \
                 RETURNING id, kind, payload, attempts, max_attempts, locked_by"
            )
        };
    }
    const SQLITE: &str = claim_sql!("");
    const POSTGRES: &str = claim_sql!(" FOR UPDATE SKIP LOCKED");
    let sql = match conn {
        Conn::Sqlite(_) => SQLITE,
        Conn::Postgres(_) => POSTGRES,
    };
    let mut claimed = on_conn!(conn, c => sqlx::query_as::<_, ClaimedJob>(sql)
        .bind(token).bind(lease_until).bind(now).bind(limit).fetch_all(&mut *c).await)?;
    claimed.sort_by_key(|job| job.id);
    Ok(claimed)
}

/// Ends a job that ran: a keyed job stays as `done` (its key keeps a late twin out), others go.
/// `false` when the lease was lost (another runner holds the job now): the caller must roll back.
pub async fn finish(conn: Conn<'_>, job: &ClaimedJob, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE jobs SET state = 'done', locked_by = NULL, run_at = $3, updated_at = $3 \
         WHERE id = $1 AND locked_by = $2 AND state = 'queued' RETURNING dedupe_key";
    const DELETE: &str = "DELETE FROM jobs WHERE id = $1 AND state = 'done' AND dedupe_key IS NULL";
    let mut conn = conn;
    let held: Option<Option<String>> = on_conn!(conn.reborrow(), c => sqlx::query_scalar(SQL)
        .bind(job.id).bind(&job.locked_by).bind(now).fetch_optional(&mut *c).await)?;
    match held {
        None => Ok(false),
        Some(Some(_key)) => Ok(true),
        Some(None) => {
            on_conn!(conn, c => sqlx::query(DELETE).bind(job.id).execute(&mut *c).await.map(|done| done.rows_affected()))?;
            Ok(true)
        }
    }
}

/// Records a failed attempt: the job is due again at `retry_at`, or parked when it has used its
/// last attempt. Returns the new state (`queued` or `parked`), or `None` when the lease was lost.
pub async fn fail(
    conn: Conn<'_>,
    job: &ClaimedJob,
    error: &str,
    retry_at: Millis,
    now: Millis,
) -> Result<Option<String>, StoreError> {
    const SQL: &str = "UPDATE jobs SET locked_by = NULL, last_error = $3, updated_at = $5, \
         state = CASE WHEN attempts >= max_attempts THEN 'parked' ELSE 'queued' END, \
         run_at = CASE WHEN attempts >= max_attempts THEN $5 ELSE $4 END \
         WHERE id = $1 AND locked_by = $2 AND state = 'queued' RETURNING state";
    Ok(on_conn!(conn, c => sqlx::query_scalar(SQL)
        .bind(job.id).bind(&job.locked_by).bind(error).bind(retry_at).bind(now).fetch_optional(&mut *c).await)?)
}

/// Parked jobs, in the order they were parked, after the keyset cursor `(run_at, id)`.
pub async fn list_parked(conn: Conn<'_>, after: Option<(Millis, i64)>, limit: i64) -> Result<Vec<JobRow>, StoreError> {
    const SQL: &str = "SELECT id, kind, payload, dedupe_key, state, run_at, attempts, max_attempts, last_error, \
         created_at, updated_at FROM jobs WHERE state = 'parked' AND (run_at, id) > ($1, $2) \
         ORDER BY run_at, id LIMIT $3";
    let (run_at, id) = after.unwrap_or((Millis::MIN, i64::MIN));
    Ok(on_conn!(conn, c => sqlx::query_as::<_, JobRow>(SQL)
        .bind(run_at).bind(id).bind(limit).fetch_all(&mut *c).await)?)
}

/// Puts a parked job back in the queue with a fresh set of attempts; `false` if it is not parked.
pub async fn requeue_parked(conn: Conn<'_>, id: i64, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE jobs SET state = 'queued', attempts = 0, run_at = $2, updated_at = $2 \
         WHERE id = $1 AND state = 'parked'";
    let changed = on_conn!(conn, c => sqlx::query(SQL).bind(id).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(changed == 1)
}

/// Deletes keyed jobs that finished before `before`; returns how many.
pub async fn purge_done(conn: Conn<'_>, before: Millis) -> Result<u64, StoreError> {
    const SQL: &str = "DELETE FROM jobs WHERE state = 'done' AND run_at < $1";
    Ok(on_conn!(conn, c => sqlx::query(SQL).bind(before).execute(&mut *c).await.map(|done| done.rows_affected()))?)
}

/// Jobs per state (for tests and metrics): `(state, count)`.
pub async fn count_by_state(conn: Conn<'_>) -> Result<Vec<(String, i64)>, StoreError> {
    const SQL: &str = "SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, (String, i64)>(SQL).fetch_all(&mut *c).await)?)
}

/// One job by id, whatever its state.
pub async fn get(conn: Conn<'_>, id: i64) -> Result<Option<JobRow>, StoreError> {
    const SQL: &str = "SELECT id, kind, payload, dedupe_key, state, run_at, attempts, max_attempts, last_error, \
         created_at, updated_at FROM jobs WHERE id = $1";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, JobRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}
