//! The demo's feedback routing: topics owned by the teams that act on them (feedback about a café
//! reaches Marketing and Store Operations), and a few pieces of feedback: one low rating that
//! became a ticket in Marketing's queue, the rest already sent in the teams' digests (history: a
//! desk that starts with the demo emails nobody about it).

use std::collections::HashMap;

use tandem_domain::{Audience, FeedbackRouting, Millis, Principal};

use super::Builder;
use crate::AppError;
use crate::feedback::{FeedbackInput, OwnerInput, TopicInput};

const HOUR: Millis = 60 * 60 * 1000;

/// Tickets the demo's feedback opens (the demo's ticket count includes them).
pub const FEEDBACK_TICKETS: usize = 1;

/// Slug, name, audience, and each owning team's slug with its routing.
type Topic = (&'static str, &'static str, Audience, &'static [(&'static str, FeedbackRouting)]);

const TOPICS: &[Topic] = &[
    (
        "store",
        "Our cafés",
        Audience::Both,
        &[("marketing", FeedbackRouting::LowRatingsAsTickets), ("stores", FeedbackRouting::Digest)],
    ),
    (
        "delivery",
        "Orders and delivery",
        Audience::External,
        &[("care", FeedbackRouting::LowRatingsAsTickets), ("warehouse", FeedbackRouting::Digest)],
    ),
    ("billing", "Billing and payments", Audience::External, &[("accounting", FeedbackRouting::LowRatingsAsTickets)]),
    ("office", "The office", Audience::Internal, &[("hr", FeedbackRouting::Digest), ("it", FeedbackRouting::Digest)]),
];

/// Author, topic, stars, what they said, hours before now.
const FEEDBACK: &[(&str, &str, Option<i64>, &str, Millis)] = &[
    (
        "sol@sunrisebeans.example",
        "store",
        Some(1),
        "At Harbor Street the terrace chairs wobble and nobody wiped the tables all afternoon.",
        30,
    ),
    ("erin@example.com", "store", Some(5), "The new oat flat white at Pier 9 is perfect. Keep it!", 20),
    ("olga@bayside.example", "delivery", Some(4), "Our office deliveries always arrive before nine. Thank you.", 10),
    ("bea@harbor.example", "office", None, "Could the staff room get a second microwave? The lunch queue is long.", 5),
];

pub(super) async fn build_feedback(
    builder: &Builder,
    people: &HashMap<&'static str, Principal>,
    now: Millis,
) -> Result<(), AppError> {
    let app = builder.app();
    let teams = app.list_teams(builder.admin()).await?;
    let team_id = |slug: &str| teams.iter().find(|team| team.slug == slug).map(|team| team.id);
    for (slug, name, audience, owners) in TOPICS {
        let owners = owners
            .iter()
            .map(|(team, routing)| {
                let team_id = team_id(team).ok_or(AppError::NotFound("team"))?;
                Ok(OwnerInput { team_id, routing: *routing })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let input = TopicInput { slug: (*slug).into(), name: (*name).into(), audience: *audience, owners };
        app.create_topic(builder.admin(), input, now - 48 * HOUR).await?;
    }
    for (author, topic, rating, body, ago) in FEEDBACK {
        let input = FeedbackInput { topic: (*topic).into(), body: (*body).into(), rating: *rating };
        app.send_feedback(&people[author], input, now - ago * HOUR).await?;
    }
    let mut tx = app.store().begin().await?;
    tandem_store::feedback_routing::mark_sent_before(tx.conn(), now, now - HOUR).await?;
    tx.commit().await?;
    Ok(())
}
