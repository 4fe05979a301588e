//! Reading make-goods one at a time and in lists: a customer's own (what was offered to them), a
//! staff member's teams' (the approval queue is the `pending_approval` ones), or all for admins.

use serde::Deserialize;
use tandem_domain::{MakeGoodId, MakeGoodState, Principal, TicketAccess};
use tandem_store::Conn;
use tandem_store::make_goods::{self, MakeGoodRow, Scope};

use super::views::{MakeGoodOut, Seat, make_good_view};
use crate::page::{decode_cursor, encode_cursor};
use crate::tickets::access;
use crate::{App, AppError, Page, PageRequest};

#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct MakeGoodQuery {
    /// Only make-goods in this state (`pending_approval` is a lead's approval queue).
    pub state: Option<MakeGoodState>,
}

impl App {
    pub async fn get_make_good(&self, principal: &Principal, id: MakeGoodId) -> Result<MakeGoodOut, AppError> {
        let mut reader = self.store().read().await?;
        let row = make_goods::get(reader.conn(), id).await?.ok_or(AppError::NotFound("make-good"))?;
        let seat = seat(reader.conn(), principal, &row).await?.ok_or(AppError::NotFound("make-good"))?;
        Ok(make_good_view(principal, row, seat))
    }

    /// Newest first, by cursor.
    pub async fn list_make_goods(
        &self,
        principal: &Principal,
        query: MakeGoodQuery,
        page: PageRequest,
    ) -> Result<Page<MakeGoodOut>, AppError> {
        let size = page.size(self.limits().max_page_size);
        let before = page.cursor.as_deref().map(decode_cursor::<MakeGoodId>).transpose()?;
        let scope = match (principal.is_admin, principal.is_agent()) {
            (true, _) => Scope::All,
            (false, true) => Scope::TeamsOf(principal.person_id),
            (false, false) => Scope::Customer(principal.person_id),
        };
        let seat = if principal.is_staff() { Seat::Staff } else { Seat::Customer };
        let before = before.unwrap_or(MakeGoodId(i64::MAX));
        let mut reader = self.store().read().await?;
        let rows = make_goods::list(reader.conn(), scope, query.state, before, i64::from(size) + 1).await?;
        Ok(Page::from_rows(rows, size, |row| encode_cursor(&row.id), |row| make_good_view(principal, row, seat)))
    }
}

/// How the principal sees the make-good: through its ticket as an agent, or as its customer.
async fn seat(conn: Conn<'_>, principal: &Principal, row: &MakeGoodRow) -> Result<Option<Seat>, AppError> {
    let agent = match access(conn, principal, row.ticket_id).await {
        Ok((_, access)) => access == TicketAccess::Agent,
        Err(AppError::NotFound(_)) => false,
        Err(other) => return Err(other),
    };
    Ok(Seat::of(principal, row, agent))
}
