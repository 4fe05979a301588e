//! `/articles` and `/article-categories`: the help articles. Reading works without a token (a
//! visitor sees public articles); with one, each person reads their audiences. Writing is for the
//! owning team's agents and admins. An article the caller may not read answers 404, drafts too.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use tandem_app::Page;
use tandem_app::articles::{
    ArticleInput, ArticleQuery, ArticleSummary, ArticleView, CategoryInput, CategoryView, DeflectionInput,
    FromMessageInput, ReactionInput, VersionOut,
};
use tandem_domain::{ArticleId, TicketId};

use super::PageParams;
use super::tickets::etag;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, IfMatch, MaybeAuth, Path, Query};
use crate::state::AppState;

/// Published articles you may read, newest first by cursor; with `q`, the best matches with
/// snippets. `scope=editable` lists the articles you may edit instead, drafts included.
#[utoipa::path(get, path = "/articles", tag = "knowledge", params(ArticleQuery, PageParams), security((), ("bearer" = [])),
    responses((status = 200, body = Page<ArticleSummary>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_articles(
    State(state): State<AppState>,
    MaybeAuth(principal): MaybeAuth,
    Query(query): Query<ArticleQuery>,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<Page<ArticleSummary>>> {
    Ok(Json(state.app.list_articles(principal.as_ref(), query, page.into()).await?))
}

/// Write a new article. Its first version is a draft: nobody reads it until it is published.
#[utoipa::path(post, path = "/articles", tag = "knowledge", request_body = ArticleInput,
    responses((status = 201, body = ArticleView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_article(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<ArticleInput>,
) -> ApiResult<(StatusCode, HeaderMap, Json<ArticleView>)> {
    let article = state.app.create_article(&principal, input, crate::now()).await?;
    Ok((StatusCode::CREATED, etag(article.version), Json(article)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SuggestionParams {
    /// What the requester typed so far; the last word matches as a prefix.
    #[serde(default)]
    pub q: String,
}

/// A few published articles you may read that match what you are typing.
#[utoipa::path(get, path = "/articles/suggestions", tag = "knowledge", params(SuggestionParams), security((), ("bearer" = [])),
    responses((status = 200, body = Vec<ArticleSummary>)))]
pub async fn suggest_articles(
    State(state): State<AppState>,
    MaybeAuth(principal): MaybeAuth,
    Query(params): Query<SuggestionParams>,
) -> ApiResult<Json<Vec<ArticleSummary>>> {
    Ok(Json(state.app.suggest_articles(principal.as_ref(), &params.q).await?))
}

/// One article: the published copy for readers; the draft and reader counts for its editors.
#[utoipa::path(get, path = "/articles/{id}", tag = "knowledge", params(("id" = i64, Path)), security((), ("bearer" = [])),
    responses((status = 200, body = ArticleView), (status = 404, body = ErrorBody)))]
pub async fn show_article(
    State(state): State<AppState>,
    MaybeAuth(principal): MaybeAuth,
    Path(id): Path<i64>,
) -> ApiResult<(HeaderMap, Json<ArticleView>)> {
    let article = state.app.get_article(principal.as_ref(), ArticleId(id)).await?;
    Ok((etag(article.version), Json(article)))
}

/// Write the draft (a published article gets a new draft version; readers keep the published
/// one). `If-Match` must carry the version you read.
#[utoipa::path(put, path = "/articles/{id}", tag = "knowledge", params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = ArticleInput,
    responses((status = 200, body = ArticleView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_article(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    ApiJson(input): ApiJson<ArticleInput>,
) -> ApiResult<(HeaderMap, Json<ArticleView>)> {
    let article = state.app.update_article(&principal, ArticleId(id), version, input, crate::now()).await?;
    Ok((etag(article.version), Json(article)))
}

/// Publish the draft: it becomes what readers see. 409 `nothing_to_publish` without a draft.
#[utoipa::path(post, path = "/articles/{id}/publish", tag = "knowledge", params(("id" = i64, Path)),
    responses((status = 200, body = ArticleView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn publish_article(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<(HeaderMap, Json<ArticleView>)> {
    let article = state.app.publish_article(&principal, ArticleId(id), crate::now()).await?;
    Ok((etag(article.version), Json(article)))
}

/// Every version of the article, newest first (editors).
#[utoipa::path(get, path = "/articles/{id}/versions", tag = "knowledge", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<VersionOut>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_versions(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<VersionOut>>> {
    Ok(Json(state.app.list_article_versions(&principal, ArticleId(id)).await?))
}

/// "This solved my problem": the request you were typing is not filed, and the article is credited.
#[utoipa::path(post, path = "/articles/{id}/deflections", tag = "knowledge", params(("id" = i64, Path)),
    request_body = DeflectionInput,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn deflect(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DeflectionInput>,
) -> ApiResult<StatusCode> {
    state.app.record_deflection(&principal, ArticleId(id), input, crate::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Your reaction to the article (one per reader, changeable). Editors see only the counts.
#[utoipa::path(put, path = "/articles/{id}/reaction", tag = "knowledge", params(("id" = i64, Path)),
    request_body = ReactionInput,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn react(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ReactionInput>,
) -> ApiResult<StatusCode> {
    state.app.react_to_article(&principal, ArticleId(id), input, crate::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Turn a public answer on the ticket into a draft article of the ticket's team.
#[utoipa::path(post, path = "/tickets/{id}/article-drafts", tag = "knowledge", params(("id" = i64, Path)),
    request_body = FromMessageInput,
    responses((status = 201, body = ArticleView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn draft_from_message(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<FromMessageInput>,
) -> ApiResult<(StatusCode, HeaderMap, Json<ArticleView>)> {
    let article = state.app.draft_article_from_message(&principal, TicketId(id), input, crate::now()).await?;
    Ok((StatusCode::CREATED, etag(article.version), Json(article)))
}

/// The help centre's categories, by name.
#[utoipa::path(get, path = "/article-categories", tag = "knowledge", security((), ("bearer" = [])),
    responses((status = 200, body = Vec<CategoryView>)))]
pub async fn list_categories(State(state): State<AppState>) -> ApiResult<Json<Vec<CategoryView>>> {
    Ok(Json(state.app.list_article_categories().await?))
}

/// Add a category (admins).
#[utoipa::path(post, path = "/article-categories", tag = "knowledge", request_body = CategoryInput,
    responses((status = 201, body = CategoryView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_category(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<CategoryInput>,
) -> ApiResult<(StatusCode, Json<CategoryView>)> {
    Ok((StatusCode::CREATED, Json(state.app.create_article_category(&principal, input, crate::now()).await?)))
}
