//! The service chain of a ticket: ask another team (a linked internal request), link or unlink an
//! existing request, read the whole chain, rate a hand-off. Agents only; customers never see links.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use tandem_app::chain::{ChainOut, HandoffRating, HelpRequest, LinkInput};
use tandem_app::tickets::TicketDetail;
use tandem_domain::TicketId;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, Path};
use crate::state::AppState;

/// Ask another team for what this ticket needs: opens an internal request on one of its internal
/// services, linked to this ticket, with the caller as its requester. `wait: true` sets this
/// ticket to `pending_internal`; it reopens by itself when its last open request is solved.
#[utoipa::path(post, path = "/tickets/{id}/requests", tag = "chain", params(("id" = i64, Path)), request_body = HelpRequest,
    responses((status = 201, body = TicketDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_help(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<HelpRequest>,
) -> ApiResult<(StatusCode, Json<TicketDetail>)> {
    let detail = state.app.request_help(&principal, TicketId(id), input, crate::now()).await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// The whole chain this ticket belongs to, from the ticket it ultimately serves down: each link's
/// team, status, standard and the time its parent waited on it.
#[utoipa::path(get, path = "/tickets/{id}/chain", tag = "chain", params(("id" = i64, Path)),
    responses((status = 200, body = ChainOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show_chain(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<Json<ChainOut>> {
    Ok(Json(state.app.ticket_chain(&principal, TicketId(id), crate::now()).await?))
}

/// Link an existing internal request to this ticket as one that serves it.
#[utoipa::path(post, path = "/tickets/{id}/links", tag = "chain", params(("id" = i64, Path)), request_body = LinkInput,
    responses((status = 200, body = ChainOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn link_ticket(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<LinkInput>,
) -> ApiResult<Json<ChainOut>> {
    Ok(Json(state.app.link_ticket(&principal, TicketId(id), input, crate::now()).await?))
}

/// Unlink a request from this ticket (the request itself stays).
#[utoipa::path(delete, path = "/tickets/{id}/links/{request_id}", tag = "chain",
    params(("id" = i64, Path), ("request_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unlink_ticket(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path((id, request)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state.app.unlink_ticket(&principal, TicketId(id), TicketId(request), crate::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Rate how well this internal request served the ticket it was asked for (1–5 and a comment),
/// as an agent of that ticket or whoever asked. Rating again replaces the rating.
#[utoipa::path(put, path = "/tickets/{id}/handoff-rating", tag = "chain", params(("id" = i64, Path)),
    request_body = HandoffRating,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn rate_handoff(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<HandoffRating>,
) -> ApiResult<StatusCode> {
    state.app.rate_handoff(&principal, TicketId(id), input, crate::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
