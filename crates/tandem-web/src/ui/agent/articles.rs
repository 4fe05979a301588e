//! `GET /agent/articles`: the articles the viewer edits (drafts too) with their status and what
//! readers made of them (deflections, reactions); the article-link picker of the reply box
//! (`GET /agent/article-links?ticket=…&q=…`, an HTML fragment); and "Turn into draft article" on
//! a public message (`POST /agent/tickets/{id}/article-draft`), which opens the editor on the new
//! draft.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tandem_app::PageRequest;
use tandem_app::articles::{ArticleQuery, ArticleScope, ArticleSummary, FromMessageInput};
use tandem_domain::{MessageId, TicketId};

use super::{require_staff, ticket_id};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

/// Articles the list shows (the newest; the API pages through the rest).
const LISTED: u32 = 100;

#[derive(Template)]
#[template(path = "agent_articles.html")]
struct ArticlesPage {
    layout: Layout,
    rows: Vec<Row>,
}

struct Row {
    article: ArticleSummary,
    status: &'static str,
}

pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let query = ArticleQuery { scope: Some(ArticleScope::Editable), ..ArticleQuery::default() };
    let page = PageRequest { limit: Some(LISTED), cursor: None };
    let articles = state.app.list_articles(Some(&viewer.principal), query, page).await?.items;
    let rows = articles.into_iter().map(|article| Row { status: status_label(article.status), article }).collect();
    Ok(html(&ArticlesPage { layout: Layout::for_viewer(&viewer, "articles"), rows }))
}

/// The status of an editor's row as people say it.
fn status_label(status: Option<&str>) -> &'static str {
    match status {
        Some("published") => "Published",
        Some("published_with_draft") => "Published, draft pending",
        _ => "Draft",
    }
}

#[derive(Template)]
#[template(path = "agent_article_links.html")]
struct LinksFragment {
    links: Vec<ArticleSummary>,
}

#[derive(Debug, Deserialize)]
pub struct LinksQuery {
    ticket: i64,
    #[serde(default)]
    q: String,
}

pub async fn links(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<LinksQuery>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let links = state.app.article_links_for_ticket(&viewer.principal, TicketId(query.ticket), &query.q).await?;
    Ok(html(&LinksFragment { links }))
}

#[derive(Debug, Deserialize)]
pub struct DraftForm {
    message_id: i64,
}

pub async fn draft_from_message(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<DraftForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let input = FromMessageInput { message_id: MessageId(form.message_id), category_id: None };
    let article = state.app.draft_article_from_message(&viewer.principal, ticket_id(&id)?, input, crate::now()).await?;
    Ok(Redirect::to(&format!("/agent/articles/{}?done=drafted", article.id)).into_response())
}
