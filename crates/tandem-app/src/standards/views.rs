//! What a ticket shows of its standard: each target's state, due time and business time left.
//! Only agents see it (customers get an empty list): targets are the desk's internal promises.

use serde::Serialize;
use tandem_domain::{Metric, Millis, Principal, TargetState, TicketAccess, TicketId};
use tandem_store::standards;
use tandem_store::targets;

use crate::tickets::TicketDetail;
use crate::{App, AppError, Instant, instant};

/// One target of a ticket.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TargetView {
    pub metric: Metric,
    pub state: TargetState,
    /// The standard that set the target (the first enabled one whose conditions hold).
    pub standard: String,
    /// When the target breaches, while its clock runs.
    pub due_at: Option<Instant>,
    /// Business time left in minutes (negative once overdue); absent once met or breached and stopped.
    pub business_minutes_left: Option<i64>,
    pub target_minutes: i64,
}

impl App {
    /// A ticket as [`App::get_ticket`] shows it, with its targets as of `now` for agents.
    pub async fn get_ticket_with_targets(
        &self,
        principal: &Principal,
        id: TicketId,
        now: Millis,
    ) -> Result<TicketDetail, AppError> {
        let mut detail = self.get_ticket(principal, id).await?;
        detail.targets = self.ticket_targets(principal, id, now).await?;
        Ok(detail)
    }

    /// The ticket's targets as of `now`, for agents of the ticket.
    pub async fn ticket_targets(
        &self,
        principal: &Principal,
        id: TicketId,
        now: Millis,
    ) -> Result<Vec<TargetView>, AppError> {
        let mut reader = self.store().read().await?;
        let (_, access) = crate::tickets::access(reader.conn(), principal, id).await?;
        if access != TicketAccess::Agent {
            return Ok(Vec::new());
        }
        let rows = targets::for_ticket(reader.conn(), id).await?;
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            let standard =
                standards::get_standard(reader.conn(), row.standard_id).await?.ok_or(AppError::NotFound("standard"))?;
            let calendar = super::refresh::calendar(reader.conn(), &standard).await?;
            let left = row.clock.business_ms_left(&calendar, now);
            views.push(TargetView {
                metric: row.metric,
                state: row.clock.state,
                standard: standard.name,
                due_at: row.clock.due_at.map(instant),
                business_minutes_left: left.map(|ms| ms.div_euclid(60_000)),
                target_minutes: row.clock.target_ms / 60_000,
            });
        }
        Ok(views)
    }
}
