//! `/help/reviews`: the public reviews of services with the teams' answers, open to visitors.
//! Everyone, signed in or not, gets the visitor's list (what is public and not hidden), so the
//! page is the same for all and never carries a private or hidden review.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use tandem_app::PageRequest;
use tandem_app::reviews::ReviewQuery;
use tandem_domain::{PersonKind, ServiceId};

use super::layout::Layout;
use super::review_card::ReviewCard;
use super::session::Viewer;
use super::{UiError, html};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/help/reviews", get(index))
}

const PAGE_SIZE: u32 = 25;

#[derive(Template)]
#[template(path = "help_reviews.html")]
struct ReviewsPage {
    layout: Layout,
    reviews: Vec<ReviewCard>,
    next: Option<String>,
    /// External customers may write one.
    may_write: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    service_id: Option<i64>,
    cursor: Option<String>,
}

async fn index(
    State(state): State<AppState>,
    viewer: Option<Viewer>,
    Query(query): Query<ListQuery>,
) -> Result<Response, UiError> {
    let filter = ReviewQuery { service_id: query.service_id.map(ServiceId), ..ReviewQuery::default() };
    let page = PageRequest { limit: Some(PAGE_SIZE), cursor: query.cursor };
    let page = state.app.list_reviews(None, filter, page).await?;
    let layout = viewer.as_ref().map_or_else(Layout::anonymous, |viewer| Layout::for_viewer(viewer, "help"));
    let may_write = viewer.is_some_and(|viewer| viewer.principal.kind == PersonKind::External);
    let reviews = page.items.into_iter().map(ReviewCard::from).collect();
    Ok(html(&ReviewsPage { layout, reviews, next: page.next_cursor, may_write }))
}
