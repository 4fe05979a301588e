//! What every page's frame shows: who is signed in, which sections they may open, the CSRF token
//! for the sign-out form, and a one-line notice after an action.

use super::session::Viewer;

/// The frame around a page (`templates/base.html`).
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub signed_in: bool,
    pub name: String,
    pub is_staff: bool,
    pub is_admin: bool,
    pub is_employee: bool,
    /// Admins and team leads: they write announcements.
    pub may_announce: bool,
    pub csrf: String,
    /// The section the page belongs to, for `aria-current` in the navigation.
    pub section: &'static str,
    pub notice: Option<String>,
}

impl Layout {
    pub fn anonymous() -> Layout {
        Layout::default()
    }

    pub fn for_viewer(viewer: &Viewer, section: &'static str) -> Layout {
        let principal = &viewer.principal;
        Layout {
            signed_in: true,
            name: principal.name.clone(),
            is_staff: principal.is_staff(),
            is_admin: principal.is_admin,
            is_employee: principal.kind == tandem_domain::PersonKind::Employee,
            may_announce: tandem_domain::announcement::may_announce(principal),
            csrf: viewer.csrf.clone(),
            section,
            notice: None,
        }
    }

    pub fn with_notice(mut self, notice: Option<String>) -> Layout {
        self.notice = notice;
        self
    }
}
