//! Periodic work. A schedule never runs anything: on each period it enqueues one job whose dedupe
//! key names the kind and the period (`purge_finished_jobs@2026-11-23T10:00:00Z`), so however many
//! nodes tick, each period's job exists once and runs once.

use std::sync::atomic::{AtomicI64, Ordering};

use tandem_domain::Millis;
use tandem_store::Store;
use tandem_store::jobs::{self, NewJob};

use super::Job;
use crate::AppError;

/// One job kind enqueued every `every_ms`.
#[derive(Debug)]
pub struct Schedule {
    kind: &'static str,
    payload: String,
    max_attempts: i64,
    every_ms: Millis,
    /// The last period this node enqueued (or found enqueued), so a tick within the same period
    /// does not touch the database again.
    last_period: AtomicI64,
}

impl Schedule {
    /// Enqueues `job` once per period of `every_ms` milliseconds (periods start at the epoch).
    pub fn every<J: Job>(every_ms: Millis, job: &J) -> Schedule {
        Schedule {
            kind: J::KIND,
            payload: serde_json::to_string(job).unwrap_or_else(|_| "{}".to_owned()),
            max_attempts: J::MAX_ATTEMPTS,
            every_ms: every_ms.max(1),
            last_period: AtomicI64::new(Millis::MIN),
        }
    }

    /// The start of the period `now` falls in.
    pub fn period_of(&self, now: Millis) -> Millis {
        now - now.rem_euclid(self.every_ms)
    }

    /// The dedupe key of the period that starts at `period`.
    pub fn key(&self, period: Millis) -> String {
        let start = jiff::Timestamp::from_millisecond(period).map_or_else(|_| period.to_string(), |t| t.to_string());
        format!("{}@{start}", self.kind)
    }

    /// Enqueues this period's job unless this node already saw to it; `true` if this call added it.
    pub(super) async fn enqueue_if_new_period(&self, store: &Store, now: Millis) -> Result<bool, AppError> {
        let period = self.period_of(now);
        if self.last_period.load(Ordering::Relaxed) == period {
            return Ok(false);
        }
        let key = self.key(period);
        let job = NewJob {
            kind: self.kind,
            payload: &self.payload,
            dedupe_key: Some(&key),
            run_at: now,
            max_attempts: self.max_attempts,
        };
        let mut tx = store.begin().await?;
        let added = jobs::enqueue(tx.conn(), &job, now).await?;
        tx.commit().await?;
        self.last_period.store(period, Ordering::Relaxed);
        Ok(added)
    }
}
