//! Background jobs: typed work items kept in the database's `jobs` table, enqueued in the same
//! transaction as the change that causes them, and run by a [`Worker`] on any node.
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
use tandem_store::{Conn, Tx};

use crate::AppError;

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
    fn run(&self, tx: &mut Tx, context: JobContext) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// What a running job may know about its run.
#[derive(Clone, Copy, Debug)]
pub struct JobContext {
    /// The worker's clock for this run.
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
    let payload = serde_json::to_string(job).map_err(|error| AppError::Internal(error.into()))?;
    let new = NewJob { kind: J::KIND, payload: &payload, dedupe_key, run_at, max_attempts: J::MAX_ATTEMPTS };
    Ok(jobs::enqueue(conn, &new, now).await?)
}
