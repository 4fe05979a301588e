//! Reading announcements: a reader's list (what is published to them now, newest first), the
//! writers' list of every announcement with read receipts, one announcement, and marking one read.

use serde::Deserialize;
use tandem_domain::announcement::may_announce;
use tandem_domain::{AnnouncementId, Millis, PersonKind, Principal};
use tandem_store::Conn;
use tandem_store::announcements::{self, AnnouncementRow, ReaderCursor};

use super::views::{AnnouncementView, announcement_view};
use super::{may_change, receives, visible};
use crate::page::{decode_cursor, encode_cursor};
use crate::{App, AppError, Page, PageRequest};

/// Filters of the announcement list.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct AnnouncementQuery {
    /// `for_me`: what is published to you now (newest first). `all`: every announcement, drafts
    /// and withdrawn ones too, with read receipts (admins and leads; their default).
    pub scope: Option<AnnouncementScope>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnnouncementScope {
    ForMe,
    All,
}

impl App {
    pub async fn list_announcements(
        &self,
        principal: &Principal,
        query: AnnouncementQuery,
        page: PageRequest,
        now: Millis,
    ) -> Result<Page<AnnouncementView>, AppError> {
        let writer = may_announce(principal);
        let scope = query.scope.unwrap_or(if writer { AnnouncementScope::All } else { AnnouncementScope::ForMe });
        let size = page.size(self.limits().max_page_size);
        let limit = i64::from(size) + 1;
        let mut reader = self.store().read().await?;
        match scope {
            AnnouncementScope::All if !writer => Err(AppError::forbidden("only admins and team leads list them all")),
            AnnouncementScope::All => {
                let before = page.cursor.as_deref().map(decode_cursor::<AnnouncementId>).transpose()?;
                let before = before.unwrap_or(AnnouncementId(i64::MAX));
                let rows = announcements::all(reader.conn(), principal.person_id, before, limit).await?;
                let page = Page::from_rows(rows, size, |row| encode_cursor(&row.id), |row| row);
                let mut views = Vec::with_capacity(page.items.len());
                for row in page.items {
                    views.push(writer_view_of(reader.conn(), principal, row, now).await?);
                }
                Ok(Page { items: views, next_cursor: page.next_cursor })
            }
            // External customers receive nothing: their list is empty without asking the database.
            AnnouncementScope::ForMe if principal.kind != PersonKind::Employee => {
                Ok(Page { items: Vec::new(), next_cursor: None })
            }
            AnnouncementScope::ForMe => {
                let before = page.cursor.as_deref().map(decode_cursor::<ReaderCursor>).transpose()?;
                let before = before.unwrap_or((Millis::MAX, AnnouncementId(i64::MAX)));
                let rows = announcements::for_reader(
                    reader.conn(),
                    principal.person_id,
                    principal.department_id,
                    now,
                    before,
                    limit,
                )
                .await?;
                let cursor = |row: &AnnouncementRow| encode_cursor(&(row.published_at.unwrap_or_default(), row.id));
                Ok(Page::from_rows(rows, size, cursor, |row| reader_view(principal, row, now)))
            }
        }
    }

    pub async fn get_announcement(
        &self,
        principal: &Principal,
        id: AnnouncementId,
        now: Millis,
    ) -> Result<AnnouncementView, AppError> {
        let mut reader = self.store().read().await?;
        let row = visible_row(reader.conn(), principal, id, now).await?;
        if may_announce(principal) {
            writer_view_of(reader.conn(), principal, row, now).await
        } else {
            Ok(reader_view(principal, row, now))
        }
    }

    /// Records the principal's first read of an announcement published to them; reading again
    /// keeps the first time. A writer who is not among its recipients is refused (403).
    pub async fn mark_announcement_read(
        &self,
        principal: &Principal,
        id: AnnouncementId,
        now: Millis,
    ) -> Result<AnnouncementView, AppError> {
        let mut tx = self.store().begin().await?;
        let row = visible_row(tx.conn(), principal, id, now).await?;
        if !receives(principal, &row, now) {
            return Err(AppError::forbidden("only its recipients mark an announcement read, once it is published"));
        }
        announcements::mark_read(tx.conn(), id, principal.person_id, now).await?;
        tx.commit().await?;
        self.get_announcement(principal, id, now).await
    }

    /// The announcement as a writer sees it, with its receipts (inside a write transaction).
    pub(super) async fn writer_view(
        &self,
        mut conn: Conn<'_>,
        principal: &Principal,
        id: AnnouncementId,
        now: Millis,
    ) -> Result<AnnouncementView, AppError> {
        let row = announcements::get(conn.reborrow(), id, principal.person_id)
            .await?
            .ok_or(AppError::NotFound("announcement"))?;
        writer_view_of(conn, principal, row, now).await
    }
}

async fn visible_row(
    conn: Conn<'_>,
    principal: &Principal,
    id: AnnouncementId,
    now: Millis,
) -> Result<AnnouncementRow, AppError> {
    let row = announcements::get(conn, id, principal.person_id).await?;
    row.filter(|row| visible(principal, row, now)).ok_or(AppError::NotFound("announcement"))
}

async fn writer_view_of(
    conn: Conn<'_>,
    principal: &Principal,
    row: AnnouncementRow,
    now: Millis,
) -> Result<AnnouncementView, AppError> {
    let receipts = announcements::receipts(conn, row.id, row.department_id).await?;
    let can_edit = may_change(principal, &row) && row.withdrawn_at.is_none();
    Ok(announcement_view(row, Some(receipts), can_edit, now))
}

fn reader_view(principal: &Principal, row: AnnouncementRow, now: Millis) -> AnnouncementView {
    let can_edit = may_change(principal, &row) && row.withdrawn_at.is_none();
    announcement_view(row, None, can_edit, now)
}
