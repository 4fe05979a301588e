//! Browser sessions: the session token (the same kind the API's sign-in issues) lives in an
//! HttpOnly, Secure, SameSite=Lax cookie, and every form posts a CSRF token derived from it.
//!
//! The CSRF token is a hash of the session token: only a page served to the session's own browser
//! can know it, the server keeps no state for it, and it dies with the session. Cross-site posts
//! are also refused by their `Sec-Fetch-Site` / `Origin` headers where the browser sends them.

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, FromRequestParts, OptionalFromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use tandem_app::Principal;

use super::error::UiError;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "tandem_session";

/// The signed-in person of a page request, with their session's CSRF token.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub principal: Principal,
    pub token: String,
    pub csrf: String,
}

/// The CSRF token of a session.
pub fn csrf_token(session_token: &str) -> String {
    let digest = Sha256::digest(format!("tandem-csrf:{session_token}").as_bytes());
    digest.iter().take(20).map(|byte| format!("{byte:02x}")).collect()
}

/// The session cookie for a new session token.
pub fn session_cookie(token: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token)).http_only(true).secure(true).same_site(SameSite::Lax).path("/").build()
}

/// The cookie that removes the session cookie.
pub fn cleared_cookie() -> Cookie<'static> {
    let mut cookie = session_cookie(String::new());
    cookie.make_removal();
    cookie
}

async fn viewer_from(parts: &mut Parts, state: &AppState) -> Result<Option<Viewer>, UiError> {
    let jar = CookieJar::from_headers(&parts.headers);
    let Some(token) = jar.get(SESSION_COOKIE).map(|cookie| cookie.value().to_owned()) else { return Ok(None) };
    match state.app.principal(&token, crate::now()).await {
        Ok(principal) => Ok(Some(Viewer { principal, csrf: csrf_token(&token), token })),
        Err(tandem_app::AppError::Unauthorized(_)) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer
where
    AppState: FromRef<S>,
{
    type Rejection = UiError;

    /// Pages that need a person send everyone else to sign in, and back here afterwards.
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let next = parts.uri.path_and_query().map(|path| path.as_str().to_owned()).unwrap_or_else(|| "/".to_owned());
        viewer_from(parts, &state).await?.ok_or(UiError::SignIn { next })
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for Viewer
where
    AppState: FromRef<S>,
{
    type Rejection = UiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Option<Self>, Self::Rejection> {
        viewer_from(parts, &AppState::from_ref(state)).await
    }
}

/// A form post from a signed-in person's own pages: the CSRF token checked, then the fields
/// parsed (unknown fields ignored, so every form can carry `_csrf`).
pub struct VerifiedForm<T> {
    pub viewer: Viewer,
    pub form: T,
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for VerifiedForm<T>
where
    AppState: FromRef<S>,
{
    type Rejection = UiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        refuse_cross_site(&parts.headers)?;
        let viewer = <Viewer as FromRequestParts<S>>::from_request_parts(&mut parts, state).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| UiError::BadRequest("the form could not be read".into()))?;
        let sent: CsrfField = serde_urlencoded::from_bytes(&bytes).unwrap_or(CsrfField { csrf: String::new() });
        check_csrf(&viewer, &sent.csrf)?;
        let form = serde_urlencoded::from_bytes(&bytes)
            .map_err(|error| UiError::BadRequest(format!("the form could not be read: {error}")))?;
        Ok(VerifiedForm { viewer, form })
    }
}

/// Refuses a form whose CSRF token is not the session's.
pub fn check_csrf(viewer: &Viewer, sent: &str) -> Result<(), UiError> {
    if sent.is_empty() || sent != viewer.csrf {
        return Err(UiError::Forbidden(
            "This form has expired or did not come from Tandem. Reload the page and try again.".into(),
        ));
    }
    Ok(())
}

/// Refuses a post the browser says came from another site.
pub fn refuse_cross_site(headers: &HeaderMap) -> Result<(), UiError> {
    let fetch_site = headers.get("sec-fetch-site").and_then(|value| value.to_str().ok());
    if fetch_site == Some("cross-site") {
        return Err(UiError::Forbidden("Forms can only be sent from Tandem's own pages.".into()));
    }
    let origin = headers.get(header::ORIGIN).and_then(|value| value.to_str().ok());
    let host = headers.get(header::HOST).and_then(|value| value.to_str().ok());
    if let (Some(origin), Some(host)) = (origin, host) {
        let origin_host = origin.split("://").nth(1).unwrap_or(origin);
        if origin != "null" && origin_host != host {
            return Err(UiError::Forbidden("Forms can only be sent from Tandem's own pages.".into()));
        }
    }
    Ok(())
}
