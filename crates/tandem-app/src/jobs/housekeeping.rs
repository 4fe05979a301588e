//! The queue's own upkeep: finished keyed jobs are kept a while (their keys stop late twins from
//! running a period again), then deleted.

use serde::{Deserialize, Serialize};
use tandem_domain::Millis;
use tandem_store::Tx;

use super::{Job, JobContext, Schedule};

/// Deletes keyed jobs that finished more than `keep_ms` ago.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeFinishedJobs {
    pub keep_ms: Millis,
}

const HOUR_MS: Millis = 3_600_000;

impl PurgeFinishedJobs {
    /// Hourly, keeping a week of finished jobs: far longer than any node's clock skew or outage.
    pub fn schedule() -> Schedule {
        Schedule::every(HOUR_MS, &PurgeFinishedJobs { keep_ms: 7 * 24 * HOUR_MS })
    }
}

impl Job for PurgeFinishedJobs {
    const KIND: &'static str = "purge_finished_jobs";

    async fn run(&self, tx: &mut Tx, context: JobContext<'_>) -> anyhow::Result<()> {
        let purged = tandem_store::jobs::purge_done(tx.conn(), context.now - self.keep_ms).await?;
        tracing::debug!(jobs.purged = purged, "purged {purged} finished jobs");
        Ok(())
    }
}
