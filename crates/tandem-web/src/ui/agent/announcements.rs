//! `GET /agent/announcements`: every announcement for admins and team leads, drafts and withdrawn
//! ones too, with its status and read receipts (counts only). Everyone else is refused like the
//! API refuses them: an employee with 403, an external customer with 404.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tandem_app::PageRequest;
use tandem_app::announcements::{AnnouncementQuery, AnnouncementScope, AnnouncementView};
use tandem_domain::announcement::may_announce;
use tandem_domain::{AnnouncementStatus, PersonKind};

use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::Viewer;
use crate::ui::{UiError, html};

/// Announcements the list shows (the newest; the API pages through the rest).
const LISTED: u32 = 100;

#[derive(Template)]
#[template(path = "agent_announcements.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
}

struct Row {
    announcement: AnnouncementView,
    status: &'static str,
    audience: String,
    /// "3 of 12".
    receipts: String,
}

pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    require_writer(&viewer)?;
    let query = AnnouncementQuery { scope: Some(AnnouncementScope::All) };
    let page = PageRequest { limit: Some(LISTED), cursor: None };
    let announcements = state.app.list_announcements(&viewer.principal, query, page, crate::now()).await?.items;
    let rows = announcements.into_iter().map(row).collect();
    Ok(html(&ListPage { layout: Layout::for_viewer(&viewer, "announcements"), rows }))
}

fn row(announcement: AnnouncementView) -> Row {
    let receipts = announcement
        .receipts
        .map(|receipts| format!("{} of {}", receipts.read, receipts.recipients))
        .unwrap_or_default();
    Row { status: status_label(announcement.status), audience: audience_label(&announcement), receipts, announcement }
}

pub(super) fn status_label(status: AnnouncementStatus) -> &'static str {
    match status {
        AnnouncementStatus::Draft => "Draft",
        AnnouncementStatus::Published => "Published",
        AnnouncementStatus::Expired => "Expired",
        AnnouncementStatus::Withdrawn => "Withdrawn",
    }
}

pub(super) fn audience_label(announcement: &AnnouncementView) -> String {
    match &announcement.audience.department {
        Some(department) => department.name.clone(),
        None => "All employees".to_owned(),
    }
}

/// Admins and team leads write announcements; an employee may not (403), to anyone else the
/// pages do not exist.
pub(super) fn require_writer(viewer: &Viewer) -> Result<(), UiError> {
    let principal = &viewer.principal;
    if may_announce(principal) {
        Ok(())
    } else if principal.kind == PersonKind::Employee {
        Err(UiError::Forbidden("only admins and team leads write announcements".into()))
    } else {
        Err(UiError::NotFound)
    }
}
