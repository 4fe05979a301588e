//! The writes on a review: the customer writes and edits it, the service's team answers it and
//! hides an abusive public one. Each write and its audit event commit in one transaction.

use serde::Deserialize;
use serde_json::json;
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{FeedbackSource, Millis, PersonKind, Principal, ReviewAccess, ReviewId, ReviewVisibility};
use tandem_store::feedback_routing::NewItem;
use tandem_store::reviews::{self, ReviewFields, ReviewRow};
use tandem_store::{Conn, Tx};

use super::access;
use super::views::{ReviewView, review_view};
use crate::feedback::routing::route;
use crate::feedback::topics::topic_for;
use crate::{App, AppError};

const MAX_TITLE_CHARS: usize = 150;
const MAX_TEXT_CHARS: usize = 4_000;
const MAX_REASON_CHARS: usize = 500;

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// The service reviewed (id or slug): one offered to you.
    pub service: String,
    /// 1 (very poor) to 5 stars (excellent).
    pub rating: i64,
    pub title: String,
    pub body: String,
    /// `public` (default: on the help centre for everyone) or `private` (you and staff only).
    #[serde(default = "public")]
    pub visibility: ReviewVisibility,
    /// A feedback topic offered to you (id or slug): the review also reaches the teams that own it.
    #[serde(default)]
    pub topic: Option<String>,
}

fn public() -> ReviewVisibility {
    ReviewVisibility::Public
}

/// The author's rewrite of their review (every field; the service stays).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewUpdate {
    pub rating: i64,
    pub title: String,
    pub body: String,
    pub visibility: ReviewVisibility,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    /// The team's public answer; answering again rewrites it.
    pub answer: String,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HideInput {
    /// Why the review comes off the public lists (kept in its audit trail; its author reads it).
    pub reason: String,
}

impl App {
    /// An external customer reviews a service offered to them.
    pub async fn create_review(
        &self,
        principal: &Principal,
        input: ReviewInput,
        now: Millis,
    ) -> Result<ReviewView, AppError> {
        if principal.kind != PersonKind::External {
            return Err(AppError::forbidden("reviews are for customers; staff and employees send feedback instead"));
        }
        let fields = check(input.rating, &input.title, &input.body, input.visibility)?;
        // A service the customer may not request is "no such service", as for one that does not exist.
        let service = match self.get_service(principal, &input.service).await {
            Ok(service) => service,
            Err(AppError::NotFound(_)) => return Err(AppError::invalid("service", "no such service")),
            Err(error) => return Err(error),
        };
        let mut tx = self.store().begin().await?;
        let id = reviews::insert(tx.conn(), service.id, principal.person_id, &fields, now).await?;
        let data = json!({ "rating": fields.rating, "visibility": fields.visibility });
        reviews::append_event(tx.conn(), id, Some(principal.person_id), "created", &data, now).await?;
        if let Some(topic) = input.topic.as_deref().filter(|topic| !topic.is_empty()) {
            let topic = topic_for(tx.conn(), principal, topic).await?;
            let body = format!("{}: {}", fields.title, fields.body);
            let item = NewItem {
                topic_id: topic.id,
                author_id: principal.person_id,
                source: FeedbackSource::Review,
                review_id: Some(id),
                rated_ticket_id: None,
                rating: Some(fields.rating),
                body: &body,
            };
            route(&mut tx, principal, &topic, item, now).await?;
        }
        finish(tx, principal, id).await
    }

    /// The author rewrites their review if `expected_version` is still current.
    pub async fn update_review(
        &self,
        principal: &Principal,
        id: ReviewId,
        expected_version: i64,
        input: ReviewUpdate,
        now: Millis,
    ) -> Result<ReviewView, AppError> {
        let fields = check(input.rating, &input.title, &input.body, input.visibility)?;
        let mut tx = self.store().begin().await?;
        let row = load(tx.conn(), principal, id).await?;
        if principal.person_id != row.author_id {
            return Err(AppError::forbidden("only its author edits a review"));
        }
        if !reviews::update(tx.conn(), id, expected_version, &fields, now).await? {
            return Err(AppError::version_conflict("review"));
        }
        let data = json!({ "rating": fields.rating, "visibility": fields.visibility,
            "from": { "rating": row.rating, "visibility": row.visibility } });
        reviews::append_event(tx.conn(), id, Some(principal.person_id), "edited", &data, now).await?;
        finish(tx, principal, id).await
    }

