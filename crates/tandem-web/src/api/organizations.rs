//! `/organizations`: customer organizations (staff only).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use tandem_app::Page;
use tandem_app::directory::organizations::{OrganizationInput, OrganizationView};
use tandem_domain::OrganizationId;

use super::PageParams;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, Path, Query};
use crate::state::AppState;

#[utoipa::path(get, path = "/organizations", tag = "directory", params(PageParams),
    responses((status = 200, body = Page<OrganizationView>), (status = 404, body = ErrorBody)))]
pub async fn list_organizations(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<Page<OrganizationView>>> {
    Ok(Json(state.app.list_organizations(&principal, page.into()).await?))
}

#[utoipa::path(post, path = "/organizations", tag = "directory", request_body = OrganizationInput,
    responses((status = 201, body = OrganizationView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_organization(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<OrganizationInput>,
) -> ApiResult<(StatusCode, Json<OrganizationView>)> {
    Ok((StatusCode::CREATED, Json(state.app.create_organization(&principal, input, crate::now()).await?)))
}

#[utoipa::path(get, path = "/organizations/{id}", tag = "directory", params(("id" = i64, Path)),
    responses((status = 200, body = OrganizationView), (status = 404, body = ErrorBody)))]
pub async fn show_organization(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<Json<OrganizationView>> {
    Ok(Json(state.app.get_organization(&principal, OrganizationId(id)).await?))
}

#[utoipa::path(put, path = "/organizations/{id}", tag = "directory", params(("id" = i64, Path)), request_body = OrganizationInput,
    responses((status = 200, body = OrganizationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_organization(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<OrganizationInput>,
) -> ApiResult<Json<OrganizationView>> {
    Ok(Json(state.app.update_organization(&principal, OrganizationId(id), input, crate::now()).await?))
}
