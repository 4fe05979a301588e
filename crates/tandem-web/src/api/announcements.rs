//! `/announcements`: news from admins and team leads to employees. Readers list and read what is
//! published to them and mark it read; writers draft, edit, publish and withdraw, and see read
//! counts. External customers receive none: every announcement is a 404 to them.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use tandem_app::Page;
use tandem_app::announcements::{AnnouncementInput, AnnouncementQuery, AnnouncementView};
use tandem_domain::AnnouncementId;

use super::PageParams;
use super::tickets::etag;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, IfMatch, Path, Query};
use crate::state::AppState;

/// What is published to you now, newest first; for admins and leads, every announcement with
/// read counts (`scope=all`, their default).
#[utoipa::path(get, path = "/announcements", tag = "announcements", params(AnnouncementQuery, PageParams),
    responses((status = 200, body = Page<AnnouncementView>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_announcements(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Query(query): Query<AnnouncementQuery>,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<Page<AnnouncementView>>> {
    Ok(Json(state.app.list_announcements(&principal, query, page.into(), crate::now()).await?))
}

/// Draft an announcement (admins and team leads). It reaches nobody until it is published.
#[utoipa::path(post, path = "/announcements", tag = "announcements", request_body = AnnouncementInput,
    responses((status = 201, body = AnnouncementView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_announcement(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<AnnouncementInput>,
) -> ApiResult<(StatusCode, HeaderMap, Json<AnnouncementView>)> {
    let announcement = state.app.create_announcement(&principal, input, crate::now()).await?;
    Ok((StatusCode::CREATED, etag(announcement.version), Json(announcement)))
}

/// One announcement: readers get it while it is published to them.
#[utoipa::path(get, path = "/announcements/{id}", tag = "announcements", params(("id" = i64, Path)),
    responses((status = 200, body = AnnouncementView), (status = 404, body = ErrorBody)))]
pub async fn show_announcement(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<(HeaderMap, Json<AnnouncementView>)> {
    let announcement = state.app.get_announcement(&principal, AnnouncementId(id), crate::now()).await?;
    Ok((etag(announcement.version), Json(announcement)))
}

/// Edit it (its author and admins). `If-Match` must carry the version you read.
#[utoipa::path(put, path = "/announcements/{id}", tag = "announcements",
    params(("id" = i64, Path), ("If-Match" = String, Header)), request_body = AnnouncementInput,
    responses((status = 200, body = AnnouncementView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_announcement(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    ApiJson(input): ApiJson<AnnouncementInput>,
) -> ApiResult<(HeaderMap, Json<AnnouncementView>)> {
    let announcement =
        state.app.update_announcement(&principal, AnnouncementId(id), version, input, crate::now()).await?;
    Ok((etag(announcement.version), Json(announcement)))
}

/// Publish the draft to its recipients; with `email` set, each is emailed once. 409
/// `already_published` or `announcement_withdrawn`.
#[utoipa::path(post, path = "/announcements/{id}/publish", tag = "announcements", params(("id" = i64, Path)),
    responses((status = 200, body = AnnouncementView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn publish_announcement(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<(HeaderMap, Json<AnnouncementView>)> {
    let announcement = state.app.publish_announcement(&principal, AnnouncementId(id), crate::now()).await?;
    Ok((etag(announcement.version), Json(announcement)))
}

/// Withdraw it from every reader. 409 `announcement_withdrawn` if it was already.
#[utoipa::path(post, path = "/announcements/{id}/withdraw", tag = "announcements", params(("id" = i64, Path)),
    responses((status = 200, body = AnnouncementView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn withdraw_announcement(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<(HeaderMap, Json<AnnouncementView>)> {
    let announcement = state.app.withdraw_announcement(&principal, AnnouncementId(id), crate::now()).await?;
    Ok((etag(announcement.version), Json(announcement)))
}

/// Mark it read (its recipients). Idempotent: the first read time is kept.
#[utoipa::path(post, path = "/announcements/{id}/read", tag = "announcements", params(("id" = i64, Path)),
    responses((status = 200, body = AnnouncementView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn mark_announcement_read(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<Json<AnnouncementView>> {
    Ok(Json(state.app.mark_announcement_read(&principal, AnnouncementId(id), crate::now()).await?))
}
