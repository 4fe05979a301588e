//! Which ticket a message continues. In order: a Message-ID it answers (In-Reply-To, then
//! References) that the desk has seen; then a `[#N]` ticket number in the subject, trusted only
//! when the sender is already a party to that ticket (a number is easy to guess, a Message-ID is
//! not). A merged ticket forwards to the one it was merged into; a closed one is never continued
//! (the reply opens a new ticket instead).

use tandem_domain::{PersonId, TicketId, TicketStatus};
use tandem_mail::Inbound;
use tandem_store::tickets::{self, TicketView};
use tandem_store::{Conn, inbound, teams};

use crate::AppError;

/// How many merges are followed before giving up (merges never form a cycle; this bounds a bug).
const MAX_MERGE_HOPS: usize = 8;

/// The open ticket this message continues, if any.
pub(super) async fn find_ticket(
    mut conn: Conn<'_>,
    message: &Inbound,
    sender: PersonId,
) -> Result<Option<TicketView>, AppError> {
    let answered: Vec<String> = message.in_reply_to.iter().chain(message.references.iter().rev()).cloned().collect();
    let mut found = match inbound::ticket_of_message_ids(conn.reborrow(), &answered).await? {
        Some(id) => tickets::get(conn.reborrow(), id).await?,
        None => None,
    };
    if found.is_none()
        && let Some(number) = tandem_mail::ticket_number(&message.subject)
        && let Some(ticket) = tickets::get(conn.reborrow(), TicketId(number)).await?
        && is_party(conn.reborrow(), &ticket, sender).await?
    {
        found = Some(ticket);
    }
    for _ in 0..MAX_MERGE_HOPS {
        match found.as_ref().and_then(|ticket| ticket.merged_into_id) {
            Some(into) => found = tickets::get(conn.reborrow(), into).await?,
            None => break,
        }
    }
    Ok(found.filter(|ticket| ticket.status != TicketStatus::Closed && ticket.merged_into_id.is_none()))
}

/// The requester, the person it is for, a follower, or an agent of its team.
async fn is_party(mut conn: Conn<'_>, ticket: &TicketView, person: PersonId) -> Result<bool, AppError> {
    Ok(ticket.requester_id == person
        || ticket.recipient_id == Some(person)
        || tickets::is_follower(conn.reborrow(), ticket.id, person).await?
        || teams::is_member(conn, ticket.team_id, person).await?)
}
