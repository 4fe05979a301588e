//! The demo's reviews: Harbor Coffee's customers on the services they use, public and private,
//! most answered by the team that owns the service, and one angry public review nobody has
//! answered yet (the console lists it first).

use std::collections::HashMap;

use tandem_domain::{Millis, Principal, ReviewVisibility};

use crate::AppError;
use crate::reviews::{AnswerInput, ReviewInput};

const HOUR: Millis = 60 * 60 * 1000;

/// Author, service, stars, visibility, title, text, hours before now, and the owning team's
/// answer (by whom, what) if it has one.
type Review = (
    &'static str,
    &'static str,
    i64,
    ReviewVisibility,
    &'static str,
    &'static str,
    Millis,
    Option<(&'static str, &'static str)>,
);

const REVIEWS: &[Review] = &[
    (
        "erin@example.com",
        "product-question",
        5,
        ReviewVisibility::Public,
        "They know their beans",
        "I asked which grind suits my moka pot and got a clear answer the same morning, with a tip on water temperature I had never heard of.",
        9 * 24 * HOUR,
        Some((
            "casey@harbor.example",
            "Thank you, Erin! Enjoy the moka pot, and tell us how the Harbor Blend works in it.",
        )),
    ),
    (
        "olga@bayside.example",
        "order-problem",
        4,
        ReviewVisibility::Public,
        "Office order put right quickly",
        "Our office order came with the wrong filters. Care sent the right ones within two days and let us keep the others. One star off because we had to chase once.",
        6 * 24 * HOUR,
        Some((
            "casey@harbor.example",
            "Thanks, Olga. Sorry about the chasing: we now confirm every replacement by email the day it ships.",
        )),
    ),
    (
        "erin@example.com",
        "store-feedback",
        3,
        ReviewVisibility::Public,
        "Lovely baristas, long queue",
        "The Old Town baristas are lovely and the flat white is the best in town, but on Saturday mornings the queue goes out of the door.",
        4 * 24 * HOUR,
        Some(("mia@harbor.example", "Thank you! Old Town now opens a second till on Saturdays from 9 to 12.")),
    ),
    (
        "olga@bayside.example",
        "store-feedback",
        2,
        ReviewVisibility::Private,
        "Pier 9 at lunchtime",
        "Not for the website: Pier 9 was out of oat milk twice last week and the tables were not cleared. Our team goes there every day.",
        3 * 24 * HOUR,
        Some((
            "mia@harbor.example",
            "Thank you for telling us directly, Olga. We have passed it to the Pier 9 manager and doubled the oat milk order.",
        )),
    ),
    (
        "sol@sunrisebeans.example",
        "order-problem",
        1,
        ReviewVisibility::Public,
        "Nobody answers",
        "Two weeks and three emails about a wrong order of cups for our office, and not one answer. Very disappointing from a company we also supply.",
        20 * HOUR,
        None,
    ),
];

/// Writes the demo's reviews and answers, each at its moment before `now`.
pub(super) async fn build_reviews(
    app: &crate::App,
    people: &HashMap<&'static str, Principal>,
    now: Millis,
) -> Result<(), AppError> {
    for (author, service, rating, visibility, title, body, ago, answer) in REVIEWS {
        let input = ReviewInput {
            service: (*service).into(),
            rating: *rating,
            title: (*title).into(),
            body: (*body).into(),
            visibility: *visibility,
            topic: None,
        };
        let review = app.create_review(&people[author], input, now - ago).await?;
        if let Some((agent, text)) = answer {
            let input = AnswerInput { answer: (*text).into() };
            app.answer_review(&people[agent], review.id, input, now - ago + 3 * HOUR).await?;
        }
    }
    Ok(())
}
