//! The web UI: server-rendered pages (askama templates in `templates/`) for the portal (customers
//! and employees), the agent console and the admin, with plain HTML forms that work without any
//! script; `assets/tandem.js` only adds keyboard shortcuts and small conveniences.
//!
//! Every page goes through the same `App` calls as the API, as the signed-in person, so the same
//! visibility rules apply; forms carry a CSRF token tied to the session (see `session.rs`).

mod admin;
mod agent;
mod assets;
mod error;
mod help;
mod help_reviews;
mod layout;
mod portal;
mod review_card;
mod session;
mod signin;
mod survey;

pub use error::UiError;
use session::Viewer;

use axum::Router;
use axum::response::Redirect;
use axum::routing::{get, post};

use crate::state::AppState;

/// Every page route.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/signin", get(signin::show).post(signin::submit))
        .route("/signout", post(signin::sign_out))
        .route("/assets/{file}", get(assets::serve))
        .merge(help::routes())
        .merge(help_reviews::routes())
        .merge(portal::routes())
        .merge(agent::routes())
        .merge(admin::routes())
        .merge(survey::routes())
}

/// The start page depends on who you are: staff work queues, everyone else the portal.
async fn home(viewer: Option<Viewer>) -> Redirect {
    match viewer {
        None => Redirect::to("/signin"),
        Some(viewer) if viewer.principal.is_staff() => Redirect::to("/agent"),
        Some(_) => Redirect::to("/portal"),
    }
}

/// The Content-Security-Policy of every page: our own styles and script only, forms and fetches
/// (article suggestions) only to us, never framed.
const PAGE_POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Renders a page with the page security policy.
pub(crate) fn html<T: askama::Template>(page: &T) -> axum::response::Response {
    use axum::response::IntoResponse;
    match page.render() {
        Ok(body) => {
            let mut response = axum::response::Html(body).into_response();
            let policy = axum::http::HeaderValue::from_static(PAGE_POLICY);
            response.headers_mut().insert(axum::http::header::CONTENT_SECURITY_POLICY, policy);
            response
        }
        Err(error) => error::render_failed(error),
    }
}
