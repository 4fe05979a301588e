//! Referral links: `/portal/refer` shows the viewer their code and link; the link
//! (`/portal/join?ref=CODE`) lists the services with the code carried along, and the request sent
//! from one of them records the referral with it (only a first request counts).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use tandem_app::catalog::{ServiceQuery, ServiceView};
use tandem_app::{App, Principal};

use super::customer_face;
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::Viewer;
use crate::ui::{UiError, html};

/// `?ref=CODE` on the join page and a service's form.
#[derive(Debug, Default, Deserialize)]
pub(super) struct RefQuery {
    #[serde(default, rename = "ref")]
    code: String,
}

impl RefQuery {
    /// The code, if it looks like one (letters and digits, as codes are made).
    pub fn code(&self) -> String {
        let code = self.code.trim();
        let plausible = !code.is_empty() && code.len() <= 32 && code.bytes().all(|byte| byte.is_ascii_alphanumeric());
        if plausible { code.to_uppercase() } else { String::new() }
    }
}

/// Records the referral of a request sent with a code. The request went through either way: a
/// code that names nobody, or a requester already referred, changes nothing and is only logged.
pub(super) async fn claim_with_request(app: &App, face: &Principal, code: &str) {
    if code.is_empty() {
        return;
    }
    if let Err(error) = app.claim_referral(face, code, crate::now()).await {
        tracing::info!(error = %error, "referral code not recorded");
    }
}

#[derive(Template)]
#[template(path = "portal_refer.html")]
struct ReferPage {
    layout: Layout,
    code: String,
    path: String,
    referred: i64,
}

/// `GET /portal/refer`.
pub(super) async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    let code = state.app.referral_code(&customer_face(&viewer), crate::now()).await?;
    let page = ReferPage {
        layout: Layout::for_viewer(&viewer, "portal"),
        code: code.code,
        path: code.path,
        referred: code.referred,
    };
    Ok(html(&page))
}

#[derive(Template)]
#[template(path = "portal_join.html")]
struct JoinPage {
    layout: Layout,
    code: String,
    services: Vec<ServiceView>,
}

/// `GET /portal/join?ref=CODE`: the services, each link carrying the code.
pub(super) async fn join(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(referral): Query<RefQuery>,
) -> Result<Response, UiError> {
    let services = state.app.list_services(&customer_face(&viewer), ServiceQuery::default()).await?;
    let page = JoinPage { layout: Layout::for_viewer(&viewer, "portal"), code: referral.code(), services };
    Ok(html(&page))
}
