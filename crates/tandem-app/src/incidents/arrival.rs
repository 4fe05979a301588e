//! New tickets join an open incident whose match rules they meet, in the transaction that creates
//! them. Every creation pays one read of the `incidents_matching` index: an empty range while no
//! incident with rules is open.

use serde_json::json;
use tandem_domain::{MatchRules, Millis, ServiceId, TicketId};
use tandem_store::incidents;
use tandem_store::{Conn, events};

use crate::AppError;

/// Links a ticket being created to the oldest open incident whose rules it matches, if any.
pub(crate) async fn link_on_arrival(
    mut conn: Conn<'_>,
    ticket: TicketId,
    service: Option<ServiceId>,
    subject: &str,
    now: Millis,
) -> Result<(), AppError> {
    let open = incidents::open_with_rules(conn.reborrow()).await?;
    let matching = open.into_iter().find(|incident| {
        let rules = MatchRules { service_id: incident.match_service_id, words: incident.match_words.0.clone() };
        rules.matches(service, subject)
    });
    let Some(incident) = matching else { return Ok(()) };
    if incidents::link(conn.reborrow(), incident.id, ticket, None, now).await? {
        let data = json!({ "incident_id": incident.id, "how": "match_rule" });
        events::append(conn, ticket, None, "incident_linked", &data, now).await?;
    }
    Ok(())
}
