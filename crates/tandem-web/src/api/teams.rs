//! `/teams`: the tree of teams and departments, and team members.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use tandem_app::directory::teams::{MemberInput, MemberView, TeamInput, TeamView};
use tandem_domain::{PersonId, TeamId};

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, Path};
use crate::state::AppState;

#[utoipa::path(get, path = "/teams", tag = "directory", responses((status = 200, body = Vec<TeamView>), (status = 404, body = ErrorBody)))]
pub async fn list_teams(State(state): State<AppState>, Auth(principal): Auth) -> ApiResult<Json<Vec<TeamView>>> {
    Ok(Json(state.app.list_teams(&principal).await?))
}

#[utoipa::path(post, path = "/teams", tag = "directory", request_body = TeamInput,
    responses((status = 201, body = TeamView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_team(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<TeamInput>,
) -> ApiResult<(StatusCode, Json<TeamView>)> {
    Ok((StatusCode::CREATED, Json(state.app.create_team(&principal, input, crate::now()).await?)))
}

#[utoipa::path(get, path = "/teams/{id}", tag = "directory", params(("id" = i64, Path)),
    responses((status = 200, body = TeamView), (status = 404, body = ErrorBody)))]
pub async fn show_team(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<Json<TeamView>> {
    Ok(Json(state.app.get_team(&principal, TeamId(id)).await?))
}

#[utoipa::path(put, path = "/teams/{id}", tag = "directory", params(("id" = i64, Path)), request_body = TeamInput,
    responses((status = 200, body = TeamView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_team(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<TeamInput>,
) -> ApiResult<Json<TeamView>> {
    Ok(Json(state.app.update_team(&principal, TeamId(id), input, crate::now()).await?))
}

#[utoipa::path(get, path = "/teams/{id}/members", tag = "directory", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MemberView>), (status = 404, body = ErrorBody)))]
pub async fn list_members(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<MemberView>>> {
    Ok(Json(state.app.list_members(&principal, TeamId(id)).await?))
}

#[utoipa::path(put, path = "/teams/{id}/members/{person_id}", tag = "directory",
    params(("id" = i64, Path), ("person_id" = i64, Path)), request_body = MemberInput,
    responses((status = 200, body = MemberView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_member(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path((team, person)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<MemberInput>,
) -> ApiResult<Json<MemberView>> {
    Ok(Json(state.app.put_member(&principal, TeamId(team), PersonId(person), input).await?))
}

#[utoipa::path(delete, path = "/teams/{id}/members/{person_id}", tag = "directory",
    params(("id" = i64, Path), ("person_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_member(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path((team, person)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state.app.remove_member(&principal, TeamId(team), PersonId(person)).await?;
    Ok(StatusCode::NO_CONTENT)
}
