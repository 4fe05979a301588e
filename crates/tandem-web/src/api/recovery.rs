//! Service recovery: make-goods on a ticket (with Tandem's suggestion), their moves, each team's
//! monthly budget and the spent-against-budget report. A make-good the caller may not see answers
//! 404; a move they may not make on one they see, 403; a move its state does not allow, 409.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use tandem_app::Page;
use tandem_app::recovery::{
    BudgetInput, BudgetOut, BudgetReport, MakeGoodOut, MakeGoodQuery, MoveInput, OfferInput, TicketMakeGoods,
};
use tandem_domain::{MakeGoodId, TeamId, TicketId};

use super::PageParams;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, Path, Query};
use crate::state::AppState;

/// The ticket's make-goods the caller may see; for its agents, Tandem's suggestion after a bad
/// experience (CSAT ≤ 2, a breached target, an incident) while none is in play.
#[utoipa::path(get, path = "/tickets/{id}/make-goods", tag = "recovery", params(("id" = i64, Path)),
    responses((status = 200, body = TicketMakeGoods), (status = 404, body = ErrorBody)))]
pub async fn ticket_make_goods(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<Json<TicketMakeGoods>> {
    Ok(Json(state.app.ticket_make_goods(&principal, TicketId(id), crate::now()).await?))
}

/// Offer the requester a make-good (agents of the ticket's team). Above the team's approval limit
/// it waits for a lead (`pending_approval`); beyond what is left of the month's budget it is
/// refused (409 `over_budget`, or `no_budget`); one make-good in play per ticket (409 `make_good_open`).
#[utoipa::path(post, path = "/tickets/{id}/make-goods", tag = "recovery", params(("id" = i64, Path)),
    request_body = OfferInput,
    responses((status = 201, body = MakeGoodOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn offer_make_good(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<OfferInput>,
) -> ApiResult<(StatusCode, Json<MakeGoodOut>)> {
    let offered = state.app.offer_make_good(&principal, TicketId(id), input, crate::now()).await?;
    Ok((StatusCode::CREATED, Json(offered)))
}

/// Make-goods newest first: a customer's own, a staff member's teams', every one for admins.
#[utoipa::path(get, path = "/make-goods", tag = "recovery", params(MakeGoodQuery, PageParams),
    responses((status = 200, body = Page<MakeGoodOut>), (status = 422, body = ErrorBody)))]
pub async fn list_make_goods(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Query(query): Query<MakeGoodQuery>,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<Page<MakeGoodOut>>> {
    Ok(Json(state.app.list_make_goods(&principal, query, page.into()).await?))
}

#[utoipa::path(get, path = "/make-goods/{id}", tag = "recovery", params(("id" = i64, Path)),
    responses((status = 200, body = MakeGoodOut), (status = 404, body = ErrorBody)))]
pub async fn show_make_good(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<Json<MakeGoodOut>> {
    Ok(Json(state.app.get_make_good(&principal, MakeGoodId(id)).await?))
}

/// Move a make-good: `approve`/`reject` (a lead of its team, or an admin), `accept`/`decline`
/// (the customer it was offered to), `redeem`/`withdraw` (the ticket's agents).
#[utoipa::path(post, path = "/make-goods/{id}/actions", tag = "recovery", params(("id" = i64, Path)),
    request_body = MoveInput,
    responses((status = 200, body = MakeGoodOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_make_good(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<MoveInput>,
) -> ApiResult<Json<MakeGoodOut>> {
    Ok(Json(state.app.move_make_good(&principal, MakeGoodId(id), input, crate::now()).await?))
}

/// Set a team's make-good budget and approval limit for a month (`YYYY-MM`): its leads and admins.
#[utoipa::path(put, path = "/teams/{id}/make-good-budgets/{period}", tag = "recovery",
    params(("id" = i64, Path), ("period" = String, Path)), request_body = BudgetInput,
    responses((status = 200, body = BudgetOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn put_budget(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path((id, period)): Path<(i64, String)>,
    ApiJson(input): ApiJson<BudgetInput>,
) -> ApiResult<Json<BudgetOut>> {
    Ok(Json(state.app.put_make_good_budget(&principal, TeamId(id), &period, input, crate::now()).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct BudgetParams {
    /// The month, `YYYY-MM` (default: this month).
    pub period: Option<String>,
}

/// Spent against budget per team for a month (staff: their teams; admins: every team).
#[utoipa::path(get, path = "/reports/make-goods", tag = "recovery", params(BudgetParams),
    responses((status = 200, body = BudgetReport), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn budget_report(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Query(params): Query<BudgetParams>,
) -> ApiResult<Json<BudgetReport>> {
    Ok(Json(state.app.make_good_budgets(&principal, params.period.as_deref(), crate::now()).await?))
}
