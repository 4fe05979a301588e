//! Feedback routing: where feedback on a topic goes for each team that owns the topic, as a
//! ticket in the team's queue (to be acted on now) or in its daily digest (to be read).

use crate::macros::string_enum;

string_enum!(
    /// How an owning team receives the topic's feedback.
    FeedbackRouting { Digest => "digest", Tickets => "tickets", LowRatingsAsTickets => "low_ratings_as_tickets" }
);

string_enum!(
    /// Where a piece of feedback came from.
    FeedbackSource { Message => "message", Review => "review", Csat => "csat" }
);

/// Ratings at or below this are low (1 or 2 of 5 stars), as in the satisfaction reports.
pub const LOW_RATING: i64 = 2;

impl FeedbackRouting {
    /// Whether feedback with this rating (`None`: not rated) becomes a ticket; otherwise it waits
    /// for the digest.
    pub fn makes_ticket(self, rating: Option<i64>) -> bool {
        match self {
            FeedbackRouting::Digest => false,
            FeedbackRouting::Tickets => true,
            FeedbackRouting::LowRatingsAsTickets => rating.is_some_and(|rating| rating <= LOW_RATING),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_the_routing_says_becomes_a_ticket() {
        use FeedbackRouting::*;
        let check = |routing: FeedbackRouting, rating: Option<i64>, expect: bool| {
            assert_eq!(routing.makes_ticket(rating), expect, "{routing} {rating:?}");
        };
        for rating in [None, Some(1), Some(5)] {
            check(Digest, rating, false);
            check(Tickets, rating, true);
        }
        check(LowRatingsAsTickets, Some(1), true);
        check(LowRatingsAsTickets, Some(2), true);
        check(LowRatingsAsTickets, Some(3), false);
        check(LowRatingsAsTickets, Some(5), false);
        check(LowRatingsAsTickets, None, false);
    }
}
