//! The help centre: `/help` (articles by category, and a search box with ranked results and
//! highlighted snippets) and `/help/{slug}` (one article, and for a signed-in reader their
//! reaction). Open to visitors who are not signed in, who read public articles only; each signed-in
//! person reads what the API would give them (`App::list_articles`, `App::get_article_by_slug`).

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tandem_app::articles::{ArticleQuery, ArticleSummary, ArticleView, ReactionInput};
use tandem_app::{PageRequest, Principal};
use tandem_domain::Reaction;

use super::agent::format::day;
use super::layout::Layout;
use super::session::{VerifiedForm, Viewer};
use super::{UiError, html};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/help", get(index))
        .route("/help/{slug}", get(article))
        .route("/help/{slug}/reaction", post(react))
}

/// Articles the index lists by category (the newest; search finds the rest).
const LISTED: u32 = 100;

#[derive(Template)]
#[template(path = "help_index.html")]
struct IndexPage {
    layout: Layout,
    q: String,
    /// `Some` when a search ran: its results, best first.
    results: Option<Vec<ArticleSummary>>,
    categories: Vec<(String, Vec<ArticleSummary>)>,
}

#[derive(Debug, Default, Deserialize)]
pub struct IndexQuery {
    #[serde(default)]
    q: String,
}

async fn index(
    State(state): State<AppState>,
    viewer: Option<Viewer>,
    Query(query): Query<IndexQuery>,
) -> Result<Response, UiError> {
    let reader = viewer.as_ref().map(|viewer| &viewer.principal);
    let q = query.q.trim().to_owned();
    let page = PageRequest { limit: Some(LISTED), cursor: None };
    let (results, categories) = if q.is_empty() {
        let listed = state.app.list_articles(reader, ArticleQuery::default(), page).await?;
        (None, by_category(listed.items))
    } else {
        let search = ArticleQuery { q: Some(q.clone()), ..ArticleQuery::default() };
        (Some(state.app.list_articles(reader, search, page).await?.items), Vec::new())
    };
    Ok(html(&IndexPage { layout: layout(viewer.as_ref()), q, results, categories }))
}

fn layout(viewer: Option<&Viewer>) -> Layout {
    viewer.map_or_else(Layout::anonymous, |viewer| Layout::for_viewer(viewer, "help"))
}

/// Categories by name, each with its articles by title.
fn by_category(articles: Vec<ArticleSummary>) -> Vec<(String, Vec<ArticleSummary>)> {
    let mut groups: BTreeMap<String, Vec<ArticleSummary>> = BTreeMap::new();
    for article in articles {
        groups.entry(article.category.clone()).or_default().push(article);
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    for (_, articles) in &mut groups {
        articles.sort_by(|a, b| a.title.cmp(&b.title));
    }
    groups
}

#[derive(Template)]
#[template(path = "help_article.html")]
struct ArticlePage {
    layout: Layout,
    article: ArticleView,
    title: String,
    category: String,
    body_html: String,
    updated: String,
    reactions: Vec<ReactionButton>,
}

struct ReactionButton {
    value: &'static str,
    label: &'static str,
    chosen: bool,
}

async fn article(
    State(state): State<AppState>,
    viewer: Option<Viewer>,
    Path(slug): Path<String>,
) -> Result<Response, UiError> {
    let reader = viewer.as_ref().map(|viewer| &viewer.principal);
    let article = state.app.get_article_by_slug(reader, &slug).await?;
    // An editor may open an article that was never published: the help centre has nothing to show.
    let published = article.published.clone().ok_or(UiError::NotFound)?;
    let reactions = Reaction::ALL
        .iter()
        .map(|reaction| ReactionButton {
            value: reaction.as_str(),
            label: reaction_label(*reaction),
            chosen: article.my_reaction == Some(*reaction),
        })
        .collect();
    let updated = published.published_at.map(day).unwrap_or_default();
    let layout = layout(viewer.as_ref());
    Ok(html(&ArticlePage {
        layout,
        title: published.title,
        category: published.category.name,
        body_html: published.body_html,
        updated,
        reactions,
        article,
    }))
}

fn reaction_label(reaction: Reaction) -> &'static str {
    match reaction {
        Reaction::Sucks => "It sucks",
        Reaction::Boring => "Boring",
        Reaction::Useful => "Useful",
        Reaction::Interesting => "Interesting",
        Reaction::Awesome => "Awesome",
    }
}

#[derive(Debug, Deserialize)]
pub struct ReactionForm {
    reaction: String,
}

async fn react(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<ReactionForm>,
) -> Result<Response, UiError> {
    let principal: &Principal = &viewer.principal;
    let article = state.app.get_article_by_slug(Some(principal), &slug).await?;
    let reaction = form.reaction.parse::<Reaction>().map_err(|error| UiError::BadRequest(error.to_string()))?;
    state.app.react_to_article(principal, article.id, ReactionInput { reaction }, crate::now()).await?;
    Ok(Redirect::to(&format!("/help/{slug}#reactions")).into_response())
}
