//! The worker: claims due jobs with a lease, runs each in its own transaction, finishes it there,
//! and on failure schedules a retry with exponential backoff or parks the job after its last
//! attempt. Time is always an argument, so tests drive the worker with a clock of their own.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tandem_domain::Millis;
use tandem_store::jobs::{self, ClaimedJob};
use tandem_store::{Store, Tx};
use tokio::sync::watch;

use super::registry::Handler;
use super::{EffectContext, JobContext, Registry, Schedule};
use crate::mail::Outbound;
use crate::{App, AppError};

/// How a worker claims and retries.
#[derive(Clone, Debug)]
pub struct WorkerOptions {
    /// Names this worker's claims (in `jobs.locked_by`); unique per process.
    pub node: String,
    /// Jobs claimed at once.
    pub batch: i64,
    /// How long a claim holds a job; a job still running after it may be run again elsewhere.
    pub lease_ms: Millis,
    /// The first retry's delay; each further attempt doubles it, up to `max_backoff_ms`.
    pub backoff_ms: Millis,
    pub max_backoff_ms: Millis,
    /// Sleep between polls when no job is due.
    pub poll: Duration,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            node: format!("node-{}-{:08x}", std::process::id(), rand::random::<u32>()),
            batch: 16,
            lease_ms: 60_000,
            backoff_ms: 10_000,
            max_backoff_ms: 3_600_000,
            poll: Duration::from_secs(1),
        }
    }
}

/// What one pass over the due jobs did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    pub claimed: usize,
    pub finished: usize,
    pub retried: usize,
    pub parked: usize,
    /// Jobs whose lease ran out before they finished: rolled back, another claim owns them.
    pub lost: usize,
}

/// Runs the jobs of one node.
#[derive(Debug)]
pub struct Worker {
    store: Store,
    registry: Arc<Registry>,
    schedules: Vec<Schedule>,
    options: WorkerOptions,
    claims: AtomicU64,
    /// How this node sends email, for the jobs that do.
    outbound: Option<Arc<Outbound>>,
}

impl App {
    /// A worker over this app's database.
    pub fn worker(&self, registry: Registry, schedules: Vec<Schedule>, options: WorkerOptions) -> Worker {
        Worker {
            store: self.store().clone(),
            registry: Arc::new(registry),
            schedules,
            options,
            claims: AtomicU64::new(0),
            outbound: self.outbound().cloned(),
        }
    }
}

impl Worker {
    /// Enqueues each schedule's job for the period `now` falls in (deduplicated across nodes).
    pub async fn tick(&self, now: Millis) -> Result<usize, AppError> {
        let mut added = 0;
        for schedule in &self.schedules {
            if schedule.enqueue_if_new_period(&self.store, now).await? {
                added += 1;
            }
        }
        Ok(added)
    }

    /// Claims one batch of due jobs and runs them.
    pub async fn run_due(&self, now: Millis) -> Result<RunReport, AppError> {
        let token = format!("{}/{}", self.options.node, self.claims.fetch_add(1, Ordering::Relaxed));
        let mut tx = self.store.begin().await?;
        let claimed = jobs::claim(tx.conn(), &token, now, now + self.options.lease_ms, self.options.batch).await?;
        tx.commit().await?;
        let mut report = RunReport { claimed: claimed.len(), ..RunReport::default() };
        for job in &claimed {
            match self.run_one(job, now).await? {
                Outcome::Finished => report.finished += 1,
                Outcome::Retried => report.retried += 1,
                Outcome::Parked => report.parked += 1,
                Outcome::Lost => report.lost += 1,
            }
        }
        Ok(report)
    }

    /// Runs batches until none is due at `now`; returns their sum.
    pub async fn run_until_idle(&self, now: Millis) -> Result<RunReport, AppError> {
        let mut total = RunReport::default();
        loop {
            let report = self.run_due(now).await?;
            if report.claimed == 0 {
                return Ok(total);
            }
            total.claimed += report.claimed;
            total.finished += report.finished;
            total.retried += report.retried;
            total.parked += report.parked;
            total.lost += report.lost;
        }
    }

