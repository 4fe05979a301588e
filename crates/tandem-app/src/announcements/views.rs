//! An announcement as the API and pages show it: to readers with their own read, to writers also
//! with the read receipts as counts.

use serde::Serialize;
use tandem_domain::{AnnouncementId, AnnouncementStatus, Millis, TeamId};
use tandem_store::announcements::{AnnouncementRow, Receipts};

use crate::tickets::{NamedRef, PersonSummary};
use crate::{Instant, instant};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AnnouncementView {
    pub id: AnnouncementId,
    pub title: String,
    /// Markdown, as written.
    pub body: String,
    /// The body rendered and sanitized: safe to show as HTML.
    pub body_html: String,
    pub audience: AudienceOut,
    /// Shown first on the portal.
    pub pinned: bool,
    /// Each recipient is emailed when it is published.
    pub email: bool,
    pub status: AnnouncementStatus,
    pub author: PersonSummary,
    pub published_at: Option<Instant>,
    /// After this, readers no longer see it.
    pub expires_at: Option<Instant>,
    pub withdrawn_at: Option<Instant>,
    pub created_at: Instant,
    pub updated_at: Instant,
    /// When you first read it; `null` while unread.
    pub read_at: Option<Instant>,
    /// Read receipts, for admins and leads only.
    pub receipts: Option<ReceiptsOut>,
    /// Whether you may edit, publish and withdraw it.
    pub can_edit: bool,
    /// Send it back in `If-Match` to edit.
    pub version: i64,
}

/// Who it is for: `all_employees`, or `department` with the department.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AudienceOut {
    pub kind: &'static str,
    pub department: Option<NamedRef>,
}

/// How many of its recipients read it (never who).
#[derive(Clone, Copy, Debug, Serialize, utoipa::ToSchema)]
pub struct ReceiptsOut {
    pub read: i64,
    /// The employees it is for today.
    pub recipients: i64,
}

pub(super) fn announcement_view(
    row: AnnouncementRow,
    receipts: Option<Receipts>,
    can_edit: bool,
    now: Millis,
) -> AnnouncementView {
    let status = super::status(&row, now);
    AnnouncementView {
        id: row.id,
        body_html: tandem_mail::markdown_to_html(&row.body),
        title: row.title,
        body: row.body,
        audience: audience(row.department_id, row.department_name),
        pinned: row.pinned,
        email: row.email,
        status,
        author: PersonSummary { id: Some(row.author_id), name: row.author_name, email: None },
        published_at: row.published_at.map(instant),
        expires_at: row.expires_at.map(instant),
        withdrawn_at: row.withdrawn_at.map(instant),
        created_at: instant(row.created_at),
        updated_at: instant(row.updated_at),
        read_at: row.read_at.map(instant),
        receipts: receipts.map(|receipts| ReceiptsOut { read: receipts.readers, recipients: receipts.recipients }),
        can_edit,
        version: row.version,
    }
}

fn audience(department: Option<TeamId>, name: Option<String>) -> AudienceOut {
    match department {
        None => AudienceOut { kind: "all_employees", department: None },
        Some(id) => AudienceOut {
            kind: "department",
            department: Some(NamedRef { id: id.0, slug: None, name: name.unwrap_or_default() }),
        },
    }
}
