//! Signing in with a password (a session token), signing out, and `me`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use tandem_app::AppError;
use tandem_app::auth::{LoginRequest, Session};
use tandem_app::directory::people::MeView;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, Auth, BearerToken, ClientIp};
use crate::state::AppState;

/// Sign in with email and password; returns a bearer token that expires in 12 hours.
#[utoipa::path(post, path = "/sessions", tag = "sessions", security(()), request_body = LoginRequest,
    responses((status = 201, body = Session), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(request): ApiJson<LoginRequest>,
) -> ApiResult<(StatusCode, Json<Session>)> {
    if state.login_limiter.check_key(&client).is_err() {
        return Err(AppError::RateLimited.into());
    }
    if state.login_limiter.len() > 100_000 {
        state.login_limiter.retain_recent();
    }
    let session = state.app.login(request, crate::now()).await?;
    Ok((StatusCode::CREATED, Json(session)))
}

/// Sign out: revokes the token this request carries.
#[utoipa::path(delete, path = "/sessions/current", tag = "sessions", responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    _auth: Auth,
    BearerToken(token): BearerToken,
) -> ApiResult<StatusCode> {
    state.app.logout(&token, crate::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who the token belongs to, and which teams they work in.
#[utoipa::path(get, path = "/me", tag = "sessions", responses((status = 200, body = MeView), (status = 401, body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, Auth(principal): Auth) -> ApiResult<Json<MeView>> {
    Ok(Json(state.app.me(&principal).await?))
}
