//! `/jobs`: the background job queue as admins see it: parked jobs, and putting one back.

use axum::Json;
use axum::extract::State;
use tandem_app::Page;
use tandem_app::jobs::JobView;

use super::PageParams;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Path, Query};
use crate::state::AppState;

#[utoipa::path(get, path = "/jobs/parked", tag = "jobs", params(PageParams),
    responses((status = 200, body = Page<JobView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_parked_jobs(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<Page<JobView>>> {
    Ok(Json(state.app.list_parked_jobs(&principal, page.into()).await?))
}

#[utoipa::path(post, path = "/jobs/{id}/retry", tag = "jobs", params(("id" = i64, Path)),
    responses((status = 200, body = JobView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn retry_job(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<Json<JobView>> {
    Ok(Json(state.app.retry_job(&principal, id, crate::now()).await?))
}
