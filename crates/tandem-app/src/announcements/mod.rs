//! Announcements: news that flows from leadership (admins and team leads) to employees, all of
//! them or one department's: written as a draft, published (and then optionally emailed to each
//! recipient once, a batch per job), edited, withdrawn; read on the employee portal, where a
//! read is recorded once per person.
//!
//! Visibility: a reader sees only what is published to them now (not drafts, expired or withdrawn
//! ones); anything else answers like a missing announcement (404). External customers are never
//! recipients, so every announcement is a 404 to them and every list is empty. Writers see every
//! announcement with its read receipts, as counts only (who read it is never shown); only the
//! author and admins change one (403 for other writers and for readers).

mod emails;
mod read;
mod views;
mod write;

pub use emails::SendAnnouncementEmails;
pub use read::{AnnouncementQuery, AnnouncementScope};
pub use views::{AnnouncementView, AudienceOut, ReceiptsOut};
pub use write::AnnouncementInput;

use tandem_domain::announcement::{is_recipient, may_announce};
use tandem_domain::{AnnouncementId, AnnouncementStatus, Millis, Principal};
use tandem_store::Conn;
use tandem_store::announcements::{self, AnnouncementRow};

use crate::AppError;

fn status(row: &AnnouncementRow, now: Millis) -> AnnouncementStatus {
    AnnouncementStatus::at(row.published_at, row.withdrawn_at, row.expires_at, now)
}

/// Whether the principal receives it now: one of its audience, and it is published.
fn receives(principal: &Principal, row: &AnnouncementRow, now: Millis) -> bool {
    is_recipient(principal, row.department_id) && status(row, now) == AnnouncementStatus::Published
}

fn visible(principal: &Principal, row: &AnnouncementRow, now: Millis) -> bool {
    may_announce(principal) || receives(principal, row, now)
}

fn may_change(principal: &Principal, row: &AnnouncementRow) -> bool {
    may_announce(principal) && (principal.is_admin || row.author_id == principal.person_id)
}

/// Loads an announcement for a change, holding its row lock: 404 for whoever may not see it, 403
/// for whoever sees it but may not change it.
async fn load_for_change(
    mut conn: Conn<'_>,
    principal: &Principal,
    id: AnnouncementId,
    now: Millis,
) -> Result<AnnouncementRow, AppError> {
    announcements::lock(conn.reborrow(), id).await?;
    let row = announcements::get(conn, id, principal.person_id).await?.ok_or(AppError::NotFound("announcement"))?;
    if !visible(principal, &row, now) {
        return Err(AppError::NotFound("announcement"));
    }
    if !may_change(principal, &row) {
        return Err(AppError::forbidden("only its author and admins change this announcement"));
    }
    Ok(row)
}

fn require_not_withdrawn(row: &AnnouncementRow) -> Result<(), AppError> {
    if row.withdrawn_at.is_some() {
        Err(AppError::conflict("announcement_withdrawn", "the announcement was withdrawn; it takes no more changes"))
    } else {
        Ok(())
    }
}
