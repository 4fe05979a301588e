//! Reading tickets: one with its conversation, lists (queues, "my requests"), conversation pages
//! and the audit trail, each cut to what the principal may see.

use serde::Deserialize;
use tandem_domain::validate::FieldErrors;
use tandem_domain::{
    MessageId, Millis, PersonId, Principal, ServiceId, TeamId, TicketAccess, TicketAudience, TicketId, TicketStatus,
    tags,
};
use tandem_store::messages::MessageView;
use tandem_store::ticket_list::{self, CustomerScope};
use tandem_store::{Conn, Cursor, TicketFilter, TicketOrder, events, links, messages, tickets};

use super::events::EventOut;
use super::views::{
    MessageExtras, MessageOut, PersonSummary, TicketDetail, TicketOut, WaitingNotice, message_out, person, ticket_out,
};
use super::{access, require_agent};
use crate::page::{decode_cursor, encode_cursor};
use crate::{App, AppError, Page, PageRequest, instant};

/// Messages shown with a ticket before the conversation is paged.
const FIRST_MESSAGES: u32 = 100;

/// Whose tickets to list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListScope {
    /// Staff: the tickets of my teams (admins: all). The default for staff.
    #[default]
    Work,
    /// The tickets I asked for, am the recipient of, or follow. Always the scope of customers.
    Requested,
}

/// Filters of the ticket list. Every filter narrows what the principal may see anyway.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct TicketQuery {
    /// One status or several, comma-separated (`open,pending_customer`).
    pub status: Option<String>,
    pub scope: Option<ListScope>,
    pub team_id: Option<TeamId>,
    /// A person id, `me`, or `none` (unassigned).
    pub assignee: Option<String>,
    pub requester_id: Option<PersonId>,
    pub audience: Option<TicketAudience>,
    pub service_id: Option<ServiceId>,
    pub tag: Option<String>,
    /// Only tickets changed at or after this instant (RFC 3339); lists oldest first, for sync.
    pub updated_since: Option<String>,
}

impl App {
    /// One ticket with the first page of its conversation, as the principal may see it.
    pub async fn get_ticket(&self, principal: &Principal, id: TicketId) -> Result<TicketDetail, AppError> {
        let mut reader = self.store().read().await?;
        let (ticket, access) = access(reader.conn(), principal, id).await?;
        let (messages, messages_next_cursor) = conversation(reader.conn(), access, id, None, FIRST_MESSAGES).await?;
        let followers = tickets::followers(reader.conn(), id)
            .await?
            .into_iter()
            .map(|follower| person(access, follower.person_id, follower.name, None))
            .collect::<Vec<PersonSummary>>();
        let waiting = match ticket.status {
            TicketStatus::PendingInternal => Some(WaitingNotice {
                message: "We are waiting on one of our teams to finish their part.".to_owned(),
                expected_by: links::expected_by(reader.conn(), id).await?.map(instant),
            }),
            _ => None,
        };
        let satisfaction = match ticket.status {
            TicketStatus::Solved | TicketStatus::Closed => crate::feedback::satisfaction_of(reader.conn(), id).await?,
            _ => None,
        };
        Ok(TicketDetail {
            ticket: ticket_out(access, ticket),
            messages,
            messages_next_cursor,
            followers,
            targets: Vec::new(),
            standard: None,
            waiting,
            satisfaction,
            incident: None,
        })
    }

    /// A ticket just created with only its first message: one read for its names, the message as
    /// it was written.
    pub(super) async fn created_ticket(
        &self,
        principal: &Principal,
        first: MessageView,
    ) -> Result<TicketDetail, AppError> {
        let mut reader = self.store().read().await?;
        let (ticket, access) = access(reader.conn(), principal, first.ticket_id).await?;
        let messages = vec![message_out(access, first, &MessageExtras::default())];
        Ok(TicketDetail {
            ticket: ticket_out(access, ticket),
            messages,
            messages_next_cursor: None,
            followers: Vec::new(),
            targets: Vec::new(),
            standard: None,
            waiting: None,
            satisfaction: None,
            incident: None,
        })
    }

    /// A page of the conversation after the cursor.
    pub async fn list_messages(
        &self,
        principal: &Principal,
        id: TicketId,
        page: PageRequest,
    ) -> Result<Page<MessageOut>, AppError> {
        let size = page.size(self.limits().max_page_size);
        let after = page.cursor.as_deref().map(decode_cursor::<MessageId>).transpose()?;
        let mut reader = self.store().read().await?;
        let (_, access) = access(reader.conn(), principal, id).await?;
        let (items, next_cursor) = conversation(reader.conn(), access, id, after, size).await?;
        Ok(Page { items, next_cursor })
    }

    /// The audit trail (agents of the ticket's team and admins only).
    pub async fn list_events(
        &self,
        principal: &Principal,
        id: TicketId,
        page: PageRequest,
    ) -> Result<Page<EventOut>, AppError> {
        let size = page.size(self.limits().max_page_size);
        let after = page.cursor.as_deref().map(decode_cursor).transpose()?;
        let mut reader = self.store().read().await?;
        let (_, access) = access(reader.conn(), principal, id).await?;
        require_agent(access, "read the audit trail")?;
        let rows = events::list(reader.conn(), id, after, size + 1).await?;
        Ok(Page::from_rows(rows, size, |row| encode_cursor(&row.id), EventOut::from))
    }

