//! Reviews: an external customer's 1–5 star review of a service they may request, public (on the
//! help centre for everyone) or private (for them and staff). The service's team answers it once,
//! in public, and may hide an abusive public review with a reason. Who reads what is
//! `tandem_domain::ReviewFacts::access`; a review someone may not read is a 404, a change they may
//! not make to one they can read is a 403.
//!
//! `write.rs` holds the four writes (each with its audit event), `read.rs` one review and lists,
//! `views.rs` what each reader is shown.

mod read;
mod views;
mod write;

use tandem_domain::{Principal, ReviewAccess, ReviewFacts};
use tandem_store::reviews::ReviewRow;

pub use read::ReviewQuery;
pub use views::{AnswerOut, HiddenOut, ReviewEventOut, ReviewStaffOut, ReviewView};
pub use write::{AnswerInput, HideInput, ReviewInput, ReviewUpdate};

/// What `reader` may do with the review in `row`.
fn access(reader: Option<&Principal>, row: &ReviewRow) -> ReviewAccess {
    let facts = ReviewFacts {
        author_id: row.author_id,
        team_id: row.team_id,
        visibility: row.visibility,
        hidden: row.hidden_at.is_some(),
        service_audience: row.service_audience,
    };
    facts.access(reader)
}
