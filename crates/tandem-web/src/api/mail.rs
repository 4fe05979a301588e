//! `/mailboxes` and `/inbound-messages`: which address feeds which team, and what the mailboxes
//! received (quarantined messages with their reason, the original bytes of any message). Admins only.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use tandem_app::Page;
use tandem_app::mail::{InboundView, MailboxInput, MailboxView, ReceivedFilter};
use tandem_domain::{InboundMessageId, MailboxId};

use super::PageParams;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, IfMatch, Path, Query};
use crate::state::AppState;

#[utoipa::path(get, path = "/mailboxes", tag = "email",
    responses((status = 200, body = Vec<MailboxView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_mailboxes(State(state): State<AppState>, Auth(principal): Auth) -> ApiResult<Json<Vec<MailboxView>>> {
    Ok(Json(state.app.list_mailboxes(&principal).await?))
}

#[utoipa::path(post, path = "/mailboxes", tag = "email", request_body = MailboxInput,
    responses((status = 201, body = MailboxView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_mailbox(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<MailboxInput>,
) -> ApiResult<(StatusCode, Json<MailboxView>)> {
    Ok((StatusCode::CREATED, Json(state.app.create_mailbox(&principal, input, crate::now()).await?)))
}

#[utoipa::path(put, path = "/mailboxes/{id}", tag = "email", params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = MailboxInput,
    responses((status = 200, body = MailboxView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_mailbox(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    ApiJson(input): ApiJson<MailboxInput>,
) -> ApiResult<Json<MailboxView>> {
    Ok(Json(state.app.update_mailbox(&principal, MailboxId(id), version, input, crate::now()).await?))
}

#[utoipa::path(get, path = "/inbound-messages", tag = "email", params(ReceivedFilter, PageParams),
    responses((status = 200, body = Page<InboundView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_inbound(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Query(filter): Query<ReceivedFilter>,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<Page<InboundView>>> {
    Ok(Json(state.app.list_inbound(&principal, filter, page.into()).await?))
}

/// The message exactly as it arrived, as `message/rfc822` to download (never rendered inline).
#[utoipa::path(get, path = "/inbound-messages/{id}/raw", tag = "email", params(("id" = i64, Path)),
    responses((status = 200, content_type = "message/rfc822", body = Vec<u8>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn show_inbound_raw(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<(HeaderMap, Vec<u8>)> {
    let raw = state.app.inbound_raw(&principal, InboundMessageId(id)).await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("message/rfc822"));
    let disposition = format!("attachment; filename=\"inbound-{id}.eml\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok((headers, raw))
}
