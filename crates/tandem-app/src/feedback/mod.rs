//! Feedback: the requester's satisfaction rating (CSAT) of a solved ticket (`csat.rs`), and the
//! weakest-link report that attributes external customers' ratings along the service chain
//! (`weakest_link.rs`).

mod csat;
mod weakest_link;

pub(crate) use csat::satisfaction_of;
pub use csat::{RatingInput, SatisfactionOut};
pub use weakest_link::{WeakLink, WeakestLinks};
