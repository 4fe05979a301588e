//! Signing in with email and password (a session cookie), and signing out.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;
use tandem_app::AppError;
use tandem_app::auth::LoginRequest;

use super::layout::Layout;
use super::session::{VerifiedForm, Viewer, cleared_cookie, refuse_cross_site, session_cookie};
use super::{UiError, html};
use crate::extract::ClientIp;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    layout: Layout,
    error: Option<String>,
    email: String,
    next: String,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SigninForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

pub async fn show(viewer: Option<Viewer>, Query(query): Query<NextQuery>) -> Response {
    let next = safe_next(query.next.as_deref().unwrap_or("/")).to_owned();
    if viewer.is_some() {
        return Redirect::to(&next).into_response();
    }
    html(&SigninPage { layout: Layout::anonymous(), error: None, email: String::new(), next })
}

pub async fn submit(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<SigninForm>,
) -> Result<Response, UiError> {
    refuse_cross_site(&headers)?;
    let next = safe_next(&form.next).to_owned();
    let refuse = |message: &str| {
        let page = SigninPage {
            layout: Layout::anonymous(),
            error: Some(message.into()),
            email: form.email.clone(),
            next: next.clone(),
        };
        (StatusCode::UNAUTHORIZED, html(&page)).into_response()
    };
    if state.login_limiter.check_key(&client).is_err() {
        return Ok(refuse("Too many attempts. Wait a minute and try again."));
    }
    let request = LoginRequest { email: form.email.clone(), password: form.password.clone() };
    match state.app.login(request, crate::now()).await {
        Ok(session) => Ok((jar.add(session_cookie(session.token)), Redirect::to(&next)).into_response()),
        Err(AppError::Unauthorized(_)) => Ok(refuse("That email and password do not match. Check both and try again.")),
        Err(AppError::RateLimited) => Ok(refuse("Too many failed attempts for this account. Try again in 15 minutes.")),
        Err(error) => Err(error.into()),
    }
}

pub async fn sign_out(
    State(state): State<AppState>,
    jar: CookieJar,
    signed: VerifiedForm<Empty>,
) -> Result<Response, UiError> {
    state.app.logout(&signed.viewer.token, crate::now()).await?;
    Ok((jar.add(cleared_cookie()), Redirect::to("/signin")).into_response())
}

/// Only a path on this site may follow sign-in (never another host: no open redirect).
fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && !next.contains("://");
    if local { next } else { "/" }
}

/// Percent-encodes a path for the `next` query parameter.
pub fn encode_next(next: &str) -> String {
    next.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
                (byte as char).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}
