//! `/reviews`: customers' reviews of services. Reading works without a token (a visitor reads the
//! public reviews); customers write and edit their own; the service's team answers and hides. A
//! review the caller may not read answers 404, as a missing one does.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use tandem_app::Page;
use tandem_app::reviews::{AnswerInput, HideInput, ReviewInput, ReviewQuery, ReviewUpdate, ReviewView};
use tandem_domain::ReviewId;

use super::PageParams;
use super::tickets::etag;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, IfMatch, MaybeAuth, Path, Query};
use crate::state::AppState;

/// Reviews you may read, newest first by cursor: the public ones, your own, and for staff every
/// review (`answered=false` lists what still needs an answer).
#[utoipa::path(get, path = "/reviews", tag = "reviews", params(ReviewQuery, PageParams), security((), ("bearer" = [])),
    responses((status = 200, body = Page<ReviewView>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_reviews(
    State(state): State<AppState>,
    MaybeAuth(principal): MaybeAuth,
    Query(query): Query<ReviewQuery>,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<Page<ReviewView>>> {
    Ok(Json(state.app.list_reviews(principal.as_ref(), query, page.into()).await?))
}

/// Review a service offered to you (external customers): 1–5 stars, a title and your words,
/// public or private.
#[utoipa::path(post, path = "/reviews", tag = "reviews", request_body = ReviewInput,
    responses((status = 201, body = ReviewView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_review(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<ReviewInput>,
) -> ApiResult<(StatusCode, HeaderMap, Json<ReviewView>)> {
    let review = state.app.create_review(&principal, input, crate::now()).await?;
    Ok((StatusCode::CREATED, etag(review.version), Json(review)))
}

/// One review: staff also get its owning team and audit trail.
#[utoipa::path(get, path = "/reviews/{id}", tag = "reviews", params(("id" = i64, Path)), security((), ("bearer" = [])),
    responses((status = 200, body = ReviewView), (status = 404, body = ErrorBody)))]
pub async fn show_review(
    State(state): State<AppState>,
    MaybeAuth(principal): MaybeAuth,
    Path(id): Path<i64>,
) -> ApiResult<(HeaderMap, Json<ReviewView>)> {
    let review = state.app.get_review(principal.as_ref(), ReviewId(id)).await?;
    Ok((etag(review.version), Json(review)))
}

/// Rewrite your review. `If-Match` must carry the version you read.
#[utoipa::path(put, path = "/reviews/{id}", tag = "reviews", params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = ReviewUpdate,
    responses((status = 200, body = ReviewView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_review(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    ApiJson(input): ApiJson<ReviewUpdate>,
) -> ApiResult<(HeaderMap, Json<ReviewView>)> {
    let review = state.app.update_review(&principal, ReviewId(id), version, input, crate::now()).await?;
    Ok((etag(review.version), Json(review)))
}

/// Answer the review in public (the service's team and admins); answering again rewrites it.
#[utoipa::path(put, path = "/reviews/{id}/answer", tag = "reviews", params(("id" = i64, Path)),
    request_body = AnswerInput,
    responses((status = 200, body = ReviewView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn answer_review(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AnswerInput>,
) -> ApiResult<(HeaderMap, Json<ReviewView>)> {
    let review = state.app.answer_review(&principal, ReviewId(id), input, crate::now()).await?;
    Ok((etag(review.version), Json(review)))
}

/// Hide an abusive public review, with the reason (the service's team and admins): it leaves
/// every public list; its author and staff still read it. 409 if it is private or hidden already.
#[utoipa::path(post, path = "/reviews/{id}/hide", tag = "reviews", params(("id" = i64, Path)),
    request_body = HideInput,
    responses((status = 200, body = ReviewView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn hide_review(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<HideInput>,
) -> ApiResult<(HeaderMap, Json<ReviewView>)> {
    let review = state.app.hide_review(&principal, ReviewId(id), input, crate::now()).await?;
    Ok((etag(review.version), Json(review)))
}
