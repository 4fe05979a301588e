//! The audit trail as the app writes and shows it: one event per change, with actor and time.

use serde::Serialize;
use serde_json::Value;
use tandem_domain::{EventId, Millis, PersonId, TicketId};
use tandem_store::Conn;
use tandem_store::events::{self, EventView};

use super::views::PersonSummary;
use crate::{AppError, Instant, instant};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct EventOut {
    pub id: EventId,
    /// `created`, `routed`, `assigned`, `status_changed`, `message_added`, `merged`, …
    pub kind: String,
    pub actor: Option<PersonSummary>,
    pub data: Value,
    pub at: Instant,
}

impl From<EventView> for EventOut {
    fn from(row: EventView) -> Self {
        EventOut {
            id: row.id,
            kind: row.kind,
            actor: row.actor_id.map(|id| PersonSummary {
                id: Some(id),
                name: row.actor_name.unwrap_or_default(),
                email: None,
            }),
            data: row.data.0,
            at: instant(row.at),
        }
    }
}

/// Appends one event to a ticket's trail (inside the writing transaction).
pub(crate) async fn record(
    conn: Conn<'_>,
    ticket: TicketId,
    actor: Option<PersonId>,
    kind: &str,
    data: Value,
    at: Millis,
) -> Result<(), AppError> {
    events::append(conn, ticket, actor, kind, &data, at).await?;
    Ok(())
}
