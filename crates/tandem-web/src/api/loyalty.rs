//! Loyalty: a person's profile (staff), referrals (recorded by staff, or claimed through a
//! referral code), purchases (admins: one at a time or a CSV import), and the detractors list
//! leads work. To a customer, profiles and detractors answer 404 like missing things.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tandem_app::loyalty::{
    DetractorOut, ImportOutcome, ProfileOut, PurchaseInput, ReferralCode, ReferralInput, ReferralOut, WorkedInput,
    WorkedOut,
};
use tandem_domain::PersonId;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, CsvText, Path};
use crate::state::AppState;

/// A person's profile: their tickets across channels, satisfaction by month, make-goods,
/// referrals and purchases (staff only).
#[utoipa::path(get, path = "/people/{id}/profile", tag = "loyalty", params(("id" = i64, Path)),
    responses((status = 200, body = ProfileOut), (status = 404, body = ErrorBody)))]
pub async fn show_profile(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<Json<ProfileOut>> {
    Ok(Json(state.app.person_profile(&principal, PersonId(id), crate::now()).await?))
}

/// Record that one person referred another (staff). A person is referred once (409 `already_referred`).
#[utoipa::path(post, path = "/referrals", tag = "loyalty", request_body = ReferralInput,
    responses((status = 201, body = ReferralOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record_referral(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<ReferralInput>,
) -> ApiResult<(StatusCode, Json<ReferralOut>)> {
    Ok((StatusCode::CREATED, Json(state.app.record_referral(&principal, input, crate::now()).await?)))
}

/// Your own referral code and link (made the first time you ask).
#[utoipa::path(get, path = "/referral-code", tag = "loyalty", responses((status = 200, body = ReferralCode)))]
pub async fn referral_code(State(state): State<AppState>, Auth(principal): Auth) -> ApiResult<Json<ReferralCode>> {
    Ok(Json(state.app.referral_code(&principal, crate::now()).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimInput {
    pub code: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClaimOut {
    /// Whether the referral was recorded: not when you were referred before, referred yourself,
    /// or had asked for more than one request already.
    pub recorded: bool,
}

/// You came through someone's referral link: record it with your first request.
#[utoipa::path(post, path = "/referrals/claim", tag = "loyalty", request_body = ClaimInput,
    responses((status = 200, body = ClaimOut), (status = 422, body = ErrorBody)))]
pub async fn claim_referral(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<ClaimInput>,
) -> ApiResult<Json<ClaimOut>> {
    Ok(Json(ClaimOut { recorded: state.app.claim_referral(&principal, &input.code, crate::now()).await? }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PurchaseRecorded {
    /// False when the external reference was recorded before (nothing changed).
    pub recorded: bool,
}

/// Record a purchase (admins). 201 when recorded, 200 when its external reference was known.
#[utoipa::path(post, path = "/purchases", tag = "loyalty", request_body = PurchaseInput,
    responses((status = 201, body = PurchaseRecorded), (status = 200, body = PurchaseRecorded),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_purchase(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<PurchaseInput>,
) -> ApiResult<(StatusCode, Json<PurchaseRecorded>)> {
    let recorded = state.app.record_purchase(&principal, input, crate::now()).await?;
    let status = if recorded { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(PurchaseRecorded { recorded })))
}

/// Import purchases from CSV (admins), all or nothing: header
/// `email,external_ref,description,amount,currency,purchased_at`; a bad line is a 422 naming it.
#[utoipa::path(post, path = "/purchases/import", tag = "loyalty", request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportOutcome), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import_purchases(
    State(state): State<AppState>,
    Auth(principal): Auth,
    CsvText(text): CsvText,
) -> ApiResult<Json<ImportOutcome>> {
    Ok(Json(state.app.import_purchases(&principal, &text, crate::now()).await?))
}

/// People flagged for repeated low CSAT or a refused make-good in the last 90 days (leads and admins).
#[utoipa::path(get, path = "/detractors", tag = "loyalty",
    responses((status = 200, body = Vec<DetractorOut>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_detractors(
    State(state): State<AppState>,
    Auth(principal): Auth,
) -> ApiResult<Json<Vec<DetractorOut>>> {
    Ok(Json(state.app.detractors(&principal, crate::now()).await?))
}

/// Record that you worked a detractor, with a note (leads and admins).
#[utoipa::path(post, path = "/detractors/{id}/worked", tag = "loyalty", params(("id" = i64, Path)),
    request_body = WorkedInput,
    responses((status = 201, body = WorkedOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn work_detractor(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<WorkedInput>,
) -> ApiResult<(StatusCode, Json<WorkedOut>)> {
    Ok((StatusCode::CREATED, Json(state.app.work_detractor(&principal, PersonId(id), input, crate::now()).await?)))
}
