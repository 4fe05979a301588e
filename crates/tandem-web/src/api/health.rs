//! `GET /healthz`: 200 when the database answers, 503 when it does not.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::state::AppState;

pub async fn healthz(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    state.app.health().await?;
    Ok(Json(json!({ "status": "ok" })))
}
