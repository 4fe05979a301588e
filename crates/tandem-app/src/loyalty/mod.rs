//! Loyalty: the customer profile staff read (history across channels, satisfaction by month,
//! make-goods, referrals, purchases), referrals (recorded by agents or through a customer's
//! referral link), purchases (from the API or a CSV import), and the detractors list leads work.
//!
//! Only staff read profiles and purchases; only leads (and admins) read and work detractors; a
//! customer reaches nothing here but their own referral code and claiming someone else's. See
//! docs/designs/recovery-and-loyalty.md.

mod csv;
mod detractors;
mod profile;
mod purchases;
mod referrals;

pub use detractors::{DetractorOut, DetractorSource, SignalOut, WorkedInput, WorkedOut};
pub use profile::{ChannelCount, MonthCsat, ProfileMakeGood, ProfileOut, ProfileTicket, PurchaseTotal};
pub use purchases::{CSV_HEADER, ImportOutcome, PurchaseInput, PurchaseOut};
pub use referrals::{ReferralCode, ReferralInput, ReferralOut};

use tandem_domain::{PersonId, Principal};
use tandem_store::{Conn, recovery_budgets};

use crate::AppError;

/// Profiles, purchases and recording referrals belong to staff; to anyone else a person's
/// profile answers like a missing one.
fn require_staff(principal: &Principal) -> Result<(), AppError> {
    if principal.is_staff() { Ok(()) } else { Err(AppError::NotFound("person")) }
}

/// One entry of the loyalty audit trail about a person.
async fn audit(
    conn: Conn<'_>,
    person: PersonId,
    actor: PersonId,
    kind: &str,
    data: &serde_json::Value,
    now: tandem_domain::Millis,
) -> Result<(), AppError> {
    Ok(recovery_budgets::append_event(conn, "person", person.0, actor, kind, data, now).await?)
}
