//! The standards scan: a periodic job (one per minute, deduplicated across nodes) that marks
//! targets whose warning or due time has passed and records `sla_warning` / `sla_breached` in the
//! ticket's trail, then runs the standard's escalation for each breach (`escalate.rs`). Each mark is
//! a conditional update in the job's transaction, so it and its escalation fire once.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tandem_store::{Tx, events, targets};

use crate::jobs::{Job, JobContext, Schedule};

/// Marks due warnings and breaches, in batches until none is left.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanStandards {}

const MINUTE_MS: i64 = 60_000;
const BATCH: i64 = 500;

impl ScanStandards {
    pub fn schedule() -> Schedule {
        Schedule::every(MINUTE_MS, &ScanStandards {})
    }
}

impl Job for ScanStandards {
    const KIND: &'static str = "scan_standards";

    async fn run(&self, tx: &mut Tx, context: JobContext<'_>) -> anyhow::Result<()> {
        let now = context.now;
        loop {
            let warned = targets::warn_due(tx.conn(), now, BATCH).await?;
            for (ticket, metric) in &warned {
                events::append(tx.conn(), *ticket, None, "sla_warning", &json!({ "metric": metric }), now).await?;
            }
            let breached = targets::breach_due(tx.conn(), now, BATCH).await?;
            for (ticket, metric) in &breached {
                events::append(tx.conn(), *ticket, None, "sla_breached", &json!({ "metric": metric }), now).await?;
                super::escalate::escalate(tx.conn(), *ticket, *metric, context.outbound, now).await?;
            }
            if (warned.len() as i64) < BATCH && (breached.len() as i64) < BATCH {
                return Ok(());
            }
        }
    }
}
