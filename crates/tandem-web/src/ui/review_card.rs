//! One review as every page draws it (`templates/review_card.html`): the help centre's public
//! list, the customer's "My reviews" and the agent console. Built only from what
//! `App::list_reviews` gave the viewer, so a card never shows more than the API would.

use tandem_app::reviews::ReviewView;
use tandem_domain::ReviewVisibility;

use super::agent::format::day;

pub struct ReviewCard {
    pub id: i64,
    pub service: String,
    /// "★★★★☆", with `rating` for screen readers.
    pub stars: String,
    pub rating: i64,
    pub title: String,
    pub body: String,
    pub author: String,
    pub written: String,
    pub private: bool,
    pub answer: Option<String>,
    /// Why it was hidden (its author and staff only).
    pub hidden_reason: Option<String>,
    pub mine: bool,
    pub can_moderate: bool,
    /// The team whose answer it awaits (staff only).
    pub team: Option<String>,
}

impl From<ReviewView> for ReviewCard {
    fn from(review: ReviewView) -> Self {
        let rating = review.rating.clamp(0, 5);
        let stars: String = (0..5).map(|index| if index < rating { '★' } else { '☆' }).collect();
        ReviewCard {
            id: review.id.0,
            service: review.service.name,
            stars,
            rating: review.rating,
            title: review.title,
            body: review.body,
            author: review.author_name,
            written: day(review.created_at),
            private: review.visibility == ReviewVisibility::Private,
            answer: review.answer.map(|answer| answer.body),
            hidden_reason: review.hidden.map(|hidden| hidden.reason),
            mine: review.mine,
            can_moderate: review.can_moderate,
            team: review.staff.map(|staff| staff.team.name),
        }
    }
}
