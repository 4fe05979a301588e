//! "Send feedback": anyone signed in, customer or employee, tells the organization what they think
//! about a topic offered to them, optionally with a 1–5 rating. It is routed in the same
//! transaction; only staff are told where it went.

use serde::{Deserialize, Serialize};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{FeedbackItemId, FeedbackSource, Millis, Principal, TicketId};
use tandem_store::feedback_routing::{self as store, NewItem};

use super::routing::route;
use super::topics::topic_for;
use crate::tickets::NamedRef;
use crate::{App, AppError, Instant, instant};

const MAX_BODY_CHARS: usize = 4_000;

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackInput {
    /// A topic offered to you (id or slug), from `GET /feedback-topics`.
    pub topic: String,
    pub body: String,
    /// 1 (very unhappy) to 5 (very happy), if you want to rate.
    pub rating: Option<i64>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct FeedbackOut {
    pub id: FeedbackItemId,
    pub topic: NamedRef,
    pub rating: Option<i64>,
    pub body: String,
    /// Staff only: where it went, per owning team.
    pub routed: Option<Vec<RouteOut>>,
    pub created_at: Instant,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RouteOut {
    pub team: NamedRef,
    /// The ticket opened in the team's queue; `None` while it waits for (or went in) the digest.
    pub ticket_id: Option<TicketId>,
    pub digested: bool,
}

impl App {
    pub async fn send_feedback(
        &self,
        principal: &Principal,
        input: FeedbackInput,
        now: Millis,
    ) -> Result<FeedbackOut, AppError> {
        let mut errors = FieldErrors::new();
        validate::bounded_text(&mut errors, "body", &input.body, MAX_BODY_CHARS, true);
        if input.rating.is_some_and(|rating| !(1..=5).contains(&rating)) {
            errors.add("rating", "must be between 1 and 5");
        }
        errors.into_result()?;
        let mut tx = self.store().begin().await?;
        let topic = topic_for(tx.conn(), principal, &input.topic).await?;
        let body = input.body.trim();
        let item = NewItem {
            topic_id: topic.id,
            author_id: principal.person_id,
            source: FeedbackSource::Message,
            review_id: None,
            rated_ticket_id: None,
            rating: input.rating,
            body,
        };
        let id = route(&mut tx, principal, &topic, item, now).await?;
        let routed = if principal.is_staff() {
            let routes = store::routes_of(tx.conn(), id).await?;
            Some(
                routes
                    .into_iter()
                    .map(|route| RouteOut {
                        team: NamedRef { id: route.team_id.0, slug: None, name: route.team_name },
                        ticket_id: route.ticket_id,
                        digested: route.digested_at.is_some(),
                    })
                    .collect(),
            )
        } else {
            None
        };
        tx.commit().await?;
        tracing::info!(feedback.id = id.0, "feedback {id} was routed");
        Ok(FeedbackOut {
            id,
            topic: NamedRef { id: topic.id.0, slug: Some(topic.slug), name: topic.name },
            rating: input.rating,
            body: body.to_owned(),
            routed,
            created_at: instant(now),
        })
    }
}
