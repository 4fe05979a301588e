//! The standards scan: a periodic job (one per minute, deduplicated across nodes) that marks
//! targets whose warning or due time has passed and records `sla_warning` / `sla_breached` in the
//! ticket's trail, then runs the standard's escalation for each breach (`escalate.rs`). Each mark is
//! a conditional update in the job's transaction, so it and its escalation fire once.
//!
//! One job marks at most one batch of warnings and one of breaches, so its transaction (SQLite's
//! one writer) stays short however large a backlog is (after a standard is tightened, or the
//! desk was down). A full batch enqueues the next round, in the same transaction, under a dedupe
//! key naming the minute the scan began and the round: a backlog drains a batch per job, and the
//! rounds spread over the nodes' workers.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde::{Deserialize, Serialize};
use serde_json::json;
use tandem_domain::{Metric, Millis, StandardId, TicketId};
use tandem_store::standards::{self, StandardRow};
use tandem_store::{Conn, Tx, events, targets};

use crate::AppError;
use crate::jobs::{self, Job, JobContext, Schedule};
use crate::mail::Outbound;

/// Marks one batch of due warnings and breaches, and enqueues the next round while more is due.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanStandards {
    /// The minute the scheduled scan this round continues began; `None` for the scheduled scan.
    #[serde(default)]
    pub began: Option<Millis>,
    /// Rounds of this scan that ran before this one.
    #[serde(default)]
    pub round: u32,
}

const MINUTE_MS: i64 = 60_000;
/// Marks of each kind per job: a batch at 1M tickets takes milliseconds to find (an index range)
/// and a fraction of a second to mark with its events (docs/benchmarks.md).
pub const SCAN_BATCH: i64 = 500;

impl ScanStandards {
    pub fn schedule() -> Schedule {
        Schedule::every(MINUTE_MS, &ScanStandards::default())
    }

    /// The job for the round after this one, and its dedupe key.
    fn next_round(&self, now: Millis) -> (ScanStandards, String) {
        let schedule = Self::schedule();
        let began = self.began.unwrap_or_else(|| schedule.period_of(now));
        let next = ScanStandards { began: Some(began), round: self.round + 1 };
        let key = format!("{}+{}", schedule.key(began), next.round);
        (next, key)
    }
}

impl Job for ScanStandards {
    const KIND: &'static str = "scan_standards";

    async fn run(&self, tx: &mut Tx, context: JobContext<'_>) -> anyhow::Result<()> {
        let now = context.now;
        let warned = targets::warn_due(tx.conn(), now, SCAN_BATCH).await?;
        let trail: Vec<_> = warned.iter().map(|(ticket, metric)| (*ticket, json!({ "metric": metric }))).collect();
        events::append_each(tx.conn(), "sla_warning", &trail, now).await?;
        let breached = targets::breach_due(tx.conn(), now, SCAN_BATCH).await?;
        let trail: Vec<_> = breached.iter().map(|(ticket, metric, _)| (*ticket, json!({ "metric": metric }))).collect();
        events::append_each(tx.conn(), "sla_breached", &trail, now).await?;
        escalate_all(tx.conn(), &breached, context.outbound, now).await?;
        let more = warned.len() as i64 == SCAN_BATCH || breached.len() as i64 == SCAN_BATCH;
        if more {
            // The same key from a retried or concurrent round adds nothing: one next round each.
            let (next, key) = self.next_round(now);
            jobs::enqueue(tx.conn(), &next, Some(&key), now, now).await?;
        }
        tracing::debug!(
            scan.round = self.round,
            targets.warned = warned.len(),
            targets.breached = breached.len(),
            scan.more = more,
            "standards scan round {} marked {} warnings and {} breaches",
            self.round,
            warned.len(),
            breached.len()
        );
        Ok(())
    }
}

/// Runs each breach's escalation, reading each standard once per batch: most standards name no
/// escalation for most targets, and then a breach costs nothing beyond its mark and event.
async fn escalate_all(
    mut conn: Conn<'_>,
    breached: &[(TicketId, Metric, StandardId)],
    outbound: Option<&Outbound>,
    now: Millis,
) -> Result<(), AppError> {
    let mut standards: HashMap<StandardId, StandardRow> = HashMap::new();
    for &(ticket, metric, standard_id) in breached {
        let standard = match standards.entry(standard_id) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => entry.insert(
                standards::get_standard(conn.reborrow(), standard_id).await?.ok_or(AppError::NotFound("standard"))?,
            ),
        };
        if standard.escalations.0.of(metric).is_some() {
            super::escalate::escalate(conn.reborrow(), ticket, metric, standard, outbound, now).await?;
        }
    }
    Ok(())
}
