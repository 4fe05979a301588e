//! "My requests": the viewer's requests, newest activity first, 25 a page by cursor, or those
//! whose subject or public conversation holds the words searched for.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use tandem_app::tickets::{ListScope, SearchText, TicketQuery};
use tandem_app::{AppError, PageRequest};

use super::{RequestRow, customer_face, requested};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::Viewer;
use crate::ui::{UiError, html};

const PAGE_SIZE: u32 = 25;

#[derive(Debug, Deserialize)]
pub(super) struct ListQuery {
    cursor: Option<String>,
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "portal_requests.html")]
struct RequestsPage {
    layout: Layout,
    requests: Vec<RequestRow>,
    /// A contact with organization access also sees colleagues' requests: say whose each is.
    show_requester: bool,
    /// Where the next page starts, if there is one.
    next: Option<String>,
    /// Whether this is a later page (then there is a way back to the first).
    later: bool,
    /// The words searched for, if any (then `requests` are the matches, best first).
    q: String,
    error: Option<String>,
}

pub(super) async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, UiError> {
    let Query(query) = query.map_err(|_| UiError::BadRequest("That page address is not right.".into()))?;
    let q = query.q.trim().to_owned();
    if !q.is_empty() {
        return search(state, viewer, q).await;
    }
    let later = query.cursor.is_some();
    let page = PageRequest { limit: Some(PAGE_SIZE), cursor: query.cursor };
    let page = state.app.list_tickets(&customer_face(&viewer), requested(), page).await?;
    Ok(html(&RequestsPage {
        layout: Layout::for_viewer(&viewer, "requests"),
        requests: page.items.into_iter().map(RequestRow::from).collect(),
        show_requester: viewer.principal.org_access,
        next: page.next_cursor,
        later,
        q: String::new(),
        error: None,
    }))
}

/// The viewer's requests holding every word of `q` (internal notes are never searched here).
async fn search(state: AppState, viewer: Viewer, q: String) -> Result<Response, UiError> {
    let text = SearchText { q: q.clone(), limit: Some(PAGE_SIZE) };
    let mine = TicketQuery { scope: Some(ListScope::Requested), ..TicketQuery::default() };
    let (requests, error) = match state.app.search_tickets(&customer_face(&viewer), text, mine).await {
        Ok(found) => (found.items.into_iter().map(|hit| RequestRow::from(hit.ticket)).collect(), None),
        Err(AppError::Invalid(errors)) => (Vec::new(), Some(errors.summary())),
        Err(error) => return Err(error.into()),
    };
    Ok(html(&RequestsPage {
        layout: Layout::for_viewer(&viewer, "requests"),
        requests,
        show_requester: viewer.principal.org_access,
        next: None,
        later: false,
        q,
        error,
    }))
}
