//! Articles suggested while a request is typed: `GET /portal/suggestions?q=…&service=…` answers
//! an HTML fragment (fetched by `assets/articles.js` as the subject changes) with the matching
//! articles the requester may read, each with "This solved my problem", a button with which the
//! script posts the request form itself here instead: the deflection is recorded for the article
//! and the service, nothing is filed, and the requester is thanked.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use tandem_app::articles::{ArticleSummary, DeflectionInput};
use tandem_domain::ArticleId;

use super::customer_face;
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

#[derive(Template)]
#[template(path = "portal_suggestions.html")]
struct SuggestionsFragment {
    service: String,
    suggestions: Vec<ArticleSummary>,
}

#[derive(Debug, Deserialize)]
pub(super) struct SuggestionQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    service: String,
}

/// The fragment; empty when nothing matches, so the form shows nothing extra.
pub(super) async fn fragment(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<SuggestionQuery>,
) -> Result<Response, UiError> {
    let face = customer_face(&viewer);
    let suggestions = state.app.suggest_articles(Some(&face), &query.q).await?;
    Ok(html(&SuggestionsFragment { service: query.service, suggestions }))
}

#[derive(Template)]
#[template(path = "portal_solved.html")]
struct SolvedPage {
    layout: Layout,
}

#[derive(Debug, Deserialize)]
pub(super) struct SolvedForm {
    article_id: i64,
}

/// "This solved my problem": the deflection is counted and the request is not filed.
pub(super) async fn solved(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<SolvedForm>,
) -> Result<Response, UiError> {
    let face = customer_face(&viewer);
    let input = DeflectionInput { service: Some(slug) };
    state.app.record_deflection(&face, ArticleId(form.article_id), input, crate::now()).await?;
    Ok(html(&SolvedPage { layout: Layout::for_viewer(&viewer, "portal") }))
}
