//! `GET /agent`: the queues (mine, my teams' unassigned, all open, pending, recently solved) with
//! filters the ticket list serves from its indexes, and keyset pages of 25. One list call per
//! page and nothing per row, so a queue costs the same at a million tickets as at thirty.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use tandem_app::catalog::ServiceQuery;
use tandem_app::tickets::{TicketOut, TicketQuery};
use tandem_app::{AppError, Millis, PageRequest};
use tandem_domain::{TeamId, TicketAudience};

use super::format::{Choice, When, priority_label, status_label};
use super::require_staff;
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::Viewer;
use crate::ui::{UiError, html};

const PAGE_SIZE: u32 = 25;

/// The queues, in tab order: (slug, label, statuses, assignee filter).
const QUEUES: [(&str, &str, &str, Option<&str>); 5] = [
    ("mine", "Mine", "new,open,pending_customer,pending_internal", Some("me")),
    ("unassigned", "Unassigned", "new,open", Some("none")),
    ("open", "All open", "new,open", None),
    ("pending", "Pending", "pending_customer,pending_internal", None),
    ("solved", "Recently solved", "solved", None),
];

/// The query string of a queue page. Every value is text: an empty select sends "".
#[derive(Clone, Debug, Default, Deserialize)]
pub struct QueueParams {
    #[serde(default)]
    view: String,
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    service_id: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    cursor: String,
    #[serde(default)]
    done: String,
}

#[derive(Debug)]
struct Tab {
    label: &'static str,
    href: String,
    current: bool,
}

/// One ticket as a line of a list (queues, search results).
#[derive(Debug)]
pub(super) struct Row {
    pub(super) id: i64,
    pub(super) subject: String,
    pub(super) requester: String,
    pub(super) status: &'static str,
    pub(super) status_label: &'static str,
    pub(super) priority: &'static str,
    pub(super) priority_label: &'static str,
    pub(super) team: String,
    pub(super) assignee: Option<String>,
    pub(super) updated: When,
}

#[derive(Template)]
#[template(path = "agent_queues.html")]
struct QueuesPage {
    layout: Layout,
    view: &'static str,
    heading: &'static str,
    tabs: Vec<Tab>,
    teams: Vec<Choice>,
    audiences: Vec<Choice>,
    services: Vec<Choice>,
    sorts: Vec<Choice>,
    tag: String,
    rows: Vec<Row>,
    error: Option<String>,
    next_href: Option<String>,
    first_href: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(params): Query<QueueParams>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let principal = &viewer.principal;
    let (view, heading, statuses, assignee) =
        QUEUES.iter().copied().find(|queue| queue.0 == params.view).unwrap_or(QUEUES[0]);
    let oldest_first = params.sort == "oldest";
    let query = TicketQuery {
        status: Some(statuses.to_owned()),
        assignee: assignee.map(str::to_owned),
        team_id: params.team_id.parse().ok().map(TeamId),
        audience: params.audience.parse::<TicketAudience>().ok(),
        service_id: params.service_id.parse().ok().map(tandem_domain::ServiceId),
        tag: Some(params.tag.clone()).filter(|tag| !tag.trim().is_empty()),
        // The keyset walks oldest first only from an instant on; the epoch keeps every ticket.
        updated_since: oldest_first.then(|| "1970-01-01T00:00:00Z".to_owned()),
        ..TicketQuery::default()
    };
    let page = PageRequest { limit: Some(PAGE_SIZE), cursor: Some(params.cursor.clone()).filter(|c| !c.is_empty()) };
    let (teams, services, listed) = tokio::join!(
        state.app.list_teams(principal),
        state.app.list_services(principal, ServiceQuery::default()),
        state.app.list_tickets(principal, query, page),
    );
    let teams: Vec<_> = teams?
        .into_iter()
        .filter(|team| team.is_provider && (principal.is_admin || principal.is_member_of(team.id)))
        .collect();
    let services = services?.into_iter().filter(|service| teams.iter().any(|team| team.id == service.team_id));
    let (rows, next_cursor, error) = match listed {
        Ok(page) => (page.items, page.next_cursor, None),
        // A hand-edited tag or cursor: say so above an empty list rather than fail the page.
        Err(AppError::Invalid(errors)) => (Vec::new(), None, Some(errors.summary())),
        Err(error) => return Err(error.into()),
    };
    let now = crate::now();
    let href = |view: &str, cursor: &str| queue_href(&params, view, cursor);
    let page = QueuesPage {
        layout: Layout::for_viewer(&viewer, "agent").with_notice(notice(&params.done)),
        view,
        heading,
        tabs: QUEUES
            .iter()
            .map(|queue| Tab { label: queue.1, href: href(queue.0, ""), current: queue.0 == view })
            .collect(),
        teams: choices(
            "All my teams",
            teams.iter().map(|team| (team.id.0.to_string(), team.name.clone())),
            &params.team_id,
        ),
        audiences: choices(
            "Both",
            [("internal", "Internal (employees)"), ("external", "External customers")]
                .map(|(value, label)| (value.to_owned(), label.to_owned())),
            &params.audience,
        ),
        services: choices(
            "Any service",
            services.map(|service| (service.id.0.to_string(), service.name)),
            &params.service_id,
        ),
        sorts: vec![
            Choice::new("", "Newest activity first", &params.sort),
            Choice::new("oldest", "Oldest activity first", &params.sort),
        ],
        tag: params.tag.clone(),
        rows: rows.into_iter().map(|ticket| row(now, ticket)).collect(),
        error,
        next_href: next_cursor.map(|cursor| href(view, &cursor)),
        first_href: (!params.cursor.is_empty()).then(|| href(view, "")),
    };
    Ok(html(&page))
}

/// A select's options: "any" first, then the given values.
fn choices(any: &str, values: impl IntoIterator<Item = (String, String)>, current: &str) -> Vec<Choice> {
    let mut options = vec![Choice::new("", any, current)];
    options.extend(values.into_iter().map(|(value, label)| Choice::new(value, label, current)));
    options
}

/// The link to a queue with the current filters (and a page position, if any).
fn queue_href(params: &QueueParams, view: &str, cursor: &str) -> String {
    let pairs = [
        ("view", view),
        ("team_id", &params.team_id),
        ("audience", &params.audience),
        ("service_id", &params.service_id),
        ("tag", &params.tag),
        ("sort", &params.sort),
        ("cursor", cursor),
    ];
    let kept: Vec<(&str, &str)> = pairs.into_iter().filter(|(_, value)| !value.is_empty()).collect();
    format!("/agent?{}", serde_urlencoded::to_string(kept).unwrap_or_default())
}

/// What an action that ended on the queues did (never text from the URL itself).
fn notice(done: &str) -> Option<String> {
    match done {
        "transferred" => Some("The ticket went to another team's queue.".to_owned()),
        _ => None,
    }
}

pub(super) fn row(now: Millis, ticket: TicketOut) -> Row {
    let priority = ticket.priority.unwrap_or(tandem_domain::Priority::Normal);
    Row {
        id: ticket.id.0,
        subject: ticket.subject,
        requester: ticket.requester.name,
        status: ticket.status.as_str(),
        status_label: status_label(ticket.status),
        priority: priority.as_str(),
        priority_label: priority_label(priority),
        team: ticket.team.name,
        assignee: ticket.assignee.map(|person| person.name),
        updated: When::of(now, ticket.updated_at),
    }
}
