//! `/routing-rules`: the ordered rules that route new tickets (admins write, staff read).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use tandem_app::routing::{RuleInput, RuleView};
use tandem_domain::RuleId;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, IfMatch, Path};
use crate::state::AppState;

#[utoipa::path(get, path = "/routing-rules", tag = "routing", responses((status = 200, body = Vec<RuleView>), (status = 404, body = ErrorBody)))]
pub async fn list_rules(State(state): State<AppState>, Auth(principal): Auth) -> ApiResult<Json<Vec<RuleView>>> {
    Ok(Json(state.app.list_rules(&principal).await?))
}

#[utoipa::path(post, path = "/routing-rules", tag = "routing", request_body = RuleInput,
    responses((status = 201, body = RuleView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_rule(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<RuleInput>,
) -> ApiResult<(StatusCode, Json<RuleView>)> {
    Ok((StatusCode::CREATED, Json(state.app.create_rule(&principal, input, crate::now()).await?)))
}

#[utoipa::path(put, path = "/routing-rules/{id}", tag = "routing", params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = RuleInput,
    responses((status = 200, body = RuleView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_rule(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    ApiJson(input): ApiJson<RuleInput>,
) -> ApiResult<Json<RuleView>> {
    Ok(Json(state.app.update_rule(&principal, RuleId(id), version, input, crate::now()).await?))
}

#[utoipa::path(delete, path = "/routing-rules/{id}", tag = "routing", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_rule(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    state.app.delete_rule(&principal, RuleId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
