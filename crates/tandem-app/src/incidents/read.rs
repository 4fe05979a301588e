//! Reading incidents: the list (newest first, by cursor), one incident with its first linked
//! tickets and latest updates, and the further pages of its linked tickets.

use serde::Deserialize;
use tandem_domain::{IncidentId, IncidentStatus, Principal, TicketId};
use tandem_store::Conn;
use tandem_store::incidents;

use super::require_staff;
use super::views::{IncidentDetail, IncidentView, LinkedTicketOut, incident_view, linked_out, update_out};
use crate::page::{decode_cursor, encode_cursor};
use crate::{App, AppError, Page, PageRequest};

/// Filters of the incident list.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct IncidentQuery {
    /// `open` or `solved`; both when absent.
    pub status: Option<IncidentStatus>,
}

/// Linked tickets and updates shown with an incident before they are paged.
const FIRST_TICKETS: u32 = 100;
const LATEST_UPDATES: i64 = 50;

impl App {
    pub async fn list_incidents(
        &self,
        principal: &Principal,
        query: IncidentQuery,
        page: PageRequest,
    ) -> Result<Page<IncidentView>, AppError> {
        require_staff(principal)?;
        let size = page.size(self.limits().max_page_size);
        let before = page.cursor.as_deref().map(decode_cursor::<IncidentId>).transpose()?;
        let statuses = match query.status {
            Some(status) => [status, status],
            None => [IncidentStatus::Open, IncidentStatus::Solved],
        };
        let mut reader = self.store().read().await?;
        let before = before.unwrap_or(IncidentId(i64::MAX));
        let rows = incidents::list(reader.conn(), statuses, before, i64::from(size) + 1).await?;
        Ok(Page::from_rows(rows, size, |row| encode_cursor(&row.id), incident_view))
    }

    pub async fn get_incident(&self, principal: &Principal, id: IncidentId) -> Result<IncidentDetail, AppError> {
        require_staff(principal)?;
        let mut reader = self.store().read().await?;
        let row = incidents::get(reader.conn(), id).await?.ok_or(AppError::NotFound("incident"))?;
        let tickets = linked_page(reader.conn(), principal, id, None, FIRST_TICKETS).await?;
        let updates = incidents::updates(reader.conn(), id, LATEST_UPDATES).await?;
        Ok(IncidentDetail {
            incident: incident_view(row),
            tickets: tickets.items,
            tickets_next_cursor: tickets.next_cursor,
            updates: updates.into_iter().map(update_out).collect(),
        })
    }

    /// The incident's linked tickets by number, after the cursor.
    pub async fn list_incident_tickets(
        &self,
        principal: &Principal,
        id: IncidentId,
        page: PageRequest,
    ) -> Result<Page<LinkedTicketOut>, AppError> {
        require_staff(principal)?;
        let size = page.size(self.limits().max_page_size);
        let after = page.cursor.as_deref().map(decode_cursor::<TicketId>).transpose()?;
        let mut reader = self.store().read().await?;
        incidents::get(reader.conn(), id).await?.ok_or(AppError::NotFound("incident"))?;
        linked_page(reader.conn(), principal, id, after, size).await
    }
}

async fn linked_page(
    conn: Conn<'_>,
    principal: &Principal,
    id: IncidentId,
    after: Option<TicketId>,
    size: u32,
) -> Result<Page<LinkedTicketOut>, AppError> {
    let after = after.unwrap_or(TicketId(0));
    let rows = incidents::linked(conn, id, after, i64::from(size) + 1).await?;
    Ok(Page::from_rows(rows, size, |row| encode_cursor(&row.ticket_id), |row| linked_out(principal, row)))
}
