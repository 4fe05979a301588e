//! The ticket page's service-chain card: every ticket of the chain this one belongs to, indented
//! by depth, with its team, status, resolution target and the time its parent waited on it. A
//! link the viewer may not open shows only its team and state. Its forms link an existing request
//! (`POST /agent/tickets/{id}/links`) and rate a request's hand-off
//! (`POST /agent/tickets/{id}/handoffs/{request}`); a refused one comes back on the card.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tandem_app::AppError;
use tandem_app::chain::{ChainLink, ChainOut, HandoffRating, LinkInput};
use tandem_domain::TicketId;

use super::edit::sentence;
use super::format::{status_label, utc};
use super::ticket::{Drafts, TicketPage, load, respond};
use super::{require_staff, ticket_id, typed_ticket_number};
use crate::state::AppState;
use crate::ui::UiError;
use crate::ui::session::{VerifiedForm, Viewer};

#[derive(Debug, Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    ticket: String,
    #[serde(default)]
    wait: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct RatingForm {
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
}

pub async fn link(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<LinkForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let id = ticket_id(&id)?;
    let Some(request) = typed_ticket_number(&form.ticket) else {
        return refused(&state, &viewer, id, StatusCode::UNPROCESSABLE_ENTITY, "Give the request's number, like 42.")
            .await;
    };
    let input = LinkInput { ticket_id: request, wait: form.wait.is_some() };
    let result = state.app.link_ticket(&viewer.principal, id, input, crate::now()).await.map(|_| ());
    done_or_refused(&state, &viewer, id, result, "linked").await
}

pub async fn rate(
    State(state): State<AppState>,
    Path((id, request)): Path<(String, String)>,
    VerifiedForm { viewer, form }: VerifiedForm<RatingForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let (id, request) = (ticket_id(&id)?, ticket_id(&request)?);
    let Ok(rating) = form.rating.parse::<i64>() else {
        return refused(&state, &viewer, id, StatusCode::UNPROCESSABLE_ENTITY, "Choose a rating from 1 to 5.").await;
    };
    let comment = Some(form.comment.trim().to_owned()).filter(|comment| !comment.is_empty());
    let result =
        state.app.rate_handoff(&viewer.principal, request, HandoffRating { rating, comment }, crate::now()).await;
    done_or_refused(&state, &viewer, id, result, "rated").await
}

async fn done_or_refused(
    state: &AppState,
    viewer: &Viewer,
    id: TicketId,
    result: Result<(), AppError>,
    done: &str,
) -> Result<Response, UiError> {
    let (status, message) = match result {
        Ok(()) => return Ok(Redirect::to(&format!("/agent/tickets/{id}?done={done}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, errors.0.into_values().collect::<Vec<_>>().join("; "))
        }
        Err(AppError::Conflict { message, .. }) => (StatusCode::CONFLICT, message),
        Err(AppError::Forbidden(message)) => (StatusCode::FORBIDDEN, message),
        Err(AppError::NotFound(what)) if what != "ticket" => (StatusCode::NOT_FOUND, format!("no such {what}")),
        Err(error) => return Err(error.into()),
    };
    refused(state, viewer, id, status, &sentence(&message)).await
}

async fn refused(
    state: &AppState,
    viewer: &Viewer,
    id: TicketId,
    status: StatusCode,
    message: &str,
) -> Result<Response, UiError> {
    let loaded = load(state, viewer, id).await?;
    let drafts = Drafts { chain_error: Some(message.to_owned()), ..Drafts::default() };
    Ok(respond(status, &TicketPage::new(viewer, loaded, drafts)))
}

/// One ticket of the chain as the card shows it.
#[derive(Clone, Debug)]
pub(super) struct ChainLine {
    pub id: i64,
    /// Left indent, in steps of the chain's depth.
    pub depth: i64,
    pub current: bool,
    /// The agent page to open, when the viewer works that ticket's team.
    pub href: Option<String>,
    pub title: String,
    pub team: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub target: Option<String>,
    pub waited: Option<String>,
    pub rating: Option<String>,
    /// A request serving the page's ticket that is still open (solving needs a reason then).
    pub open_request: bool,
    /// A request serving the page's ticket: its hand-off can be rated from here.
    pub rateable: bool,
}

/// The card's lines; empty when the ticket is in no chain (the card is not drawn).
pub(super) fn lines(chain: &ChainOut, workable: impl Fn(&ChainLink) -> bool) -> Vec<ChainLine> {
    if chain.links.len() < 2 {
        return Vec::new();
    }
    chain.links.iter().map(|link| line(link, chain.ticket_id, workable(link))).collect()
}

fn line(link: &ChainLink, current: TicketId, workable: bool) -> ChainLine {
    let title = match &link.subject {
        Some(subject) => subject.clone(),
        None => format!("A request to {}", link.team.name),
    };
    let target = match (&link.standard, link.resolution_state, link.resolution_due_at) {
        (Some(standard), Some(state), due) => Some(match due {
            Some(due) => format!("{standard}: {state}, due {}", utc(due)),
            None => format!("{standard}: {state}"),
        }),
        _ => None,
    };
    let waited = link.waited_minutes.filter(|minutes| *minutes > 0 || link.waiting_now).map(|minutes| {
        let amount =
            if minutes < 60 { format!("{minutes} min") } else { format!("{} h {} min", minutes / 60, minutes % 60) };
        if link.waiting_now { format!("waited on for {amount} so far") } else { format!("waited on for {amount}") }
    });
    ChainLine {
        id: link.id.0,
        depth: link.depth,
        current: link.id == current,
        href: (workable && link.id != current).then(|| format!("/agent/tickets/{}", link.id.0)),
        title,
        team: link.team.name.clone(),
        status: link.status.as_str(),
        status_label: status_label(link.status),
        target,
        waited,
        rating: link.rating.map(|rating| format!("hand-off rated {rating}/5")),
        open_request: link.serves_id == Some(current) && link.status.is_active(),
        rateable: link.serves_id == Some(current),
    }
}
