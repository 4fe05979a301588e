//! Background jobs: typed work items kept in the database's `jobs` table, enqueued in the same
//! transaction as the change that causes them, and run by a [`Worker`] on any node: a [`Job`]
//! inside its own transaction, an [`Effect`] (sending mail) outside any.
//!
//! A job's database effects are written in the transaction that also marks the job finished, and
//! that transaction commits only while the runner still holds the job's lease. So a job whose
//! lease ran out mid-run (a stalled node) cannot finish twice: the late runner rolls back. Effects
//! outside the database (mail) must still be idempotent, since they can happen before a lost lease.

mod housekeeping;
mod parked;
mod registry;
mod schedule;
mod worker;

use std::future::Future;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tandem_domain::Millis;
use tandem_store::jobs::{self, NewJob};
use tandem_store::{Conn, Store, Tx};

use crate::AppError;
use crate::mail::Outbound;

pub use housekeeping::PurgeFinishedJobs;
pub use parked::JobView;
pub use registry::Registry;
pub use schedule::Schedule;
pub use worker::{RunReport, Worker, WorkerOptions};

/// A kind of background work. Its fields are the job's payload (JSON in the table).
pub trait Job: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The stable name stored in the table; never rename it while such jobs may be queued.
    const KIND: &'static str;
    /// Attempts before the job is parked for an admin to look at.
    const MAX_ATTEMPTS: i64 = 5;

    /// Does the work. Database effects go through `tx`, which commits with the job's completion.
    fn run(&self, tx: &mut Tx, context: JobContext<'_>) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// What a running job may know about its run.
#[derive(Clone, Copy, Debug)]
pub struct JobContext<'a> {
    /// The worker's clock for this run.
    pub now: Millis,
    /// 1 on the first attempt.
    pub attempt: i64,
    /// How this node sends email (a job may queue some); `None` without an SMTP server.
    pub outbound: Option<&'a Outbound>,
}

/// A kind of background work that talks to the world outside the database (an SMTP server). It
/// runs with no transaction open, so a slow server never holds SQLite's one writer, and records
/// what it did in short transactions of its own. A lease lost mid-run can make it run twice, so
/// it checks its own record before acting.
pub trait Effect: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The stable name stored in the table; never rename it while such jobs may be queued.
    const KIND: &'static str;
    /// Attempts before the job is parked for an admin to look at.
    const MAX_ATTEMPTS: i64 = 5;

    fn run(&self, context: EffectContext<'_>) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// What an [`Effect`] works with.
#[derive(Clone, Copy, Debug)]
pub struct EffectContext<'a> {
    pub store: &'a Store,
    /// How this node sends email; `None` when it has no SMTP server configured.
    pub outbound: Option<&'a Outbound>,
    pub now: Millis,
    /// 1 on the first attempt.
    pub attempt: i64,
}

/// Adds `job` to the queue in the caller's transaction, due at `run_at`. With a `dedupe_key`, the
/// job is added only if no job with that key exists yet; the answer says whether it was added.
pub async fn enqueue<J: Job>(
    conn: Conn<'_>,
    job: &J,
    dedupe_key: Option<&str>,
    run_at: Millis,
    now: Millis,
) -> Result<bool, AppError> {
    enqueue_kind(conn, J::KIND, J::MAX_ATTEMPTS, job, dedupe_key, run_at, now).await
}

/// Adds an [`Effect`] to the queue in the caller's transaction, due now: it runs only if that
/// transaction commits.
pub async fn enqueue_effect<E: Effect>(conn: Conn<'_>, effect: &E, now: Millis) -> Result<bool, AppError> {
    enqueue_kind(conn, E::KIND, E::MAX_ATTEMPTS, effect, None, now, now).await
}

async fn enqueue_kind(
    conn: Conn<'_>,
    kind: &'static str,
    max_attempts: i64,
    payload: &impl Serialize,
    dedupe_key: Option<&str>,
    run_at: Millis,
    now: Millis,
) -> Result<bool, AppError> {
    let payload = serde_json::to_string(payload).map_err(|error| AppError::Internal(error.into()))?;
    let new = NewJob { kind, payload: &payload, dedupe_key, run_at, max_attempts };
    Ok(jobs::enqueue(conn, &new, now).await?)
}
