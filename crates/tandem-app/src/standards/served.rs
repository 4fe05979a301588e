//! What a ticket's resolution target has left, for the internal requests that serve it: a
//! standard with `derive_from_served` gives such a request no more time than that.

use tandem_domain::{Metric, Millis, TicketId};
use tandem_store::{Conn, targets};

use super::snapshot;
use crate::AppError;

/// The business time left at `now` on ticket `id`'s resolution target, while it runs or is
/// paused under an enabled standard; `None` when nothing measures its resolution now.
pub(crate) async fn resolution_left(mut conn: Conn<'_>, id: TicketId, now: Millis) -> Result<Option<Millis>, AppError> {
    let rows = targets::for_ticket(conn.reborrow(), id).await?;
    let Some(row) = rows.into_iter().find(|row| row.metric == Metric::Resolution) else { return Ok(None) };
    let snapshot = snapshot::current(conn).await?;
    Ok(snapshot.standard(row.standard_id).and_then(|applicable| row.clock.business_ms_left(&applicable.calendar, now)))
}
