//! `/people`: employees and external contacts (staff only).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use tandem_app::Page;
use tandem_app::directory::people::{NewPerson, PersonChanges, PersonQuery, PersonView};
use tandem_domain::PersonId;

use super::PageParams;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, IfMatch, Path, Query};
use crate::state::AppState;

#[utoipa::path(get, path = "/people", tag = "directory", params(PersonQuery, PageParams),
    responses((status = 200, body = Page<PersonView>), (status = 404, body = ErrorBody)))]
pub async fn list_people(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Query(query): Query<PersonQuery>,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<Page<PersonView>>> {
    Ok(Json(state.app.list_people(&principal, query, page.into()).await?))
}

#[utoipa::path(post, path = "/people", tag = "directory", request_body = NewPerson,
    responses((status = 201, body = PersonView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_person(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(new): ApiJson<NewPerson>,
) -> ApiResult<(StatusCode, Json<PersonView>)> {
    Ok((StatusCode::CREATED, Json(state.app.create_person(&principal, new, crate::now()).await?)))
}

#[utoipa::path(get, path = "/people/{id}", tag = "directory", params(("id" = i64, Path)),
    responses((status = 200, body = PersonView), (status = 404, body = ErrorBody)))]
pub async fn show_person(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<Json<PersonView>> {
    Ok(Json(state.app.get_person(&principal, PersonId(id)).await?))
}

#[utoipa::path(patch, path = "/people/{id}", tag = "directory", params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = PersonChanges,
    responses((status = 200, body = PersonView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_person(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    ApiJson(changes): ApiJson<PersonChanges>,
) -> ApiResult<Json<PersonView>> {
    Ok(Json(state.app.update_person(&principal, PersonId(id), version, changes, crate::now()).await?))
}
