//! The portal, one portal with two faces: external customers see the help centre and the services
//! offered to them; employees see the employee portal with internal services and offers. Staff
//! visiting it act as requesters too (see [`customer_face`]).
//!
//! Routes: the home page (here), a service's request form (`service_form.rs`), "My requests"
//! (`requests.rs`), announcements for employees (`announcements.rs`), "My reviews" and "Write a
//! review" (`reviews.rs`), "Send feedback" (`feedback.rs`), articles suggested while a request is
//! typed (`suggestions.rs`), one request with its public conversation (`request_page.rs`), a
//! make-good's answer (`make_goods.rs`), the referral link (`referral.rs`) and downloads of
//! attachments (`files.rs`). Forms with files are read by `form_post.rs`.

mod announcements;
mod feedback;
mod files;
mod form_post;
mod make_goods;
mod referral;
mod request_page;
mod requests;
mod reviews;
mod service_form;
mod suggestions;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::Response;
use axum::routing::{get, post};
use tandem_app::catalog::{ServiceQuery, ServiceView};
use tandem_app::tickets::{ListScope, TicketOut, TicketQuery};
use tandem_app::{Instant, PageRequest};
use tandem_domain::{TicketId, TicketStatus};

use super::layout::Layout;
use super::session::Viewer;
use super::{UiError, html};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    // Forms with files are bounded while they are read (`form_post.rs`), per file and in total,
    // against the app's upload limit rather than the small limit of ordinary bodies.
    Router::new()
        .route("/portal", get(home))
        .route(
            "/portal/services/{slug}",
            get(service_form::show).post(service_form::submit).layer(DefaultBodyLimit::disable()),
        )
        .route("/portal/suggestions", get(suggestions::fragment))
        .route("/portal/services/{slug}/solved", post(suggestions::solved))
        .route("/portal/requests", get(requests::list))
        .route("/portal/requests/{id}", get(request_page::show))
        .route("/portal/requests/{id}/reply", post(request_page::reply).layer(DefaultBodyLimit::disable()))
        .route("/portal/requests/{id}/solve", post(request_page::solve))
        .route("/portal/requests/{id}/rate", post(request_page::rate))
        .route("/portal/requests/{id}/make-goods/{make_good}", post(make_goods::answer))
        .route("/portal/refer", get(referral::show))
        .route("/portal/join", get(referral::join))
        .route("/portal/feedback", get(feedback::show).post(feedback::submit))
        .route("/portal/reviews", get(reviews::list))
        .route("/portal/reviews/new", get(reviews::new_form).post(reviews::create))
        .route("/portal/reviews/{id}", get(reviews::edit_form).post(reviews::save))
        .route("/files/{id}", get(files::download))
        .route("/portal/announcements", get(announcements::list))
        .route("/portal/announcements/{id}", get(announcements::show))
}

/// How many of the viewer's requests the home page lists.
const LATEST_ON_HOME: u32 = 5;

#[derive(Template)]
#[template(path = "portal_home.html")]
struct HomePage {
    layout: Layout,
    services: Vec<ServiceView>,
    requests: Vec<RequestRow>,
    show_requester: bool,
    announcements: Vec<announcements::Item>,
}

/// The services the viewer may request, as they would ask for them, and their latest requests.
async fn home(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    let face = customer_face(&viewer);
    let services = state.app.list_services(&face, ServiceQuery::default()).await?;
    let latest = PageRequest { limit: Some(LATEST_ON_HOME), cursor: None };
    let requests = state.app.list_tickets(&face, requested(), latest).await?;
    let announcements = announcements::for_home(&state, &viewer.principal).await?;
    Ok(html(&HomePage {
        layout: Layout::for_viewer(&viewer, "portal"),
        services,
        requests: requests.items.into_iter().map(RequestRow::from).collect(),
        show_requester: viewer.principal.org_access,
        announcements,
    }))
}

/// The viewer as a requester: an agent visiting the portal sees what they themselves may request,
/// not the whole catalog they manage, and their own requests in the customer view, never with the
/// internal notes their team may write on them.
pub(super) fn customer_face(viewer: &Viewer) -> tandem_app::Principal {
    let mut principal = viewer.principal.clone();
    principal.memberships.clear();
    principal.is_admin = false;
    principal
}

/// The tickets a requester follows: theirs, those made for them, those they follow (and for a
/// contact with organization access, their organization's).
fn requested() -> TicketQuery {
    TicketQuery { scope: Some(ListScope::Requested), ..TicketQuery::default() }
}

/// A ticket number from a path; anything else is a page that does not exist.
fn ticket_id(raw: &str) -> Result<TicketId, UiError> {
    raw.parse::<i64>().map(TicketId).map_err(|_| UiError::NotFound)
}

/// One line of a list of requests.
struct RequestRow {
    id: i64,
    subject: String,
    status: Status,
    requester: String,
    updated: When,
}

impl From<TicketOut> for RequestRow {
    fn from(ticket: TicketOut) -> Self {
        RequestRow {
            id: ticket.id.0,
            subject: ticket.subject,
            status: Status::of(ticket.status),
            requester: ticket.requester.name,
            updated: When::of(ticket.updated_at),
        }
    }
}

/// A status as a requester reads it: the badge's class is the status word, the text is plain
/// language (a requester does not need to know whether another team is involved).
struct Status {
    class: &'static str,
    label: &'static str,
}

impl Status {
    fn of(status: TicketStatus) -> Status {
        let label = match status {
            TicketStatus::New => "Received",
            TicketStatus::Open => "Open",
            TicketStatus::PendingCustomer => "Waiting for your reply",
            TicketStatus::PendingInternal => "In progress",
            TicketStatus::Solved => "Solved",
            TicketStatus::Closed => "Closed",
        };
        Status { class: status.as_str(), label }
    }
}

/// An instant for a `<time>` element: machine-readable and as people read it (in UTC, the only
/// zone the server knows the reader is in).
struct When {
    iso: String,
    text: String,
}

impl When {
    fn of(instant: Instant) -> When {
        let timestamp = jiff::Timestamp::from_millisecond(instant.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        When { iso: timestamp.to_string(), text: timestamp.strftime("%-d %b %Y, %H:%M UTC").to_string() }
    }
}

/// A size as people read it.
fn file_size(bytes: i64) -> String {
    const KB: i64 = 1_024;
    const MB: i64 = 1_024 * KB;
    if bytes < KB {
        format!("{bytes} bytes")
    } else if bytes < MB {
        format!("{:.0} KB", bytes as f64 / KB as f64)
    } else {
        // "10 MB", not "10.0 MB".
        format!("{:.1} MB", bytes as f64 / MB as f64).replace(".0 ", " ")
    }
}

/// A field error as a sentence next to its field: "Subject must not be empty". The form's own
/// messages already name the field in backticks ("`Order number` is required").
fn sentence(label: &str, message: &str) -> String {
    if message.contains('`') { message.replace('`', "") } else { format!("{label} {message}") }
}
