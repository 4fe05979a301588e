//! Feedback: a requester rates their solved ticket; staff read the weakest-link report.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use tandem_app::feedback::{RatingInput, SatisfactionOut, WeakestLinks};
use tandem_domain::TicketId;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, Path, Query};
use crate::state::AppState;

/// Rate a solved ticket 1–5 with a comment, as its requester (or the person it was for). One
/// answer per ticket: rating again within 30 days of the solve replaces it.
#[utoipa::path(put, path = "/tickets/{id}/satisfaction", tag = "feedback", params(("id" = i64, Path)),
    request_body = RatingInput,
    responses((status = 200, body = SatisfactionOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rate_ticket(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<RatingInput>,
) -> ApiResult<Json<SatisfactionOut>> {
    Ok(Json(state.app.rate_ticket(&principal, TicketId(id), input, crate::now()).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ReportParams {
    /// How many days back the report looks (default 90).
    pub days: Option<i64>,
}

/// The weakest-link report (staff): per team that served external tickets through the chain, how
/// long those tickets waited on it and how their customers rated them against all external ratings.
#[utoipa::path(get, path = "/reports/weakest-links", tag = "feedback", params(ReportParams),
    responses((status = 200, body = WeakestLinks), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn weakest_links(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Query(params): Query<ReportParams>,
) -> ApiResult<Json<WeakestLinks>> {
    Ok(Json(state.app.weakest_links(&principal, params.days.unwrap_or(90), crate::now()).await?))
}
