//! The agent console: queues to work from, and the ticket page where agents answer, note, take
//! and edit a ticket beside the requester's profile and history. Staff only: everyone else gets
//! the same "not found" page a missing ticket gets, as the API answers them. Announcements
//! (`announcements.rs`, `announcement_editor.rs`) are for admins and team leads.

mod announcement_editor;
mod announcements;
mod article_editor;
mod articles;
mod ask;
mod chain;
mod edit;
mod fields;
pub(super) mod format;
mod incident;
mod incidents;
mod make_goods;
mod people;
mod profile;
mod queues;
mod reply;
mod reviews;
mod search;
mod targets;
mod ticket;
mod ticket_incident;
mod weakest_link;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tandem_domain::TicketId;

use super::UiError;
use super::session::Viewer;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agent", get(queues::show))
        .route("/agent/search", get(search::show))
        .route("/agent/tickets/{id}", get(ticket::show))
        // Replies carry attachments: the handler enforces the upload limit while it reads.
        .route("/agent/tickets/{id}/messages", post(reply::submit).layer(DefaultBodyLimit::disable()))
        .route("/agent/tickets/{id}/update", post(edit::update))
        .route("/agent/tickets/{id}/take", post(edit::take))
        .route("/agent/tickets/{id}/ask", get(ask::show).post(ask::submit))
        .route("/agent/tickets/{id}/links", post(chain::link))
        .route("/agent/tickets/{id}/handoffs/{request}", post(chain::rate))
        .route("/agent/reports/weakest-links", get(weakest_link::show))
        .route("/agent/tickets/{id}/incident", post(ticket_incident::link))
        .route("/agent/incidents", get(incidents::show).post(incidents::create))
        .route("/agent/incidents/{id}", get(incident::show))
        .route("/agent/incidents/{id}/tickets", post(incident::link))
        .route("/agent/incidents/{id}/tickets/{ticket}/unlink", post(incident::unlink))
        .route("/agent/incidents/{id}/updates", post(incident::post_update))
        .route("/agent/incidents/{id}/solve", post(incident::solve))
        .route("/agent/tickets/{id}/make-goods", post(make_goods::offer))
        .route("/agent/make-goods", get(make_goods::queue))
        .route("/agent/make-goods/budgets", post(make_goods::set_budget))
        .route("/agent/make-goods/{id}/actions", post(make_goods::move_one))
        .route("/agent/people/{id}", get(people::show))
        .route("/agent/people/{id}/referrals", post(people::record_referral))
        .route("/agent/detractors", get(people::detractors))
        .route("/agent/detractors/{id}/worked", post(people::worked))
        .route("/agent/articles", get(articles::show))
        .route("/agent/articles/new", get(article_editor::new_form).post(article_editor::create))
        .route("/agent/articles/{id}", get(article_editor::show).post(article_editor::save))
        .route("/agent/articles/{id}/publish", post(article_editor::publish))
        .route("/agent/article-links", get(articles::links))
        .route("/agent/reviews", get(reviews::show))
        .route("/agent/reviews/{id}/answer", post(reviews::answer))
        .route("/agent/reviews/{id}/hide", post(reviews::hide))
        .route("/agent/tickets/{id}/article-draft", post(articles::draft_from_message))
        .route("/agent/announcements", get(announcements::show))
        .route("/agent/announcements/new", get(announcement_editor::new_form).post(announcement_editor::create))
        .route("/agent/announcements/{id}", get(announcement_editor::show).post(announcement_editor::save))
        .route("/agent/announcements/{id}/publish", post(announcement_editor::publish))
        .route("/agent/announcements/{id}/withdraw", post(announcement_editor::withdraw))
}

/// Only agents and admins work the console.
fn require_staff(viewer: &Viewer) -> Result<(), UiError> {
    if viewer.principal.is_staff() { Ok(()) } else { Err(UiError::NotFound) }
}

/// A ticket number as an agent types it in a form (`42` or `#42`).
fn typed_ticket_number(text: &str) -> Option<TicketId> {
    text.trim().trim_start_matches('#').parse::<i64>().ok().map(TicketId)
}

/// A ticket number from the path; anything else is a ticket that does not exist.
fn ticket_id(raw: &str) -> Result<TicketId, UiError> {
    raw.parse::<i64>().map(TicketId).map_err(|_| UiError::NotFound)
}
