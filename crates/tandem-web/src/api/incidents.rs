//! `/incidents`: open, read, edit, link tickets, post updates, solve. Staff only: to anyone else
//! every incident endpoint answers 404, as for a missing incident.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use tandem_app::Page;
use tandem_app::incidents::{
    IncidentDetail, IncidentInput, IncidentLinkInput, IncidentQuery, IncidentView, LinkedTicketOut, SolveInput,
    UpdateInput, UpdateOut,
};
use tandem_domain::{IncidentId, TicketId};

use super::PageParams;
use super::tickets::etag;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, IfMatch, Path, Query};
use crate::state::AppState;

/// Incidents, newest first, by cursor.
#[utoipa::path(get, path = "/incidents", tag = "incidents", params(IncidentQuery, PageParams),
    responses((status = 200, body = Page<IncidentView>), (status = 404, body = ErrorBody)))]
pub async fn list_incidents(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Query(query): Query<IncidentQuery>,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<Page<IncidentView>>> {
    Ok(Json(state.app.list_incidents(&principal, query, page.into()).await?))
}

/// Open an incident owned by one of your teams, with match rules for the tickets still to come.
#[utoipa::path(post, path = "/incidents", tag = "incidents", request_body = IncidentInput,
    responses((status = 201, body = IncidentView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_incident(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<IncidentInput>,
) -> ApiResult<(StatusCode, HeaderMap, Json<IncidentView>)> {
    let incident = state.app.create_incident(&principal, input, crate::now()).await?;
    Ok((StatusCode::CREATED, etag(incident.version), Json(incident)))
}

/// One incident with its first linked tickets and latest updates.
#[utoipa::path(get, path = "/incidents/{id}", tag = "incidents", params(("id" = i64, Path)),
    responses((status = 200, body = IncidentDetail), (status = 404, body = ErrorBody)))]
pub async fn show_incident(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<(HeaderMap, Json<IncidentDetail>)> {
    let detail = state.app.get_incident(&principal, IncidentId(id)).await?;
    Ok((etag(detail.incident.version), Json(detail)))
}

/// Edit an open incident. `If-Match` must carry the version you read.
#[utoipa::path(put, path = "/incidents/{id}", tag = "incidents", params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = IncidentInput,
    responses((status = 200, body = IncidentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_incident(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    ApiJson(input): ApiJson<IncidentInput>,
) -> ApiResult<(HeaderMap, Json<IncidentView>)> {
    let incident = state.app.update_incident(&principal, IncidentId(id), version, input, crate::now()).await?;
    Ok((etag(incident.version), Json(incident)))
}

/// The incident's linked tickets by number, by cursor.
#[utoipa::path(get, path = "/incidents/{id}/tickets", tag = "incidents", params(("id" = i64, Path), PageParams),
    responses((status = 200, body = Page<LinkedTicketOut>), (status = 404, body = ErrorBody)))]
pub async fn list_incident_tickets(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<Page<LinkedTicketOut>>> {
    Ok(Json(state.app.list_incident_tickets(&principal, IncidentId(id), page.into()).await?))
}

/// Link a ticket you work to an open incident. A ticket belongs to one incident at most (409
/// `ticket_in_other_incident`); one you do not work is refused like a missing one (422).
#[utoipa::path(post, path = "/incidents/{id}/tickets", tag = "incidents", params(("id" = i64, Path)), request_body = IncidentLinkInput,
    responses((status = 200, body = LinkedTicketOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn link_incident_ticket(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<IncidentLinkInput>,
) -> ApiResult<Json<LinkedTicketOut>> {
    Ok(Json(state.app.link_incident_ticket(&principal, IncidentId(id), input, crate::now()).await?))
}

#[utoipa::path(delete, path = "/incidents/{id}/tickets/{ticket_id}", tag = "incidents",
    params(("id" = i64, Path), ("ticket_id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn unlink_incident_ticket(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path((id, ticket)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state.app.unlink_incident_ticket(&principal, IncidentId(id), TicketId(ticket), crate::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Post an update: each text becomes a public reply on the linked tickets of its audience.
#[utoipa::path(post, path = "/incidents/{id}/updates", tag = "incidents", params(("id" = i64, Path)), request_body = UpdateInput,
    responses((status = 201, body = UpdateOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_update(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<UpdateInput>,
) -> ApiResult<(StatusCode, Json<UpdateOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(state.app.post_incident_update(&principal, IncidentId(id), input, crate::now()).await?),
    ))
}

/// Solve the incident; with `solve_tickets`, also its linked tickets, with a final message.
#[utoipa::path(post, path = "/incidents/{id}/solve", tag = "incidents", params(("id" = i64, Path)), request_body = SolveInput,
    responses((status = 200, body = IncidentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn solve_incident(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SolveInput>,
) -> ApiResult<(HeaderMap, Json<IncidentView>)> {
    let incident = state.app.solve_incident(&principal, IncidentId(id), input, crate::now()).await?;
    Ok((etag(incident.version), Json(incident)))
}
