//! What each reader is shown of a review, built field by field: everyone gets the review and its
//! answer; its author and staff also see whether it was hidden and why; staff alone get the
//! owning team, who answered and the audit trail.

use serde::Serialize;
use tandem_domain::{Principal, ReviewAccess, ReviewId, ReviewVisibility};
use tandem_store::Conn;
use tandem_store::reviews::{self, ReviewRow};

use super::access;
use crate::tickets::NamedRef;
use crate::{AppError, Instant, instant};

/// Entries of a review's trail shown with it.
const MAX_EVENTS: i64 = 100;

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewView {
    pub id: ReviewId,
    /// The service reviewed.
    pub service: NamedRef,
    pub author_name: String,
    /// 1 to 5 stars.
    pub rating: i64,
    pub title: String,
    pub body: String,
    pub visibility: ReviewVisibility,
    pub answer: Option<AnswerOut>,
    /// Only for its author and staff: set once the review was taken off the public lists.
    pub hidden: Option<HiddenOut>,
    /// You wrote it (and may edit it).
    pub mine: bool,
    /// You may answer it and hide it (the service's team and admins).
    pub can_moderate: bool,
    /// Only for staff.
    pub staff: Option<ReviewStaffOut>,
    pub version: i64,
    pub created_at: Instant,
    pub updated_at: Instant,
}

/// The team's public answer.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AnswerOut {
    pub body: String,
    pub answered_at: Instant,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct HiddenOut {
    pub reason: String,
    pub hidden_at: Instant,
}

/// What staff see besides the review: whose it is to answer, who answered, and its trail.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewStaffOut {
    pub team: NamedRef,
    pub answered_by: Option<String>,
    /// The audit trail, oldest first (when one review is read; lists leave it empty).
    pub history: Vec<ReviewEventOut>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewEventOut {
    /// `created`, `edited`, `answered`, `answer_edited` or `hidden`.
    pub kind: String,
    pub actor_name: Option<String>,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub at: Instant,
}

/// The review as `reader` may see it; `NotFound` if they may not.
pub(super) async fn review_view(
    conn: Conn<'_>,
    reader: Option<&Principal>,
    row: ReviewRow,
) -> Result<ReviewView, AppError> {
    let access = access(reader, &row);
    let history = match access {
        ReviewAccess::None => return Err(AppError::NotFound("review")),
        ReviewAccess::Staff | ReviewAccess::Owner => Some(history(conn, row.id).await?),
        ReviewAccess::Reader | ReviewAccess::Author => None,
    };
    Ok(summary(access, row, history))
}

/// The review for a list (no trail: lists read no more than their rows).
pub(super) fn list_view(reader: Option<&Principal>, row: ReviewRow) -> ReviewView {
    summary(access(reader, &row), row, None)
}

fn summary(access: ReviewAccess, row: ReviewRow, history: Option<Vec<ReviewEventOut>>) -> ReviewView {
    let is_staff = access >= ReviewAccess::Staff;
    let hidden = match (row.hidden_reason, row.hidden_at) {
        (Some(reason), Some(at)) if access >= ReviewAccess::Author => {
            Some(HiddenOut { reason, hidden_at: instant(at) })
        }
        _ => None,
    };
    let answer = match (row.answer, row.answered_at) {
        (Some(body), Some(at)) => Some(AnswerOut { body, answered_at: instant(at) }),
        _ => None,
    };
    let staff = is_staff.then(|| ReviewStaffOut {
        team: NamedRef { id: row.team_id.0, slug: None, name: row.team_name },
        answered_by: row.answered_by_name,
        history: history.unwrap_or_default(),
    });
    ReviewView {
        id: row.id,
        service: NamedRef { id: row.service_id.0, slug: Some(row.service_slug), name: row.service_name },
        author_name: row.author_name,
        rating: row.rating,
        title: row.title,
        body: row.body,
        visibility: row.visibility,
        answer,
        hidden,
        mine: access == ReviewAccess::Author,
        can_moderate: access == ReviewAccess::Owner,
        staff,
        version: row.version,
        created_at: instant(row.created_at),
        updated_at: instant(row.updated_at),
    }
}

async fn history(conn: Conn<'_>, id: ReviewId) -> Result<Vec<ReviewEventOut>, AppError> {
    let rows = reviews::events(conn, id, MAX_EVENTS).await?;
    Ok(rows
        .into_iter()
        .map(|row| ReviewEventOut {
            kind: row.kind,
            actor_name: row.actor_name,
            data: serde_json::from_str(&row.data).unwrap_or_default(),
            at: instant(row.at),
        })
        .collect())
}
