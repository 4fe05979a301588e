//! Feedback: the requester's satisfaction rating (CSAT) of a solved ticket (`csat.rs`), asked for
//! by email with signed links when it is solved (`ask.rs`), and the weakest-link report that
//! attributes external customers' ratings along the service chain (`weakest_link.rs`).

mod ask;
mod csat;
mod weakest_link;

pub(crate) use ask::ask_for_rating;
pub use csat::{RatingInput, SatisfactionOut};
pub(crate) use csat::{record_rating, satisfaction_of};
pub use weakest_link::{WeakLink, WeakestLinks};
