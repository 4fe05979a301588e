//! `/tickets/{id}/messages`: the conversation, and replies and notes added to it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use tandem_app::Page;
use tandem_app::idempotency::IdempotencyKey;
use tandem_app::tickets::{MessageOut, MessagePosted, NewMessage};
use tandem_domain::TicketId;

use super::PageParams;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, IdempotencyHeader, Path, Query};
use crate::state::AppState;

#[utoipa::path(get, path = "/tickets/{id}/messages", tag = "tickets", params(("id" = i64, Path), PageParams),
    responses((status = 200, body = Page<MessageOut>), (status = 404, body = ErrorBody)))]
pub async fn list_messages(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<Page<MessageOut>>> {
    Ok(Json(state.app.list_messages(&principal, TicketId(id), page.into()).await?))
}

/// Add a public reply or (agents) an internal note. Send an `Idempotency-Key` to make retries safe.
#[utoipa::path(post, path = "/tickets/{id}/messages", tag = "tickets", request_body = NewMessage,
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = MessagePosted), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn post_message(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    IdempotencyHeader(key): IdempotencyHeader,
    ApiJson(new): ApiJson<NewMessage>,
) -> ApiResult<(StatusCode, Json<MessagePosted>)> {
    let key = key.map(|key| IdempotencyKey::new(&key, &(id, &new))).transpose()?;
    Ok((StatusCode::CREATED, Json(state.app.post_message(&principal, TicketId(id), new, key, crate::now()).await?)))
}
