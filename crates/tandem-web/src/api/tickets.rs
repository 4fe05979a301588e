//! `/tickets`: open, list, read, change, take, merge, follow, and the audit trail.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use tandem_app::Page;
use tandem_app::idempotency::IdempotencyKey;
use tandem_app::tickets::{
    EventOut, FollowerInput, MergeInput, NewTicket, SearchResults, SearchText, TicketChanges, TicketDetail, TicketOut,
    TicketQuery,
};
use tandem_domain::{PersonId, TicketId};

use super::PageParams;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, IdempotencyHeader, IfMatch, Path, Query};
use crate::state::AppState;

/// The version of a ticket as an ETag, to send back in If-Match.
pub(super) fn etag(version: i64) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        headers.insert(header::ETAG, value);
    }
    headers
}

/// Tickets the caller may see, newest activity first, by cursor.
#[utoipa::path(get, path = "/tickets", tag = "tickets", params(TicketQuery, PageParams),
    responses((status = 200, body = Page<TicketOut>), (status = 422, body = ErrorBody)))]
pub async fn list_tickets(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Query(query): Query<TicketQuery>,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<Page<TicketOut>>> {
    Ok(Json(state.app.list_tickets(&principal, query, page.into()).await?))
}

/// Tickets whose subject or conversation holds every word of `q`, best first, among those the
/// caller may list (the list's filters narrow further). Internal notes are searched only in an
/// agent's own work; each hit carries its matching passage with the words in `<mark>`.
#[utoipa::path(get, path = "/tickets/search", tag = "tickets", params(SearchText, TicketQuery),
    responses((status = 200, body = SearchResults), (status = 422, body = ErrorBody)))]
pub async fn search_tickets(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Query(text): Query<SearchText>,
    Query(query): Query<TicketQuery>,
) -> ApiResult<Json<SearchResults>> {
    Ok(Json(state.app.search_tickets(&principal, text, query).await?))
}

/// Open a ticket. Send an `Idempotency-Key` to make retries safe.
#[utoipa::path(post, path = "/tickets", tag = "tickets", request_body = NewTicket,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = TicketDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_ticket(
    State(state): State<AppState>,
    Auth(principal): Auth,
    IdempotencyHeader(key): IdempotencyHeader,
    ApiJson(new): ApiJson<NewTicket>,
) -> ApiResult<(StatusCode, HeaderMap, Json<TicketDetail>)> {
    let key = key.map(|key| IdempotencyKey::new(&key, &new)).transpose()?;
    let detail = state.app.create_ticket(&principal, new, key, crate::now()).await?;
    Ok((StatusCode::CREATED, etag(detail.ticket.version), Json(detail)))
}

/// One ticket with its conversation (internal notes for agents only) and, for agents, the
/// service standard's targets: state, due time and business minutes left.
#[utoipa::path(get, path = "/tickets/{id}", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 200, body = TicketDetail), (status = 404, body = ErrorBody)))]
pub async fn show_ticket(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<(HeaderMap, Json<TicketDetail>)> {
    let detail = state.app.get_ticket_with_targets(&principal, TicketId(id), crate::now()).await?;
    Ok((etag(detail.ticket.version), Json(detail)))
}

/// Change a ticket. `If-Match` must carry the version you read.
#[utoipa::path(patch, path = "/tickets/{id}", tag = "tickets", params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = TicketChanges,
    responses((status = 200, body = TicketOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_ticket(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    ApiJson(changes): ApiJson<TicketChanges>,
) -> ApiResult<(HeaderMap, Json<TicketOut>)> {
    let ticket = state.app.update_ticket(&principal, TicketId(id), version, changes, crate::now()).await?;
    Ok((etag(ticket.version), Json(ticket)))
}

/// Take an unassigned ticket of one of your teams.
#[utoipa::path(post, path = "/tickets/{id}/take", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 200, body = TicketOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn take_ticket(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<(HeaderMap, Json<TicketOut>)> {
    let ticket = state.app.take_ticket(&principal, TicketId(id), crate::now()).await?;
    Ok((etag(ticket.version), Json(ticket)))
}

/// Merge this ticket into another; returns the ticket that carries on.
#[utoipa::path(post, path = "/tickets/{id}/merge", tag = "tickets", params(("id" = i64, Path)), request_body = MergeInput,
    responses((status = 200, body = TicketOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn merge_ticket(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<MergeInput>,
) -> ApiResult<Json<TicketOut>> {
    Ok(Json(state.app.merge_ticket(&principal, TicketId(id), input.into, crate::now()).await?))
}

/// The audit trail: every change, with actor and time (agents only).
#[utoipa::path(get, path = "/tickets/{id}/events", tag = "tickets", params(("id" = i64, Path), PageParams),
    responses((status = 200, body = Page<EventOut>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_events(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<Page<EventOut>>> {
    Ok(Json(state.app.list_events(&principal, TicketId(id), page.into()).await?))
}

#[utoipa::path(post, path = "/tickets/{id}/followers", tag = "tickets", params(("id" = i64, Path)), request_body = FollowerInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_follower(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<FollowerInput>,
) -> ApiResult<StatusCode> {
    state.app.add_follower(&principal, TicketId(id), input.person_id, crate::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/tickets/{id}/followers/{person_id}", tag = "tickets", params(("id" = i64, Path), ("person_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_follower(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path((id, person)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state.app.remove_follower(&principal, TicketId(id), PersonId(person), crate::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
