//! `/calendars` and `/standards`: business-hours calendars and the service standards (SLAs and
//! OLAs) that set each ticket's targets. Admins write (an edit sends `If-Match`), staff read,
//! customers see nothing.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use tandem_app::standards::{CalendarInput, CalendarView, StandardInput, StandardView};
use tandem_domain::{CalendarId, StandardId};

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, IfMatch, Path};
use crate::state::AppState;

#[utoipa::path(get, path = "/calendars", tag = "standards",
    responses((status = 200, body = Vec<CalendarView>), (status = 404, body = ErrorBody)))]
pub async fn list_calendars(
    State(state): State<AppState>,
    Auth(principal): Auth,
) -> ApiResult<Json<Vec<CalendarView>>> {
    Ok(Json(state.app.list_calendars(&principal).await?))
}

#[utoipa::path(post, path = "/calendars", tag = "standards", request_body = CalendarInput,
    responses((status = 201, body = CalendarView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_calendar(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<CalendarInput>,
) -> ApiResult<(StatusCode, Json<CalendarView>)> {
    Ok((StatusCode::CREATED, Json(state.app.create_calendar(&principal, input, crate::now()).await?)))
}

#[utoipa::path(get, path = "/standards", tag = "standards",
    responses((status = 200, body = Vec<StandardView>), (status = 404, body = ErrorBody)))]
pub async fn list_standards(
    State(state): State<AppState>,
    Auth(principal): Auth,
) -> ApiResult<Json<Vec<StandardView>>> {
    Ok(Json(state.app.list_standards(&principal).await?))
}

#[utoipa::path(post, path = "/standards", tag = "standards", request_body = StandardInput,
    responses((status = 201, body = StandardView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_standard(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<StandardInput>,
) -> ApiResult<(StatusCode, Json<StandardView>)> {
    Ok((StatusCode::CREATED, Json(state.app.create_standard(&principal, input, crate::now()).await?)))
}

#[utoipa::path(put, path = "/calendars/{id}", tag = "standards", params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = CalendarInput,
    responses((status = 200, body = CalendarView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_calendar(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    ApiJson(input): ApiJson<CalendarInput>,
) -> ApiResult<Json<CalendarView>> {
    Ok(Json(state.app.update_calendar(&principal, CalendarId(id), version, input, crate::now()).await?))
}

#[utoipa::path(put, path = "/standards/{id}", tag = "standards", params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = StandardInput,
    responses((status = 200, body = StandardView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_standard(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    ApiJson(input): ApiJson<StandardInput>,
) -> ApiResult<Json<StandardView>> {
    Ok(Json(state.app.update_standard(&principal, StandardId(id), version, input, crate::now()).await?))
}
