//! The chain as an agent sees it: every ticket of the tree the asked ticket belongs to, from the
//! ticket it ultimately serves down, each with its team, status, standard and how long it kept its
//! parent waiting. A ticket of the chain the agent may not open shows its team, status and clock
//! but not its subject or people. Read in one recursive query, never one per link.

use serde::Serialize;
use tandem_domain::access::ticket_access;
use tandem_domain::{
    Millis, Principal, TargetState, TicketAccess, TicketAudience, TicketId, TicketParties, TicketStatus,
};
use tandem_store::links::{self, ChainRow};

use crate::tickets::NamedRef;
use crate::{App, AppError, Instant, instant};

/// A ticket's chain.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ChainOut {
    /// The ticket asked about.
    pub ticket_id: TicketId,
    /// The ticket the whole chain serves (the asked ticket when it serves none).
    pub root_id: TicketId,
    /// Parents before their requests, by depth then number.
    pub links: Vec<ChainLink>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ChainLink {
    pub id: TicketId,
    /// The ticket this one serves (`null` for the root).
    pub serves_id: Option<TicketId>,
    /// 0 for the root, 1 for the requests serving it, …
    pub depth: i64,
    /// Whether the viewer may open this ticket; when not, `subject` and `assignee` are withheld.
    pub visible: bool,
    pub subject: Option<String>,
    pub status: TicketStatus,
    pub audience: TicketAudience,
    pub team: NamedRef,
    pub assignee: Option<String>,
    /// The standard measuring its resolution, and that target's state and due time.
    pub standard: Option<String>,
    pub resolution_state: Option<TargetState>,
    pub resolution_due_at: Option<Instant>,
    pub linked_at: Option<Instant>,
    /// How long its parent has waited on it (`pending_internal` while it was open), in minutes.
    pub waited_minutes: Option<i64>,
    /// Whether its parent is waiting on it right now.
    pub waiting_now: bool,
    /// The asking side's rating of the hand-off (1–5) and comment.
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
}

impl App {
    /// The chain of ticket `id`, for agents of it (a requester gets 403: the chain is the desk's).
    pub async fn ticket_chain(&self, principal: &Principal, id: TicketId, now: Millis) -> Result<ChainOut, AppError> {
        let mut reader = self.store().read().await?;
        let (_, access) = crate::tickets::access(reader.conn(), principal, id).await?;
        crate::tickets::require_agent(access, "see its chain")?;
        let root = links::ancestors(reader.conn(), id).await?.last().copied().unwrap_or(id);
        let rows = links::tree(reader.conn(), root).await?;
        let links = rows.into_iter().map(|row| chain_link(principal, row, now)).collect();
        Ok(ChainOut { ticket_id: id, root_id: root, links })
    }
}

fn chain_link(principal: &Principal, row: ChainRow, now: Millis) -> ChainLink {
    let parties = TicketParties {
        team_id: row.team_id,
        requester_id: row.requester_id,
        recipient_id: row.recipient_id,
        organization_id: row.organization_id,
        principal_follows: false,
    };
    let visible = ticket_access(principal, &parties).is_some();
    let sees_people = ticket_access(principal, &parties) == Some(TicketAccess::Agent);
    let waited = row.waited_ms.map(|waited| waited + row.waiting_since.map_or(0, |since| (now - since).max(0)));
    ChainLink {
        id: row.id,
        serves_id: row.parent_id,
        depth: row.depth,
        visible,
        subject: visible.then_some(row.subject),
        status: row.status,
        audience: row.audience,
        team: NamedRef { id: row.team_id.0, slug: None, name: row.team_name },
        assignee: row.assignee_name.filter(|_| sees_people),
        standard: row.standard_name,
        resolution_state: row.resolution_state,
        resolution_due_at: row.resolution_due_at.map(instant),
        linked_at: row.linked_at.map(instant),
        waited_minutes: waited.map(|ms| ms / 60_000),
        waiting_now: row.waiting_since.is_some(),
        rating: row.rating,
        rating_comment: row.rating_comment.filter(|_| visible),
    }
}
