//! Writing announcements: a draft (admins and leads), edits while it is not withdrawn (they carry
//! the version they change), publishing (which queues the emails when asked for), withdrawing.

use serde::{Deserialize, Serialize};
use tandem_domain::announcement::may_announce;
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{AnnouncementId, Millis, PersonId, Principal, TeamId, TeamKind};
use tandem_store::announcements::{self, AnnouncementFields};
use tandem_store::{Conn, teams};

use super::emails::SendAnnouncementEmails;
use super::views::AnnouncementView;
use super::{load_for_change, require_not_withdrawn};
use crate::{App, AppError, jobs};

/// An announcement as its author writes it; editing sends the whole of it again.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementInput {
    pub title: String,
    /// Markdown.
    pub body: String,
    /// The department whose employees it is for; `null` or absent: every employee.
    #[serde(default)]
    pub department_id: Option<TeamId>,
    /// Shown first on the portal.
    #[serde(default)]
    pub pinned: bool,
    /// Email it to each recipient when it is published.
    #[serde(default)]
    pub email: bool,
    /// RFC 3339; after it readers no longer see the announcement. Must be in the future.
    #[serde(default)]
    pub expires_at: Option<String>,
}

const MAX_TITLE_CHARS: usize = 200;
const MAX_BODY_CHARS: usize = 20_000;

impl App {
    /// A new draft; nobody but writers sees it until it is published.
    pub async fn create_announcement(
        &self,
        principal: &Principal,
        input: AnnouncementInput,
        now: Millis,
    ) -> Result<AnnouncementView, AppError> {
        if !may_announce(principal) {
            return Err(forbidden_or_hidden(principal));
        }
        let mut tx = self.store().begin().await?;
        let fields = checked(tx.conn(), input, now).await?;
        let id = announcements::insert(tx.conn(), &fields, principal.person_id, now).await?;
        let view = self.writer_view(tx.conn(), principal, id, now).await?;
        tx.commit().await?;
        tracing::info!(announcement.id = id.0, "announcement {id} drafted");
        Ok(view)
    }

    /// Rewrites it if it is still at `version`. A published announcement stays published (a
    /// correction); its emails are not sent again.
    pub async fn update_announcement(
        &self,
        principal: &Principal,
        id: AnnouncementId,
        version: i64,
        input: AnnouncementInput,
        now: Millis,
    ) -> Result<AnnouncementView, AppError> {
        let mut tx = self.store().begin().await?;
        let current = load_for_change(tx.conn(), principal, id, now).await?;
        require_not_withdrawn(&current)?;
        let fields = checked(tx.conn(), input, now).await?;
        if !announcements::update(tx.conn(), id, version, &fields, now).await? {
            return Err(AppError::version_conflict("announcement"));
        }
        let view = self.writer_view(tx.conn(), principal, id, now).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Publishes the draft to its recipients and, with `email` set on a node that sends mail,
    /// queues the first batch of its emails in the same transaction.
    pub async fn publish_announcement(
        &self,
        principal: &Principal,
        id: AnnouncementId,
        now: Millis,
    ) -> Result<AnnouncementView, AppError> {
        let mut tx = self.store().begin().await?;
        let current = load_for_change(tx.conn(), principal, id, now).await?;
        require_not_withdrawn(&current)?;
        if current.expires_at.is_some_and(|end| end <= now) {
            return Err(AppError::invalid("expires_at", "is past: move it or clear it before publishing"));
        }
        if !announcements::publish(tx.conn(), id, principal.person_id, now).await? {
            return Err(AppError::conflict("already_published", "the announcement is published already"));
        }
        if current.email && self.outbound().is_some() {
            let first = SendAnnouncementEmails { announcement: id, after: PersonId(0) };
            jobs::enqueue(tx.conn(), &first, Some(&first.dedupe_key()), now, now).await?;
        }
        let view = self.writer_view(tx.conn(), principal, id, now).await?;
        tx.commit().await?;
        tracing::info!(announcement.id = id.0, "announcement {id} published");
        Ok(view)
    }

    /// Takes it away from every reader (a draft too: it will never be published). Emails still
    /// queued for it are not sent.
    pub async fn withdraw_announcement(
        &self,
        principal: &Principal,
        id: AnnouncementId,
        now: Millis,
    ) -> Result<AnnouncementView, AppError> {
        let mut tx = self.store().begin().await?;
        let current = load_for_change(tx.conn(), principal, id, now).await?;
        require_not_withdrawn(&current)?;
        announcements::withdraw(tx.conn(), id, principal.person_id, now).await?;
        let view = self.writer_view(tx.conn(), principal, id, now).await?;
        tx.commit().await?;
        tracing::info!(announcement.id = id.0, "announcement {id} withdrawn");
        Ok(view)
    }
}

/// Someone who may not write announcements: an employee is refused (they read announcements, so
/// they know the thing exists); anyone else is answered as if there were none.
fn forbidden_or_hidden(principal: &Principal) -> AppError {
    if principal.kind == tandem_domain::PersonKind::Employee {
        AppError::forbidden("only admins and team leads write announcements")
    } else {
        AppError::NotFound("announcement")
    }
}

/// Checks the input field by field.
async fn checked(conn: Conn<'_>, input: AnnouncementInput, now: Millis) -> Result<AnnouncementFields, AppError> {
    let mut errors = FieldErrors::new();
    let title = validate::required_line(&mut errors, "title", &input.title, MAX_TITLE_CHARS);
    validate::bounded_text(&mut errors, "body", &input.body, MAX_BODY_CHARS, true);
    if let Some(department) = input.department_id {
        let team = teams::get(conn, department).await?;
        if team.is_none_or(|team| team.kind != TeamKind::Department) {
            errors.add("department_id", "no such department");
        }
    }
    let expires_at = match input.expires_at.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
        None => None,
        Some(text) => match text.parse::<jiff::Timestamp>() {
            Ok(end) if end.as_millisecond() > now => Some(end.as_millisecond()),
            Ok(_) => {
                errors.add("expires_at", "must be in the future");
                None
            }
            Err(_) => {
                errors.add("expires_at", "must be an RFC 3339 instant, like 2026-12-31T17:00:00Z");
                None
            }
        },
    };
    errors.into_result()?;
    Ok(AnnouncementFields {
        title,
        body: input.body.trim().to_owned(),
        department_id: input.department_id,
        pinned: input.pinned,
        email: input.email,
        expires_at,
    })
}
