//! The portal, one portal with two faces: external customers see the help centre and the services
//! offered to them; employees see the employee portal with internal services and offers.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use tandem_app::catalog::{ServiceQuery, ServiceView};

use super::layout::Layout;
use super::session::Viewer;
use super::{UiError, html};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/portal", get(home))
}

#[derive(Template)]
#[template(path = "portal_home.html")]
struct HomePage {
    layout: Layout,
    services: Vec<ServiceView>,
}

/// The services the viewer may request, as they would ask for them (staff see the employee face).
async fn home(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    let services = state.app.list_services(&customer_face(&viewer), ServiceQuery::default()).await?;
    Ok(html(&HomePage { layout: Layout::for_viewer(&viewer, "portal"), services }))
}

/// The viewer as a requester: an agent visiting the portal sees what they themselves may request,
/// not the whole catalog they manage.
pub(super) fn customer_face(viewer: &Viewer) -> tandem_app::Principal {
    let mut principal = viewer.principal.clone();
    principal.memberships.clear();
    principal.is_admin = false;
    principal
}
