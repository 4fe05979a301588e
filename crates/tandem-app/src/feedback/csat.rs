//! CSAT: when a ticket is solved, its requester (or the person it is for), internal or external,
//! rates it 1–5 with a comment. One answer per ticket: answering again changes it, for as long as
//! the survey stays open after the solve.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{FeedbackSource, Millis, PersonId, Principal, TicketAccess, TicketId, TicketStatus};
use tandem_store::feedback_routing::NewItem;
use tandem_store::satisfaction::{self, NewRating};
use tandem_store::tickets::TicketView;
use tandem_store::{Conn, events};

use crate::tickets::access_for_write;
use crate::{App, AppError, Instant, instant};

/// How long after a ticket is solved its requester may rate it (or change their rating).
pub const SURVEY_OPEN_MS: Millis = 30 * 24 * 3_600_000;

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingInput {
    /// 1 (very unhappy) to 5 (very happy).
    pub rating: i64,
    pub comment: Option<String>,
    /// A feedback topic offered to you (id or slug): your first answer also reaches the teams
    /// that own it (answering again changes the rating, not what was routed).
    #[serde(default)]
    pub topic: Option<String>,
}

/// A ticket's satisfaction rating, as its requester and its agents see it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SatisfactionOut {
    pub rating: i64,
    pub comment: Option<String>,
    pub rated_at: Instant,
}

impl App {
    /// The requester (or the person the ticket is for) rates their solved ticket.
    pub async fn rate_ticket(
        &self,
        principal: &Principal,
        id: TicketId,
        input: RatingInput,
        now: Millis,
    ) -> Result<SatisfactionOut, AppError> {
        let mut tx = self.store().begin().await?;
        let (ticket, access) = access_for_write(tx.conn(), principal, id).await?;
        let party = ticket.requester_id == principal.person_id || ticket.recipient_id == Some(principal.person_id);
        if access != TicketAccess::Customer || !party {
            return Err(AppError::forbidden("only the person who asked (or the one it was for) rates a ticket"));
        }
        let first_answer = satisfaction::get(tx.conn(), id).await?.is_none();
        let topic = input.topic.clone();
        let rated = record_rating(tx.conn(), &ticket, principal.person_id, input, now).await?;
        if let Some(topic) = topic.as_deref().filter(|topic| first_answer && !topic.is_empty()) {
            route_rating(&mut tx, principal, topic, id, rated.rating, rated.comment.as_deref(), now).await?;
        }
        tx.commit().await?;
        Ok(rated)
    }
}

/// Records `person`'s rating of their `ticket` (locked by the caller), replacing an earlier one,
/// with its audit event: the one way a rating is written, from the portal, the API or a signed link.
pub(crate) async fn record_rating(
    mut conn: Conn<'_>,
    ticket: &TicketView,
    person: PersonId,
    input: RatingInput,
    now: Millis,
) -> Result<SatisfactionOut, AppError> {
    let mut errors = FieldErrors::new();
    if !(1..=5).contains(&input.rating) {
        errors.add("rating", "must be between 1 and 5");
    }
    if let Some(comment) = &input.comment {
        validate::bounded_text(&mut errors, "comment", comment, 4_000, false);
    }
    errors.into_result()?;
    let solved_at = match (ticket.status, ticket.solved_at) {
        (TicketStatus::Solved | TicketStatus::Closed, Some(at)) => at,
        _ => return Err(AppError::conflict("not_solved", "a ticket is rated once it is solved")),
    };
    if now - solved_at > SURVEY_OPEN_MS {
        return Err(AppError::conflict("survey_closed", "this ticket was solved too long ago to rate it now"));
    }
    let comment = input.comment.as_deref().map(str::trim).filter(|comment| !comment.is_empty());
    let rating = NewRating {
        ticket_id: ticket.id,
        rating: input.rating,
        comment,
        rated_by: person,
        audience: ticket.audience,
        team_id: ticket.team_id,
    };
    satisfaction::upsert(conn.reborrow(), rating, now).await?;
    let data = json!({ "rating": input.rating, "comment": comment });
    events::append(conn, ticket.id, Some(person), "satisfaction_rated", &data, now).await?;
    Ok(SatisfactionOut { rating: input.rating, comment: comment.map(str::to_owned), rated_at: instant(now) })
}

/// Sends a first satisfaction answer tagged with a topic to the teams that own the topic.
async fn route_rating(
    tx: &mut tandem_store::Tx,
    principal: &Principal,
    topic: &str,
    ticket: TicketId,
    rating: i64,
    comment: Option<&str>,
    now: Millis,
) -> Result<(), AppError> {
    let topic = super::topics::topic_for(tx.conn(), principal, topic).await?;
    let item = NewItem {
        topic_id: topic.id,
        author_id: principal.person_id,
        source: FeedbackSource::Csat,
        review_id: None,
        rated_ticket_id: Some(ticket),
        rating: Some(rating),
        body: comment.unwrap_or("(no comment)"),
    };
    super::routing::route(tx, principal, &topic, item, now).await?;
    Ok(())
}

/// The rating of ticket `id`, if it has one.
pub(crate) async fn satisfaction_of(conn: Conn<'_>, id: TicketId) -> Result<Option<SatisfactionOut>, AppError> {
    let row = satisfaction::get(conn, id).await?;
    Ok(row.map(|row| SatisfactionOut { rating: row.rating, comment: row.comment, rated_at: instant(row.updated_at) }))
}