    /// Ticks and runs jobs until `shutdown` turns true, reading `clock` once per pass.
    pub async fn run(&self, clock: impl Fn() -> Millis, mut shutdown: watch::Receiver<bool>) {
        while !*shutdown.borrow() {
            let now = clock();
            if let Err(error) = self.tick(now).await {
                tracing::warn!(error = %error, "enqueueing scheduled jobs failed");
            }
            // Poll again at once after a full batch, or after finishing a job: it may have
            // enqueued its next round due now (a standards scan working through a backlog).
            let busy = match self.run_due(now).await {
                Ok(report) => report.claimed as i64 == self.options.batch || report.finished > 0,
                Err(error) => {
                    tracing::warn!(error = %error, "running jobs failed");
                    false
                }
            };
            if !busy {
                tokio::select! {
                    () = tokio::time::sleep(self.options.poll) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
    }

    async fn run_one(&self, job: &ClaimedJob, now: Millis) -> Result<Outcome, AppError> {
        let ran = match self.registry.handler(&job.kind) {
            Some(Handler::InTx(run)) => {
                let context = JobContext { now, attempt: job.attempts, outbound: self.outbound.as_deref() };
                let mut tx = self.store.begin().await?;
                match run(&job.payload, &mut tx, context).await {
                    Ok(()) => finish(tx, job, now).await,
                    Err(error) => Err(error),
                }
            }
            Some(Handler::Effect(run)) => {
                // No transaction is open while the effect talks to the outside world.
                let context = EffectContext {
                    store: &self.store,
                    outbound: self.outbound.as_deref(),
                    now,
                    attempt: job.attempts,
                };
                match run(&job.payload, context).await {
                    Ok(()) => finish(self.store.begin().await?, job, now).await,
                    Err(error) => Err(error),
                }
            }
            None => Err(anyhow::anyhow!("no handler for job kind `{}` on this node", job.kind)),
        };
        match ran {
            Ok(outcome) => {
                if let Outcome::Finished = outcome {
                    tracing::debug!(job.id = job.id, job.kind = %job.kind, "job {} finished", job.id);
                }
                Ok(outcome)
            }
            // The job's transaction is gone (rolled back) by now: SQLite's one writer is free
            // again for recording the failure.
            Err(error) => self.record_failure(job, &error, now).await,
        }
    }

    async fn record_failure(&self, job: &ClaimedJob, error: &anyhow::Error, now: Millis) -> Result<Outcome, AppError> {
        let retry_at = now + backoff(&self.options, job.attempts);
        let mut tx = self.store.begin().await?;
        let state = jobs::fail(tx.conn(), job, &format!("{error:#}"), retry_at, now).await?;
        tx.commit().await?;
        Ok(match state.as_deref() {
            None => Outcome::Lost,
            Some("parked") => {
                tracing::error!(job.id = job.id, job.kind = %job.kind, error = %format!("{error:#}"), "job {} parked after its last attempt", job.id);
                Outcome::Parked
            }
            Some(_) => {
                tracing::warn!(job.id = job.id, job.kind = %job.kind, error = %format!("{error:#}"), "job {} failed; will retry", job.id);
                Outcome::Retried
            }
        })
    }
}

/// Marks the job finished in its own transaction and commits, if the lease is still held.
async fn finish(mut tx: Tx, job: &ClaimedJob, now: Millis) -> anyhow::Result<Outcome> {
    if !jobs::finish(tx.conn(), job, now).await? {
        return Ok(Outcome::Lost);
    }
    tx.commit().await?;
    Ok(Outcome::Finished)
}

enum Outcome {
    Finished,
    Retried,
    Parked,
    Lost,
}

/// The delay before the attempt after `attempts`: the base, doubled per further attempt, capped.
fn backoff(options: &WorkerOptions, attempts: i64) -> Millis {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    options.backoff_ms.saturating_mul(1_i64 << doublings).min(options.max_backoff_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let options = WorkerOptions { backoff_ms: 10, max_backoff_ms: 50, ..WorkerOptions::default() };
        let delays: Vec<Millis> = (1..=5).map(|attempts| backoff(&options, attempts)).collect();
        assert_eq!(delays, [10, 20, 40, 50, 50]);
        assert_eq!(backoff(&options, 1_000), 50, "no overflow after many attempts");
    }
}
