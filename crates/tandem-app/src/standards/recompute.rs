//! A new, edited or deleted standard or calendar reaches the tickets already open: the change
//! enqueues, in its own transaction, a job that refreshes open tickets a batch at a time, each
//! batch enqueuing the next. A batch locks its tickets, reads their facts and clocks with two range
//! queries, decides every clock against one snapshot of the standards, and writes only the clocks
//! that changed, a few hundred per statement. Refreshing is idempotent: a batch that runs again
//! changes nothing.

use serde::{Deserialize, Serialize};
use tandem_domain::{Millis, TicketId};
use tandem_store::{Conn, Tx, targets};

use super::refresh::{Changes, changes_into, write};
use super::snapshot;
use crate::AppError;
use crate::jobs::{self, Job, JobContext};

/// Refreshes the targets of open tickets with ids after `after`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshOpenTickets {
    pub after: TicketId,
}

/// Open tickets per job: about a tenth of a second of work on either backend (docs/benchmarks.md),
/// so SQLite's writer is not held long and the batches spread over the nodes' workers.
const BATCH: i64 = 1000;

impl Job for RefreshOpenTickets {
    const KIND: &'static str = "refresh_open_tickets";

    async fn run(&self, tx: &mut Tx, context: JobContext<'_>) -> anyhow::Result<()> {
        let ids = targets::open_tickets_after(tx.conn(), self.after, BATCH).await?;
        let Some(&through) = ids.last() else { return Ok(()) };
        let written = refresh_range(tx.conn(), self.after, through, context.now).await?;
        tracing::debug!(
            ticket.after = self.after.0,
            ticket.through = through.0,
            clocks.written = written,
            "refreshed open tickets {}..={}",
            self.after.0 + 1,
            through.0
        );
        if ids.len() as i64 == BATCH {
            jobs::enqueue(tx.conn(), &RefreshOpenTickets { after: through }, None, context.now, context.now).await?;
        }
        Ok(())
    }
}

/// Refreshes the clocks of the open tickets with ids in `(after, through]`; returns how many
/// clocks were written or dropped.
async fn refresh_range(mut conn: Conn<'_>, after: TicketId, through: TicketId, now: Millis) -> Result<usize, AppError> {
    let tickets = targets::lock_open_tickets(conn.reborrow(), after, through).await?;
    let snapshot = snapshot::current(conn.reborrow()).await?;
    let clocks = targets::for_open_tickets(conn.reborrow(), after, through).await?;
    let mut changes = Changes::default();
    let mut rest = clocks.as_slice();
    for ticket in &tickets {
        // Both lists are ordered by ticket id: skip clocks of tickets that left the batch.
        let start = rest.partition_point(|row| row.ticket_id < ticket.id);
        let own = rest[start..].partition_point(|row| row.ticket_id == ticket.id);
        changes_into(&mut changes, &snapshot, ticket, &rest[start..start + own], None, now);
        rest = &rest[start + own..];
    }
    write(conn, &changes, now).await?;
    Ok(changes.len())
}
