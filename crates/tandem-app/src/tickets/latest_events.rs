//! The end of a ticket's audit trail, newest first: what the agent console shows beside a ticket,
//! without walking the whole trail from its start.

use tandem_domain::{Principal, TicketId};
use tandem_store::events;

use super::events::EventOut;
use super::{access, require_agent};
use crate::{App, AppError};

impl App {
    /// The latest `limit` events of a ticket (at most a page), newest first; agents of the
    /// ticket's team and admins only.
    pub async fn latest_events(
        &self,
        principal: &Principal,
        id: TicketId,
        limit: u32,
    ) -> Result<Vec<EventOut>, AppError> {
        let limit = limit.clamp(1, self.limits().max_page_size);
        let mut reader = self.store().read().await?;
        let (_, access) = access(reader.conn(), principal, id).await?;
        require_agent(access, "read the audit trail")?;
        Ok(events::latest(reader.conn(), id, limit).await?.into_iter().map(EventOut::from).collect())
    }
}
