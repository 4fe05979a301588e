//! The daily digest: once a day (one deduplicated job across nodes) each team that owns feedback
//! topics gets an email with the feedback that reached it since the last digest and did not
//! become a ticket. The emails are queued and the items marked in the job's transaction, so a job
//! that runs again finds nothing left to send.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tandem_domain::{FeedbackSource, TeamId};
use tandem_mail::templates::{Digest, DigestItem};
use tandem_store::Tx;
use tandem_store::feedback_routing::{self as store, RoutedRow};

use crate::jobs::{Job, JobContext, Schedule};

const DAY_MS: i64 = 24 * 3_600_000;

/// Items one job carries; a longer backlog goes in the next day's digest.
const MAX_ITEMS: i64 = 5_000;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendFeedbackDigests {}

impl SendFeedbackDigests {
    /// Daily, from midnight UTC.
    pub fn schedule() -> Schedule {
        Schedule::every(DAY_MS, &SendFeedbackDigests {})
    }
}

impl Job for SendFeedbackDigests {
    const KIND: &'static str = "send_feedback_digests";

    async fn run(&self, tx: &mut Tx, context: JobContext<'_>) -> anyhow::Result<()> {
        // Without email the items wait: the first digest after email is set up carries them.
        let Some(outbound) = context.outbound else { return Ok(()) };
        let mut by_team: BTreeMap<TeamId, Vec<RoutedRow>> = BTreeMap::new();
        for row in store::pending_digest(tx.conn(), MAX_ITEMS).await? {
            by_team.entry(row.team_id).or_default().push(row);
        }
        let link = outbound.link("/agent");
        for (team, rows) in by_team {
            let team_name = rows[0].team_name.clone();
            let last = rows.iter().map(|row| row.item_id).max().unwrap_or(rows[0].item_id);
            let digest = Digest { team: &team_name, items: rows.into_iter().map(item).collect(), link: &link };
            let body = digest.rendered().map_err(|error| anyhow::anyhow!("rendering a digest: {error}"))?;
            let readers = store::digest_readers(tx.conn(), team).await?;
            crate::mail::outbox::queue_digest(tx.conn(), outbound, team, &team_name, &readers, &body, context.now)
                .await?;
            store::mark_digested(tx.conn(), team, last, context.now).await?;
            tracing::info!(team.id = team.0, "queued the feedback digest of team {team}");
        }
        Ok(())
    }
}

fn item(row: RoutedRow) -> DigestItem {
    let source = match row.source {
        FeedbackSource::Review => "a review",
        FeedbackSource::Csat => "a satisfaction answer",
        FeedbackSource::Message => "a message",
    };
    DigestItem { topic: row.topic_name, source, stars: row.rating, author: row.author_name, body: row.body }
}
