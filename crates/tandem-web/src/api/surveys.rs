//! `/surveys`: NPS and pulse surveys (admins write and send; admins and leads read and see
//! results; anyone else gets 404), and `/survey-links/{token}`: the question set behind a signed
//! link and its answers, with no sign-in (the token is the credential).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use tandem_app::Page;
use tandem_app::surveys::{
    AnswersInput, ResultsQuery, RoundView, SurveyDetail, SurveyInput, SurveyLinkView, SurveyResults, SurveyView,
};
use tandem_domain::SurveyId;

use super::PageParams;
use super::tickets::etag;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, IfMatch, Path, Query};
use crate::state::AppState;

/// Surveys, newest first, by cursor.
#[utoipa::path(get, path = "/surveys", tag = "surveys", params(PageParams),
    responses((status = 200, body = Page<SurveyView>), (status = 404, body = ErrorBody)))]
pub async fn list_surveys(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<Page<SurveyView>>> {
    Ok(Json(state.app.list_surveys(&principal, page.into()).await?))
}

/// Define a survey (admins): its questions, audience, schedule, anonymity and minimum group size.
#[utoipa::path(post, path = "/surveys", tag = "surveys", request_body = SurveyInput,
    responses((status = 201, body = SurveyView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_survey(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<SurveyInput>,
) -> ApiResult<(StatusCode, HeaderMap, Json<SurveyView>)> {
    let survey = state.app.create_survey(&principal, input, crate::now()).await?;
    Ok((StatusCode::CREATED, etag(survey.version), Json(survey)))
}

/// One survey with its rounds, the latest first.
#[utoipa::path(get, path = "/surveys/{id}", tag = "surveys", params(("id" = i64, Path)),
    responses((status = 200, body = SurveyDetail), (status = 404, body = ErrorBody)))]
pub async fn show_survey(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<(HeaderMap, Json<SurveyDetail>)> {
    let detail = state.app.get_survey(&principal, SurveyId(id)).await?;
    Ok((etag(detail.survey.version), Json(detail)))
}

/// Rewrite a survey (admins). `If-Match` must carry the version you read. Rounds already sent
/// keep the questions they were sent with.
#[utoipa::path(put, path = "/surveys/{id}", tag = "surveys", params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = SurveyInput,
    responses((status = 200, body = SurveyView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_survey(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    ApiJson(input): ApiJson<SurveyInput>,
) -> ApiResult<(HeaderMap, Json<SurveyView>)> {
    let survey = state.app.update_survey(&principal, SurveyId(id), version, input, crate::now()).await?;
    Ok((etag(survey.version), Json(survey)))
}

/// Send a new round now (admins): each person of the audience gets it once, by background jobs.
#[utoipa::path(post, path = "/surveys/{id}/send", tag = "surveys", params(("id" = i64, Path)),
    responses((status = 201, body = RoundView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn send_survey(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<RoundView>)> {
    Ok((StatusCode::CREATED, Json(state.app.send_survey_now(&principal, SurveyId(id), crate::now()).await?)))
}

/// A round's results (admins and leads): (e)NPS, distributions, averages and text answers, per
/// department for employees; a group below the minimum size shows only `not_enough_answers`.
#[utoipa::path(get, path = "/surveys/{id}/results", tag = "surveys", params(("id" = i64, Path), ResultsQuery),
    responses((status = 200, body = SurveyResults), (status = 404, body = ErrorBody)))]
pub async fn survey_results(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    Query(query): Query<ResultsQuery>,
) -> ApiResult<Json<SurveyResults>> {
    Ok(Json(state.app.survey_results(&principal, SurveyId(id), query).await?))
}

/// The questions behind a signed survey or rating link, with the answers it gave so far. No
/// sign-in: the token is the credential. Unknown or tampered: 404; closed: 409 `survey_closed`.
#[utoipa::path(get, path = "/survey-links/{token}", tag = "surveys", security(()), params(("token" = String, Path)),
    responses((status = 200, body = SurveyLinkView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn show_survey_link(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Json<SurveyLinkView>> {
    Ok(Json(state.app.survey_link(&token, crate::now()).await?))
}

/// Answer through a signed link; answering again replaces the earlier answers.
#[utoipa::path(post, path = "/survey-links/{token}", tag = "surveys", security(()), params(("token" = String, Path)),
    request_body = AnswersInput,
    responses((status = 200, body = SurveyLinkView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn answer_survey_link(
    State(state): State<AppState>,
    Path(token): Path<String>,
    ApiJson(input): ApiJson<AnswersInput>,
) -> ApiResult<Json<SurveyLinkView>> {
    Ok(Json(state.app.answer_survey_link(&token, input, crate::now()).await?))
}
