//! Routing one piece of feedback, inside the transaction that records it: for each team owning its
//! topic, a ticket in the team's queue (from the person who gave the feedback, so the team can
//! answer them, and naming where the feedback came from) or a place in the team's next digest.

use serde_json::Map;
use tandem_domain::{Channel, FeedbackItemId, FeedbackSource, Millis, Principal, Priority, TeamId, TicketAudience};
use tandem_store::Tx;
use tandem_store::feedback_routing::{self as store, NewItem, TopicRow};

use crate::AppError;
use crate::tickets::NewTicket;
use crate::tickets::create::insert_ticket;
use crate::tickets::plan::{Party, Plan};

/// Records `item` and sends it where each owning team of `topic` wants it.
pub(crate) async fn route(
    tx: &mut Tx,
    author: &Principal,
    topic: &TopicRow,
    item: NewItem<'_>,
    now: Millis,
) -> Result<FeedbackItemId, AppError> {
    let id = store::insert_item(tx.conn(), &item, now).await?;
    for owner in store::owners(tx.conn(), Some(topic.id)).await? {
        let ticket = if owner.routing.makes_ticket(item.rating) {
            Some(open_ticket(tx, author, owner.team_id, topic, &item, id, now).await?)
        } else {
            None
        };
        store::insert_route(tx.conn(), id, owner.team_id, ticket).await?;
    }
    Ok(id)
}

async fn open_ticket(
    tx: &mut Tx,
    author: &Principal,
    team: TeamId,
    topic: &TopicRow,
    item: &NewItem<'_>,
    id: FeedbackItemId,
    now: Millis,
) -> Result<tandem_domain::TicketId, AppError> {
    let rated = item.rating.map(|stars| format!(" ({stars} of 5 stars)")).unwrap_or_default();
    let subject = format!("Feedback on {}{rated}", topic.name);
    let body = format!("{}\n\n— {} (feedback #{id})", item.body, origin(item));
    let tags = vec!["feedback".to_owned(), topic.slug.clone()];
    let new = NewTicket {
        subject: subject.clone(),
        body,
        service: None,
        service_id: None,
        fields: Map::new(),
        channel: Some(Channel::Web),
        attachment_ids: Vec::new(),
        requester: None,
        recipient: None,
        team_id: Some(team),
        priority: None,
        assignee_id: None,
        tags: tags.clone(),
        follower_ids: Vec::new(),
    };
    let plan = Plan {
        requester: Party::Known(author.into()),
        recipient: None,
        audience: TicketAudience::of_requester(author.kind),
        channel: Channel::Web,
        service_id: None,
        fields: Map::new(),
        team_id: team,
        priority: Priority::Normal,
        tags,
        assignee: None,
        round_robin: false,
        rule: None,
    };
    Ok(insert_ticket(tx, author, &new, subject, plan, now).await?.ticket_id)
}

/// Where the feedback came from, as the ticket says it (with the way back to it).
fn origin(item: &NewItem<'_>) -> String {
    match (item.source, item.review_id, item.rated_ticket_id) {
        (FeedbackSource::Review, Some(review), _) => format!("a review, /agent/reviews#review-{review}"),
        (FeedbackSource::Csat, _, Some(ticket)) => format!("a satisfaction answer on ticket #{ticket}"),
        _ => "a feedback message".to_owned(),
    }
}
