//! `GET /agent/search?q=`: the console's full-text search over the tickets the agent works,
//! internal notes included, each hit with its subject and matching passage marked.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use tandem_app::AppError;
use tandem_app::tickets::{SearchText, TicketQuery};

use super::queues::{Row, row};
use super::require_staff;
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::Viewer;
use crate::ui::{UiError, html};

#[derive(Clone, Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
}

#[derive(Debug)]
struct Hit {
    row: Row,
    /// Safe HTML: escaped text with the words found in `<mark>` (from the search).
    subject_html: Option<String>,
    snippet_html: Option<String>,
}

#[derive(Template)]
#[template(path = "agent_search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    hits: Vec<Hit>,
    error: Option<String>,
    searched: bool,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(params): Query<SearchParams>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let q = params.q.trim().to_owned();
    let mut page = SearchPage {
        layout: Layout::for_viewer(&viewer, "agent"),
        q: q.clone(),
        hits: Vec::new(),
        error: None,
        searched: !q.is_empty(),
    };
    if page.searched {
        let text = SearchText { q, limit: Some(50) };
        match state.app.search_tickets(&viewer.principal, text, TicketQuery::default()).await {
            Ok(found) => {
                let now = crate::now();
                page.hits = found
                    .items
                    .into_iter()
                    .map(|hit| Hit {
                        subject_html: hit.subject_html,
                        snippet_html: hit.snippet_html,
                        row: row(now, hit.ticket),
                    })
                    .collect();
            }
            // Only punctuation typed: say so above an empty list.
            Err(AppError::Invalid(errors)) => page.error = Some(errors.summary()),
            Err(error) => return Err(error.into()),
        }
    }
    Ok(html(&page))
}