    /// The service's team (or an admin) answers the review, or rewrites its answer.
    pub async fn answer_review(
        &self,
        principal: &Principal,
        id: ReviewId,
        input: AnswerInput,
        now: Millis,
    ) -> Result<ReviewView, AppError> {
        let mut errors = FieldErrors::new();
        validate::bounded_text(&mut errors, "answer", &input.answer, MAX_TEXT_CHARS, true);
        errors.into_result()?;
        let mut tx = self.store().begin().await?;
        let row = load_as_owner(tx.conn(), principal, id, "answers").await?;
        reviews::answer(tx.conn(), id, input.answer.trim(), principal.person_id, now).await?;
        let kind = if row.answer.is_some() { "answer_edited" } else { "answered" };
        reviews::append_event(tx.conn(), id, Some(principal.person_id), kind, &json!({}), now).await?;
        finish(tx, principal, id).await
    }

    /// The service's team (or an admin) takes an abusive public review off the public lists.
    pub async fn hide_review(
        &self,
        principal: &Principal,
        id: ReviewId,
        input: HideInput,
        now: Millis,
    ) -> Result<ReviewView, AppError> {
        let mut errors = FieldErrors::new();
        let reason = validate::required_line(&mut errors, "reason", &input.reason, MAX_REASON_CHARS);
        errors.into_result()?;
        let mut tx = self.store().begin().await?;
        let row = load_as_owner(tx.conn(), principal, id, "hides").await?;
        if row.hidden_at.is_some() {
            return Err(AppError::conflict("already_hidden", "this review is hidden already"));
        }
        if row.visibility != ReviewVisibility::Public {
            return Err(AppError::conflict("not_public", "a private review is on no public list to hide it from"));
        }
        if !reviews::hide(tx.conn(), id, &reason, principal.person_id, now).await? {
            return Err(AppError::conflict("already_hidden", "this review is hidden already"));
        }
        reviews::append_event(tx.conn(), id, Some(principal.person_id), "hidden", &json!({ "reason": reason }), now)
            .await?;
        finish(tx, principal, id).await
    }
}

/// Trims and checks what the author writes.
fn check(rating: i64, title: &str, body: &str, visibility: ReviewVisibility) -> Result<ReviewFields, AppError> {
    let mut errors = FieldErrors::new();
    if !(1..=5).contains(&rating) {
        errors.add("rating", "must be between 1 and 5");
    }
    let title = validate::required_line(&mut errors, "title", title, MAX_TITLE_CHARS);
    validate::bounded_text(&mut errors, "body", body, MAX_TEXT_CHARS, true);
    errors.into_result()?;
    Ok(ReviewFields { rating, title, body: body.trim().to_owned(), visibility })
}

/// The review, if the principal may read it.
async fn load(conn: Conn<'_>, principal: &Principal, id: ReviewId) -> Result<ReviewRow, AppError> {
    let row = reviews::get(conn, id).await?;
    row.filter(|row| access(Some(principal), row) != ReviewAccess::None).ok_or(AppError::NotFound("review"))
}

/// The review, if the principal may read it and belongs to the team that owns it (or is an admin).
async fn load_as_owner(conn: Conn<'_>, principal: &Principal, id: ReviewId, what: &str) -> Result<ReviewRow, AppError> {
    let row = load(conn, principal, id).await?;
    if access(Some(principal), &row) != ReviewAccess::Owner {
        return Err(AppError::forbidden(format!("only the service's team {what} a review")));
    }
    Ok(row)
}

/// Reads the review back in the writing transaction, commits, and shows it to the writer.
async fn finish(mut tx: Tx, principal: &Principal, id: ReviewId) -> Result<ReviewView, AppError> {
    let row = reviews::get(tx.conn(), id).await?.ok_or(AppError::NotFound("review"))?;
    let view = review_view(tx.conn(), Some(principal), row).await?;
    tx.commit().await?;
    Ok(view)
}
