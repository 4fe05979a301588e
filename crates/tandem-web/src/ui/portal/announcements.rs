//! Announcements on the employee portal: the current ones on the home page (unread marked), the
//! list at `/portal/announcements`, and one at `/portal/announcements/{id}`, which marks it read.
//! External customers receive none: the home page shows nothing and these pages are 404s.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use tandem_app::PageRequest;
use tandem_app::announcements::{AnnouncementQuery, AnnouncementScope, AnnouncementView};
use tandem_app::{AppError, Principal};
use tandem_domain::{AnnouncementId, PersonKind};

use super::When;
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::Viewer;
use crate::ui::{UiError, html};

/// Announcements the list page shows (the API pages through older ones).
const LISTED: u32 = 50;
/// Announcements the home page shows.
const ON_HOME: u32 = 5;

/// One announcement in a list.
pub(super) struct Item {
    pub(super) id: i64,
    pub(super) title: String,
    pub(super) pinned: bool,
    pub(super) unread: bool,
    pub(super) published: Option<When>,
    pub(super) audience: String,
}

impl From<AnnouncementView> for Item {
    fn from(announcement: AnnouncementView) -> Self {
        Item {
            id: announcement.id.0,
            pinned: announcement.pinned,
            unread: announcement.read_at.is_none(),
            published: announcement.published_at.map(When::of),
            audience: audience_label(&announcement),
            title: announcement.title,
        }
    }
}

fn audience_label(announcement: &AnnouncementView) -> String {
    match &announcement.audience.department {
        Some(department) => department.name.clone(),
        None => "Everyone".to_owned(),
    }
}

/// The current announcements for the home page: pinned first, then newest; none for a customer.
pub(super) async fn for_home(state: &AppState, principal: &Principal) -> Result<Vec<Item>, AppError> {
    if principal.kind != PersonKind::Employee {
        return Ok(Vec::new());
    }
    let mut items = current(state, principal, ON_HOME).await?;
    // A stable sort keeps the newest first within pinned and unpinned.
    items.sort_by_key(|item| !item.pinned);
    Ok(items)
}

async fn current(state: &AppState, principal: &Principal, limit: u32) -> Result<Vec<Item>, AppError> {
    let query = AnnouncementQuery { scope: Some(AnnouncementScope::ForMe) };
    let page = PageRequest { limit: Some(limit), cursor: None };
    let announcements = state.app.list_announcements(principal, query, page, crate::now()).await?;
    Ok(announcements.items.into_iter().map(Item::from).collect())
}

#[derive(Template)]
#[template(path = "portal_announcements.html")]
struct ListPage {
    layout: Layout,
    announcements: Vec<Item>,
}

pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    require_employee(&viewer)?;
    let announcements = current(&state, &viewer.principal, LISTED).await?;
    Ok(html(&ListPage { layout: Layout::for_viewer(&viewer, "announcements"), announcements }))
}

#[derive(Template)]
#[template(path = "portal_announcement.html")]
struct AnnouncementPage {
    layout: Layout,
    announcement: AnnouncementView,
    published: Option<When>,
    audience: String,
}

/// Viewing it is reading it: the read is recorded (once) before the page is drawn.
pub async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Result<Response, UiError> {
    require_employee(&viewer)?;
    let id = id.parse::<i64>().map(AnnouncementId).map_err(|_| UiError::NotFound)?;
    let announcement = match state.app.mark_announcement_read(&viewer.principal, id, crate::now()).await {
        Ok(announcement) => announcement,
        // A writer looking at one that is not for them, or not published yet: shown, not read.
        Err(AppError::Forbidden(_)) => state.app.get_announcement(&viewer.principal, id, crate::now()).await?,
        Err(error) => return Err(error.into()),
    };
    let page = AnnouncementPage {
        layout: Layout::for_viewer(&viewer, "announcements"),
        published: announcement.published_at.map(When::of),
        audience: audience_label(&announcement),
        announcement,
    };
    Ok(html(&page))
}

/// Announcements are for employees; to anyone else these pages do not exist.
fn require_employee(viewer: &Viewer) -> Result<(), UiError> {
    if viewer.principal.kind == PersonKind::Employee { Ok(()) } else { Err(UiError::NotFound) }
}
