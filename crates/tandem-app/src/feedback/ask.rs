//! Asking for a rating: when a ticket is solved, its requester gets an email with signed rating
//! links that work without signing in. The link's token is random and only its SHA-256 is kept,
//! tied to the ticket and the person, and it expires when the ticket's survey closes.

use tandem_domain::{Millis, TicketId};
use tandem_store::satisfaction::{self, RatingLinkRow};
use tandem_store::{Conn, links, tickets};

use super::csat::SURVEY_OPEN_MS;
use crate::AppError;
use crate::mail::{Outbound, outbox};
use crate::surveys::links::{link_hash, new_link_token};

/// In the transaction that solves `ticket`: queues the rating request to its requester. Nothing
/// without email, and nothing for a request that serves another ticket (its asker rates the
/// hand-off instead).
pub(crate) async fn ask_for_rating(
    mut conn: Conn<'_>,
    outbound: Option<&Outbound>,
    ticket: TicketId,
    now: Millis,
) -> Result<(), AppError> {
    let Some(outbound) = outbound else { return Ok(()) };
    if links::serving(conn.reborrow(), ticket).await?.is_some() {
        return Ok(());
    }
    let ticket = tickets::get(conn.reborrow(), ticket).await?.ok_or(AppError::NotFound("ticket"))?;
    let token = new_link_token();
    let expires_at = now + SURVEY_OPEN_MS;
    let link = RatingLinkRow { ticket_id: ticket.id, person_id: ticket.requester_id, expires_at };
    satisfaction::insert_link(conn.reborrow(), &link_hash(&token), &link, now).await?;
    outbox::queue_rating_request(conn, outbound, &ticket, ticket.requester_id, &token, expires_at, now).await
}
