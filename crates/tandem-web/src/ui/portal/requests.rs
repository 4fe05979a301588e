//! "My requests": the viewer's requests, newest activity first, 25 a page by cursor.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use tandem_app::PageRequest;

use super::{RequestRow, customer_face, requested};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::Viewer;
use crate::ui::{UiError, html};

const PAGE_SIZE: u32 = 25;

#[derive(Debug, Deserialize)]
pub(super) struct ListQuery {
    cursor: Option<String>,
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
}

pub(super) async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, UiError> {
    let Query(query) = query.map_err(|_| UiError::BadRequest("That page address is not right.".into()))?;
    let later = query.cursor.is_some();
    let page = PageRequest { limit: Some(PAGE_SIZE), cursor: query.cursor };
    let page = state.app.list_tickets(&customer_face(&viewer), requested(), page).await?;
    Ok(html(&RequestsPage {
        layout: Layout::for_viewer(&viewer, "requests"),
        requests: page.items.into_iter().map(RequestRow::from).collect(),
        show_requester: viewer.principal.org_access,
        next: page.next_cursor,
        later,
    }))
}
