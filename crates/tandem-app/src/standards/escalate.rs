//! Escalation after a breach, as the breached target's standard says: raise the priority, move the
//! ticket to another team, notify the assignee and the team's leads (by email, when the node
//! sends email). Runs in the scan's transaction
//! right after the conditional update that marked the breach, so it fires exactly once: a retried
//! job or a second node finds the target already breached and never gets here.

use serde_json::json;
use tandem_domain::{Metric, Millis, PersonId, TeamRole, TicketId};
use tandem_store::standards::StandardRow;
use tandem_store::{Conn, StoreError, events, teams, tickets};

use crate::AppError;
use crate::mail::{Outbound, outbox};

/// Applies the escalation `standard` (the one the breached target was measured against) names
/// for `metric` to `ticket`, recording each action in its trail; nothing when it names none.
pub(super) async fn escalate(
    mut conn: Conn<'_>,
    id: TicketId,
    metric: Metric,
    standard: &StandardRow,
    outbound: Option<&Outbound>,
    now: Millis,
) -> Result<(), AppError> {
    let Some(escalation) = standard.escalations.0.of(metric).cloned() else { return Ok(()) };
    let ticket = tickets::get(conn.reborrow(), id).await?.ok_or(AppError::NotFound("ticket"))?;
    let cause = json!({ "metric": metric, "standard_id": standard.id });
    if escalation.notify {
        let leads = teams::members(conn.reborrow(), ticket.team_id).await?;
        let mut people: Vec<PersonId> = ticket.assignee_id.into_iter().collect();
        for lead in leads.iter().filter(|member| member.role == TeamRole::Lead) {
            if !people.contains(&lead.person_id) {
                people.push(lead.person_id);
            }
        }
        let data = json!({ "person_ids": people, "team_id": ticket.team_id, "why": "sla_breached", "cause": cause });
        events::append(conn.reborrow(), id, None, "notified", &data, now).await?;
        if let Some(outbound) = outbound {
            let target = match metric {
                Metric::FirstResponse => "First response",
                Metric::NextResponse => "Next response",
                Metric::Resolution => "Resolution",
            };
            let headline = format!("{target} target breached");
            let detail = format!("The standard \"{}\" was not met; the ticket is {}.", standard.name, ticket.priority);
            outbox::queue_notification(conn.reborrow(), outbound, &ticket, &people, &headline, &detail, now).await?;
        }
    }
    let mut state = ticket.state();
    if let Some(raised) = escalation.raised(ticket.priority) {
        state.priority = raised;
        let data = json!({ "from": ticket.priority, "to": raised, "by": "escalation", "cause": cause });
        events::append(conn.reborrow(), id, None, "priority_changed", &data, now).await?;
    }
    if let Some(team) = escalation.move_to_team_id.filter(|&team| team != ticket.team_id) {
        state.team_id = team;
        let data = json!({ "from": ticket.team_id, "to": team, "by": "escalation", "cause": cause });
        events::append(conn.reborrow(), id, None, "team_changed", &data, now).await?;
    }
    if state != ticket.state() {
        // The scan holds the breach in this transaction: a concurrent write makes the job retry whole.
        tickets::update(conn.reborrow(), id, ticket.version, &state, now)
            .await?
            .ok_or_else(|| StoreError::Conflict(format!("ticket {} changed during its escalation", id.0)))?;
        // A new priority or team may choose another standard: clocks follow, as after any write.
        super::refresh(conn, id, None, now).await?;
    }
    Ok(())
}
