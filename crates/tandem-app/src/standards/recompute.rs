//! A new standard reaches the tickets already open: creating one enqueues, in the same transaction,
//! a job that refreshes open tickets a batch at a time, each batch enqueuing the next. Refreshing
//! is idempotent, so a batch that runs again changes nothing.

use serde::{Deserialize, Serialize};
use tandem_domain::TicketId;
use tandem_store::{Tx, targets};

use crate::jobs::{self, Job, JobContext};

/// Refreshes the targets of open tickets with ids after `after`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshOpenTickets {
    pub after: TicketId,
}

const BATCH: i64 = 200;

impl Job for RefreshOpenTickets {
    const KIND: &'static str = "refresh_open_tickets";

    async fn run(&self, tx: &mut Tx, context: JobContext<'_>) -> anyhow::Result<()> {
        let ids = targets::open_tickets_after(tx.conn(), self.after, BATCH).await?;
        for &id in &ids {
            super::refresh(tx.conn(), id, None, context.now).await?;
        }
        if let Some(&last) = ids.last()
            && ids.len() as i64 == BATCH
        {
            jobs::enqueue(tx.conn(), &RefreshOpenTickets { after: last }, None, context.now, context.now).await?;
        }
        Ok(())
    }
}
