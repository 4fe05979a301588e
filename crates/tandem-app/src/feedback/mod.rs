//! Feedback: the requester's satisfaction rating (CSAT) of a solved ticket (`csat.rs`), asked for
//! by email with signed links when it is solved (`ask.rs`), the weakest-link report that
//! attributes external customers' ratings along the service chain (`weakest_link.rs`), and
//! feedback routing: topics owned by teams (`topics.rs`), general feedback messages
//! (`messages.rs`), each piece of feedback sent as a ticket or into a digest (`routing.rs`), and
//! the daily digest job (`digest.rs`).

mod ask;
mod csat;
mod digest;
mod messages;
pub(crate) mod routing;
pub(crate) mod topics;
mod weakest_link;

pub(crate) use ask::ask_for_rating;
pub use csat::{RatingInput, SatisfactionOut};
pub(crate) use csat::{record_rating, satisfaction_of};
pub use digest::SendFeedbackDigests;
pub use messages::{FeedbackInput, FeedbackOut, RouteOut};
pub use topics::{OwnerInput, OwnerOut, TopicInput, TopicView};
pub use weakest_link::{WeakLink, WeakestLinks};
