//! Feedback routing: `/feedback-topics` (everyone signed in lists the topics offered to them; only
//! staff see owners and routing; admins write them) and `/feedback` (send feedback on a topic).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use tandem_app::feedback::{FeedbackInput, FeedbackOut, TopicInput, TopicView};
use tandem_domain::FeedbackTopicId;

use super::tickets::etag;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, IfMatch, Path};
use crate::state::AppState;

/// The topics you may tag feedback with, by name; staff also get each topic's owning teams and
/// how each receives its feedback.
#[utoipa::path(get, path = "/feedback-topics", tag = "feedback",
    responses((status = 200, body = Vec<TopicView>), (status = 401, body = ErrorBody)))]
pub async fn list_topics(State(state): State<AppState>, Auth(principal): Auth) -> ApiResult<Json<Vec<TopicView>>> {
    Ok(Json(state.app.list_topics(&principal).await?))
}

/// Add a topic with its owning teams (admins).
#[utoipa::path(post, path = "/feedback-topics", tag = "feedback", request_body = TopicInput,
    responses((status = 201, body = TopicView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_topic(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<TopicInput>,
) -> ApiResult<(StatusCode, HeaderMap, Json<TopicView>)> {
    let topic = state.app.create_topic(&principal, input, crate::now()).await?;
    Ok((StatusCode::CREATED, etag(topic.version), Json(topic)))
}

/// Rewrite a topic and its owners (admins). `If-Match` must carry the version you read.
#[utoipa::path(put, path = "/feedback-topics/{id}", tag = "feedback", params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = TopicInput,
    responses((status = 200, body = TopicView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_topic(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    ApiJson(input): ApiJson<TopicInput>,
) -> ApiResult<(HeaderMap, Json<TopicView>)> {
    let topic = state.app.update_topic(&principal, FeedbackTopicId(id), version, input, crate::now()).await?;
    Ok((etag(topic.version), Json(topic)))
}

/// Send feedback on a topic offered to you (customers and employees alike). It reaches the teams
/// that own the topic, as a ticket or in their daily digest; staff are told which.
#[utoipa::path(post, path = "/feedback", tag = "feedback", request_body = FeedbackInput,
    responses((status = 201, body = FeedbackOut), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn send_feedback(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<FeedbackInput>,
) -> ApiResult<(StatusCode, Json<FeedbackOut>)> {
    Ok((StatusCode::CREATED, Json(state.app.send_feedback(&principal, input, crate::now()).await?)))
}
