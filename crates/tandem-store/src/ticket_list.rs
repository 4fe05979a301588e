//! Ticket lists (queues, "my requests", sync): filters that each ride an index, ordered by
//! (updated_at, id) and paged by keyset cursor, so page 1,000 costs what page 1 costs.

use tandem_domain::{Millis, OrganizationId, PersonId, ServiceId, TeamId, TicketAudience, TicketId, TicketStatus};

use crate::sql::{Arg, SqlBuf};
use crate::tickets::{TicketView, view_columns, view_joins};
use crate::{Conn, StoreError, bind_args, on_conn};

/// Newest activity first (queues), or oldest first (incremental sync with `updated_since`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TicketOrder {
    #[default]
    UpdatedDesc,
    UpdatedAsc,
}

/// The position after the last ticket of a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub updated_at: Millis,
    pub id: TicketId,
}

/// Whose tickets a customer-side principal may list: their own, the ones they are the recipient
/// of or follow, and (with organization access) their organization's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CustomerScope {
    pub person_id: PersonId,
    pub organization_id: Option<OrganizationId>,
}

#[derive(Clone, Debug, Default)]
pub struct TicketFilter {
    pub statuses: Vec<TicketStatus>,
    /// Only these teams (an agent's own teams, or a team filter within them).
    pub team_ids: Option<Vec<TeamId>>,
    /// Only tickets this customer may see.
    pub customer_scope: Option<CustomerScope>,
    pub assignee_id: Option<PersonId>,
    pub unassigned: bool,
    pub requester_id: Option<PersonId>,
    pub audience: Option<TicketAudience>,
    pub service_id: Option<ServiceId>,
    pub tag: Option<String>,
    pub updated_since: Option<Millis>,
    pub order: TicketOrder,
    pub after: Option<Cursor>,
}

/// One page of tickets; the caller asks for one more than it shows to know if more follow.
///
/// The page's ids are chosen from `tickets` alone (one index walk), and only those rows are joined
/// to the names they show: the planner sees a one-table query plus primary-key lookups, which keeps
/// PostgreSQL's planning from outweighing the work.
pub async fn list(conn: Conn<'_>, filter: &TicketFilter, limit: u32) -> Result<Vec<TicketView>, StoreError> {
    let order = match filter.order {
        TicketOrder::UpdatedDesc => " ORDER BY t.updated_at DESC, t.id DESC",
        TicketOrder::UpdatedAsc => " ORDER BY t.updated_at ASC, t.id ASC",
    };
    let mut sql = SqlBuf::new(concat!("SELECT ", view_columns!(), " FROM (SELECT t.id FROM tickets t WHERE 1 = 1"));
    push_conditions(&mut sql, filter);
    sql.push(order).push(" LIMIT ").bind(Arg::Int(i64::from(limit)));
    sql.push(") page JOIN tickets t ON t.id = page.id").push(view_joins!()).push(order);
    let (text, args) = sql.sql();
    Ok(on_conn!(conn, c => bind_args!(sqlx::query_as::<_, TicketView>(text), args).fetch_all(&mut *c).await)?)
}

pub(crate) fn push_conditions(sql: &mut SqlBuf, filter: &TicketFilter) {
    let text = |value: &str| Arg::Text(value.to_owned());
    if !filter.statuses.is_empty() {
        sql.push(" AND t.status IN ").bind_list(filter.statuses.iter().map(|status| text(status.as_str())));
    }
    if let Some(teams) = &filter.team_ids {
        if teams.is_empty() {
            sql.push(" AND 1 = 0");
        } else {
            sql.push(" AND t.team_id IN ").bind_list(teams.iter().map(|team| Arg::Int(team.0)));
        }
    }
    if let Some(scope) = filter.customer_scope {
        push_customer_scope(sql, scope);
    }
    if let Some(assignee) = filter.assignee_id {
        sql.push(" AND t.assignee_id = ").bind(Arg::Int(assignee.0));
    }
    if filter.unassigned {
        sql.push(" AND t.assignee_id IS NULL");
    }
    if let Some(requester) = filter.requester_id {
        sql.push(" AND t.requester_id = ").bind(Arg::Int(requester.0));
    }
    if let Some(audience) = filter.audience {
        sql.push(" AND t.audience = ").bind(text(audience.as_str()));
    }
    if let Some(service) = filter.service_id {
        sql.push(" AND t.service_id = ").bind(Arg::Int(service.0));
    }
    if let Some(tag) = &filter.tag {
        sql.push(" AND t.id IN (SELECT ticket_id FROM ticket_tags WHERE tag = ").bind(text(tag)).push(")");
    }
    if let Some(since) = filter.updated_since {
        sql.push(" AND t.updated_at >= ").bind(Arg::Int(since));
    }
    if let Some(after) = filter.after {
        let comparison = match filter.order {
            TicketOrder::UpdatedDesc => " AND (t.updated_at, t.id) < (",
            TicketOrder::UpdatedAsc => " AND (t.updated_at, t.id) > (",
        };
        sql.push(comparison).bind(Arg::Int(after.updated_at)).push(", ").bind(Arg::Int(after.id.0)).push(")");
    }
}

/// The customer's tickets, as one set of ids: a union of index lookups (requester, recipient,
/// followed, organization). An `OR` of the same conditions defeats PostgreSQL's planner, which
/// then walks every ticket by date looking for the customer's few.
fn push_customer_scope(sql: &mut SqlBuf, scope: CustomerScope) {
    sql.push(" AND t.id IN ");
    push_customer_tickets(sql, scope);
}

/// `(SELECT id … UNION …)`: the ids of the tickets a customer may see.
pub(crate) fn push_customer_tickets(sql: &mut SqlBuf, scope: CustomerScope) {
    let me = || Arg::Int(scope.person_id.0);
    sql.push("(SELECT id FROM tickets WHERE requester_id = ").bind(me());
    sql.push(" UNION SELECT id FROM tickets WHERE recipient_id = ").bind(me());
    sql.push(" UNION SELECT ticket_id FROM ticket_followers WHERE person_id = ").bind(me());
    if let Some(organization) = scope.organization_id {
        sql.push(" UNION SELECT id FROM tickets WHERE organization_id = ").bind(Arg::Int(organization.0));
    }
    sql.push(")");
}
