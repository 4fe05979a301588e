//! `/calendars` and `/standards`: business-hours calendars and the service standards (SLAs and
//! OLAs) that set each ticket's targets. Admins write (an edit sends `If-Match`), delete, and
//! import holidays from an iCalendar file; staff read; customers see nothing.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use tandem_app::standards::{CalendarInput, CalendarView, StandardInput, StandardView};
use tandem_domain::{CalendarId, StandardId};

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, CalendarText, IfMatch, Path};
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

#[utoipa::path(delete, path = "/calendars/{id}", tag = "standards", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`calendar_in_use`: a standard measures in it")))]
pub async fn delete_calendar(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    state.app.delete_calendar(&principal, CalendarId(id), crate::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/standards/{id}", tag = "standards", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_standard(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    state.app.delete_standard(&principal, StandardId(id), crate::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds the dates of the file's all-day events (multi-day ones as ranges, the end excluded) to
/// the calendar's holidays; a file that cannot be read exactly is refused naming the line.
#[utoipa::path(post, path = "/calendars/{id}/holidays/import", tag = "standards", params(("id" = i64, Path)),
    request_body(content = String, content_type = "text/calendar"),
    responses((status = 200, body = CalendarView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import_holidays(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    CalendarText(text): CalendarText,
) -> ApiResult<Json<CalendarView>> {
    Ok(Json(state.app.import_holidays(&principal, CalendarId(id), &text, crate::now()).await?))
}