    /// A page of tickets, newest activity first (oldest first with `updated_since`).
    pub async fn list_tickets(
        &self,
        principal: &Principal,
        query: TicketQuery,
        page: PageRequest,
    ) -> Result<Page<TicketOut>, AppError> {
        let size = page.size(self.limits().max_page_size);
        let (scope, mut filter) = scoped_filter(principal, &query)?;
        filter.after = page
            .cursor
            .as_deref()
            .map(decode_cursor::<(Millis, i64)>)
            .transpose()?
            .map(|(updated_at, id)| Cursor { updated_at, id: TicketId(id) });
        let mut reader = self.store().read().await?;
        let rows = ticket_list::list(reader.conn(), &filter, size + 1).await?;
        Ok(Page::from_rows(
            rows,
            size,
            |row| encode_cursor(&(row.updated_at, row.id.0)),
            |row| {
                let access = match scope {
                    ListScope::Work => TicketAccess::Agent,
                    // A staff member's own requests to another team get the customer view.
                    ListScope::Requested => member_view(principal, row.team_id),
                };
                ticket_out(access, row)
            },
        ))
    }
}

/// The query's filters narrowed to what the principal may list: for staff their work (or, when
/// asked, their own requests), for everyone else the tickets they asked for, receive or follow.
pub(super) fn scoped_filter(principal: &Principal, query: &TicketQuery) -> Result<(ListScope, TicketFilter), AppError> {
    let scope = if principal.is_staff() { query.scope.unwrap_or_default() } else { ListScope::Requested };
    let mut filter = filter_from(principal, query)?;
    match scope {
        ListScope::Work => restrict_to_work(principal, &mut filter),
        ListScope::Requested => {
            filter.customer_scope = Some(CustomerScope {
                person_id: principal.person_id,
                organization_id: principal.organization_id.filter(|_| principal.org_access),
            });
        }
    }
    Ok((scope, filter))
}

pub(super) fn member_view(principal: &Principal, team: TeamId) -> TicketAccess {
    if principal.is_admin || principal.is_member_of(team) { TicketAccess::Agent } else { TicketAccess::Customer }
}

/// Agents see their teams' tickets (a team filter narrows within them); admins see all.
fn restrict_to_work(principal: &Principal, filter: &mut TicketFilter) {
    if principal.is_admin {
        return;
    }
    let mine = principal.team_ids();
    filter.team_ids = Some(match filter.team_ids.take() {
        Some(wanted) => wanted.into_iter().filter(|team| mine.contains(team)).collect(),
        None => mine,
    });
}

fn filter_from(principal: &Principal, query: &TicketQuery) -> Result<TicketFilter, AppError> {
    let mut filter = TicketFilter {
        team_ids: query.team_id.map(|team| vec![team]),
        requester_id: query.requester_id,
        audience: query.audience,
        service_id: query.service_id,
        ..TicketFilter::default()
    };
    if let Some(tag) = query.tag.as_ref().filter(|tag| !tag.trim().is_empty()) {
        // Normalized as tags are when set ("Wrong Order" finds `wrong-order`).
        let mut errors = FieldErrors::new();
        filter.tag = tags::normalize(&mut errors, "tag", std::slice::from_ref(tag)).pop();
        errors.into_result()?;
    }
    if let Some(statuses) = &query.status {
        for status in statuses.split(',').map(str::trim).filter(|status| !status.is_empty()) {
            let status =
                status.parse::<TicketStatus>().map_err(|error| AppError::invalid("status", error.to_string()))?;
            filter.statuses.push(status);
        }
    }
    match query.assignee.as_deref().map(str::trim) {
        None | Some("") => {}
        Some("me") => filter.assignee_id = Some(principal.person_id),
        Some("none") => filter.unassigned = true,
        Some(id) => {
            let id =
                id.parse::<i64>().map_err(|_| AppError::invalid("assignee", "must be a person id, `me` or `none`"))?;
            filter.assignee_id = Some(PersonId(id));
        }
    }
    if let Some(since) = &query.updated_since {
        let since = since
            .parse::<jiff::Timestamp>()
            .map_err(|_| AppError::invalid("updated_since", "must be an instant like 2026-11-23T09:00:00Z"))?;
        filter.updated_since = Some(since.as_millisecond());
        filter.order = TicketOrder::UpdatedAsc;
    }
    Ok(filter)
}

/// A page of messages with their attachments: internal notes only for the agent view.
async fn conversation(
    mut conn: Conn<'_>,
    access: TicketAccess,
    id: TicketId,
    after: Option<MessageId>,
    size: u32,
) -> Result<(Vec<MessageOut>, Option<String>), AppError> {
    let with_internal = access == TicketAccess::Agent;
    let mut rows = messages::page(conn.reborrow(), id, with_internal, after, size + 1).await?;
    let more = rows.len() > size as usize;
    rows.truncate(size as usize);
    let next_cursor = if more { rows.last().map(|row| encode_cursor(&row.message.id)) } else { None };
    // Attachments and emails are looked up only for the messages that have some (none: no query).
    let having = |has: fn(&messages::PageRow) -> bool| -> Vec<MessageId> {
        rows.iter().filter(|row| has(row)).map(|row| row.message.id).collect()
    };
    let (with_files, with_emails) = (having(|row| row.has_files), having(|row| row.has_emails));
    let extras = MessageExtras::load(conn, access, &with_files, &with_emails).await?;
    Ok((rows.into_iter().map(|row| message_out(access, row.message, &extras)).collect(), next_cursor))
}
