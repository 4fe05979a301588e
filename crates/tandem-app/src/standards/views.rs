//! What a ticket shows of its standard: which standard applies and why (the conditions of it that
//! hold), or that none does; and each target's state, due time and business time left. Only
//! agents see it (customers get nothing): targets are the desk's internal promises.

use serde::Serialize;
use tandem_domain::standard::{ConditionHeld, StandardFacts};
use tandem_domain::{Metric, Millis, Principal, StandardId, TargetState, TicketAccess, TicketId};
use tandem_store::tickets::TicketView;
use tandem_store::{Conn, standards, targets};

use super::snapshot::{self, Snapshot};
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

/// Which standard applies to a ticket now, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StandardMatch {
    /// The first enabled standard whose conditions all hold; `null` when none does.
    pub applies: Option<StandardRef>,
    /// Its conditions that hold, as the ticket meets them (`audience external`, `priority high`);
    /// empty when it has none (it applies to every ticket) or when no standard applies.
    pub why: Vec<String>,
    /// One sentence for people: `Gold customers applies: audience external, priority high.`
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StandardRef {
    pub id: StandardId,
    pub name: String,
}

impl App {
    /// A ticket as [`App::get_ticket`] shows it, with, for agents, its standard and targets as of `now`.
    pub async fn get_ticket_with_targets(
        &self,
        principal: &Principal,
        id: TicketId,
        now: Millis,
    ) -> Result<TicketDetail, AppError> {
        let mut detail = self.get_ticket(principal, id).await?;
        let mut reader = self.store().read().await?;
        let (ticket, access) = crate::tickets::access(reader.conn(), principal, id).await?;
        if access == TicketAccess::Agent {
            let snapshot = snapshot::current(reader.conn()).await?;
            detail.standard = Some(standard_match(&snapshot, &ticket));
            detail.targets = targets_of(reader.conn(), &snapshot, id, now).await?;
            detail.incident = crate::incidents::incident_of_ticket(reader.conn(), id).await?;
        }
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
        let snapshot = snapshot::current(reader.conn()).await?;
        targets_of(reader.conn(), &snapshot, id, now).await
    }
}

async fn targets_of(
    mut conn: Conn<'_>,
    snapshot: &Snapshot,
    id: TicketId,
    now: Millis,
) -> Result<Vec<TargetView>, AppError> {
    let rows = targets::for_ticket(conn.reborrow(), id).await?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        // Enabled standards come from the snapshot; a disabled or deleted one's measured clock
        // (kept as history) is read from the table.
        let (name, left) = match snapshot.standard(row.standard_id) {
            Some(applicable) => {
                (applicable.standard.name.clone(), row.clock.business_ms_left(&applicable.calendar, now))
            }
            None => {
                let standard = standards::get_standard(conn.reborrow(), row.standard_id)
                    .await?
                    .ok_or(AppError::NotFound("standard"))?;
                let left = match row.clock.stopped_at {
                    Some(_) => None,
                    None => {
                        let calendar = standards::get_calendar(conn.reborrow(), standard.calendar_id)
                            .await?
                            .ok_or(AppError::NotFound("calendar"))?;
                        row.clock.business_ms_left(&snapshot::parse(calendar.id, &calendar.definition.0)?, now)
                    }
                };
                (standard.name, left)
            }
        };
        views.push(TargetView {
            metric: row.metric,
            state: row.clock.state,
            standard: name,
            due_at: row.clock.due_at.map(instant),
            business_minutes_left: left.map(|ms| ms.div_euclid(60_000)),
            target_minutes: row.clock.target_ms / 60_000,
        });
    }
    Ok(views)
}

/// Which standard of `snapshot` applies to `ticket`, and the reasons in the ticket's own names.
fn standard_match(snapshot: &Snapshot, ticket: &TicketView) -> StandardMatch {
    let facts = StandardFacts {
        audience: ticket.audience,
        service_id: ticket.service_id,
        team_id: ticket.team_id,
        priority: ticket.priority,
        organization_id: ticket.organization_id,
    };
    let Some(applicable) = snapshot.applicable(&facts) else {
        return StandardMatch {
            applies: None,
            why: Vec::new(),
            summary: "No standard applies: no enabled standard's conditions hold for this ticket.".to_owned(),
        };
    };
    let standard = &applicable.standard;
    let why: Vec<String> = standard.conditions.0.held(&facts).into_iter().map(|held| reason(held, ticket)).collect();
    let summary = if why.is_empty() {
        format!("{} applies: it has no conditions, so it applies to every ticket.", standard.name)
    } else {
        format!("{} applies: {}.", standard.name, why.join(", "))
    };
    StandardMatch { applies: Some(StandardRef { id: standard.id, name: standard.name.clone() }), why, summary }
}

fn reason(held: ConditionHeld, ticket: &TicketView) -> String {
    match held {
        ConditionHeld::Audience(audience) => format!("audience {audience}"),
        ConditionHeld::Service(id) => format!("service {}", ticket.service_name.clone().unwrap_or(id.0.to_string())),
        ConditionHeld::Team(_) => format!("team {}", ticket.team_name),
        ConditionHeld::Priority(priority) => format!("priority {priority}"),
        ConditionHeld::Organization(id) => {
            format!("organization {}", ticket.organization_name.clone().unwrap_or(id.0.to_string()))
        }
    }
}
