//! Posting an update on the linked tickets, a batch at a time: the first batch in the transaction
//! that writes the update, each further batch in a job the one before enqueued. Each ticket gets a
//! public reply in its audience's voice through the same path as an agent's reply (so the email
//! goes out too); a delivery row claimed before the reply makes a batch that runs twice skip what
//! it already posted.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tandem_domain::ticket::Side;
use tandem_domain::{Channel, IncidentUpdateId, MessageVisibility, Millis, TicketAudience, TicketId, TicketStatus};
use tandem_store::incidents::{self, UpdateRow};
use tandem_store::tickets::{self, TicketView};
use tandem_store::{Conn, Tx, events};

use crate::AppError;
use crate::jobs::{self, Job, JobContext};
use crate::mail::Outbound;
use crate::tickets::messages::{Posting, write};

/// Posts update `update` on the linked tickets with numbers after `after`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliverIncidentUpdate {
    pub update: IncidentUpdateId,
    pub after: TicketId,
}

/// Tickets per batch: each is a full reply (message, ticket, clocks, trail, maybe an email), so a
/// batch holds SQLite's writer for a fraction of a second.
pub(crate) const BATCH: i64 = 50;

impl Job for DeliverIncidentUpdate {
    const KIND: &'static str = "deliver_incident_update";

    async fn run(&self, tx: &mut Tx, context: JobContext<'_>) -> anyhow::Result<()> {
        let Some(update) = incidents::get_update(tx.conn(), self.update).await? else { return Ok(()) };
        deliver_batch(tx.conn(), context.outbound, &update, self.after, context.now).await?;
        Ok(())
    }
}

/// Posts the update on one batch of active linked tickets after `after` and enqueues the next
/// batch when this one was full.
pub(crate) async fn deliver_batch(
    mut conn: Conn<'_>,
    outbound: Option<&Outbound>,
    update: &UpdateRow,
    after: TicketId,
    now: Millis,
) -> Result<(), AppError> {
    let ids = incidents::active_linked_after(conn.reborrow(), update.incident_id, after, BATCH).await?;
    for &id in &ids {
        tickets::lock(conn.reborrow(), id).await?;
        let Some(ticket) = tickets::get(conn.reborrow(), id).await? else { continue };
        let Some(posting) = posting_for(update, &ticket) else { continue };
        if !incidents::claim_delivery(conn.reborrow(), update.id, id, now).await? {
            continue;
        }
        let message_id = write(conn.reborrow(), outbound, &ticket, posting, &[], now).await?;
        let data = json!({ "incident_id": update.incident_id, "update_id": update.id, "message_id": message_id });
        events::append(conn.reborrow(), id, Some(update.author_id), "incident_update_posted", &data, now).await?;
    }
    if let Some(&last) = ids.last()
        && ids.len() as i64 == BATCH
    {
        let next = DeliverIncidentUpdate { update: update.id, after: last };
        let key = format!("deliver_incident_update:{}:{}", update.id, last);
        jobs::enqueue(conn, &next, Some(&key), now, now).await?;
    }
    Ok(())
}

/// What the update posts on this ticket: a public reply in the ticket's audience's voice; for a
/// final update without that voice, an internal note that solves it; nothing for an ordinary
/// update without it, or for a ticket that is no longer worked.
fn posting_for(update: &UpdateRow, ticket: &TicketView) -> Option<Posting> {
    if !ticket.status.is_active() {
        return None;
    }
    let voice = match ticket.audience {
        TicketAudience::External => update.external_body.as_ref(),
        TicketAudience::Internal => update.internal_body.as_ref(),
    };
    let (visibility, body) = match (voice, update.solves_tickets) {
        (Some(body), _) => (MessageVisibility::Public, body.clone()),
        (None, true) => (MessageVisibility::Internal, format!("Solved with incident #{}.", update.incident_id)),
        (None, false) => return None,
    };
    Some(Posting {
        author: update.author_id,
        side: Side::Agent,
        visibility,
        channel: Channel::Web,
        body,
        status: update.solves_tickets.then_some(TicketStatus::Solved),
        // The incident's owners decided: its tickets are solved even over open linked requests.
        open_links_reason: update.solves_tickets.then(|| format!("solved with incident #{}", update.incident_id)),
    })
}
