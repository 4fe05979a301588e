//! `/services`: the catalog, as each principal may see it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use tandem_app::catalog::{ServiceInput, ServiceQuery, ServiceView};
use tandem_domain::ServiceId;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, IfMatch, Path, Query};
use crate::state::AppState;

#[utoipa::path(get, path = "/services", tag = "catalog", params(ServiceQuery), responses((status = 200, body = Vec<ServiceView>)))]
pub async fn list_services(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Query(query): Query<ServiceQuery>,
) -> ApiResult<Json<Vec<ServiceView>>> {
    Ok(Json(state.app.list_services(&principal, query).await?))
}

#[utoipa::path(post, path = "/services", tag = "catalog", request_body = ServiceInput,
    responses((status = 201, body = ServiceView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_service(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<ServiceInput>,
) -> ApiResult<(StatusCode, Json<ServiceView>)> {
    Ok((StatusCode::CREATED, Json(state.app.create_service(&principal, input, crate::now()).await?)))
}

/// One service by id or slug.
#[utoipa::path(get, path = "/services/{service}", tag = "catalog", params(("service" = String, Path, description = "id or slug")),
    responses((status = 200, body = ServiceView), (status = 404, body = ErrorBody)))]
pub async fn show_service(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(service): Path<String>,
) -> ApiResult<Json<ServiceView>> {
    Ok(Json(state.app.get_service(&principal, &service).await?))
}

#[utoipa::path(put, path = "/services/{service}", tag = "catalog",
    params(("service" = String, Path, description = "id or slug"), ("If-Match" = String, Header)), request_body = ServiceInput,
    responses((status = 200, body = ServiceView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_service(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(service): Path<String>,
    IfMatch(version): IfMatch,
    ApiJson(input): ApiJson<ServiceInput>,
) -> ApiResult<Json<ServiceView>> {
    let id = match service.parse::<i64>() {
        Ok(id) => ServiceId(id),
        Err(_) => state.app.get_service(&principal, &service).await.map_err(ApiError::from)?.id,
    };
    Ok(Json(state.app.update_service(&principal, id, version, input, crate::now()).await?))
}
