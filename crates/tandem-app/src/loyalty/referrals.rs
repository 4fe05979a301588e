//! Referrals: who referred whom. Agents record one (`record_referral`); a customer's referral
//! link carries their code, and the person who follows it is recorded as referred with their
//! first request (`claim_referral`). A person is referred once.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{Millis, PersonId, Principal};
use tandem_store::loyalty::{self, NewReferral};
use tandem_store::people;

use super::{audit, require_staff};
use crate::{App, AppError, Instant, instant};

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralInput {
    pub referrer_id: PersonId,
    pub referred_id: PersonId,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReferralOut {
    pub referrer_id: PersonId,
    pub referrer_name: String,
    pub referred_id: PersonId,
    pub referred_name: String,
    /// `agent` (recorded by staff) or `link` (through a referral link).
    pub source: String,
    pub note: Option<String>,
    pub created_at: Instant,
}

impl From<loyalty::ReferralRow> for ReferralOut {
    fn from(row: loyalty::ReferralRow) -> Self {
        ReferralOut {
            referrer_id: row.referrer_id,
            referrer_name: row.referrer_name,
            referred_id: row.referred_id,
            referred_name: row.referred_name,
            source: row.source,
            note: row.note,
            created_at: instant(row.created_at),
        }
    }
}

/// A person's own referral code and the path of their link.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReferralCode {
    pub code: String,
    /// `/portal/join?ref=CODE`: the first request sent from it records the referral.
    pub path: String,
    /// How many people they referred.
    pub referred: i64,
}

impl App {
    /// Staff record that one person referred another.
    pub async fn record_referral(
        &self,
        principal: &Principal,
        input: ReferralInput,
        now: Millis,
    ) -> Result<ReferralOut, AppError> {
        require_staff(principal)?;
        let mut errors = FieldErrors::new();
        if let Some(note) = &input.note {
            validate::bounded_text(&mut errors, "note", note, 2_000, false);
        }
        if input.referrer_id == input.referred_id {
            errors.add("referred_id", "nobody refers themselves");
        }
        let mut tx = self.store().begin().await?;
        for (field, id) in [("referrer_id", input.referrer_id), ("referred_id", input.referred_id)] {
            if people::get(tx.conn(), id).await?.is_none() {
                errors.add(field, "no such person");
            }
        }
        errors.into_result()?;
        let note = input.note.as_deref().map(str::trim).filter(|note| !note.is_empty());
        let new = NewReferral {
            referrer_id: input.referrer_id,
            referred_id: input.referred_id,
            source: "agent",
            recorded_by: Some(principal.person_id),
            note,
        };
        if !loyalty::insert_referral(tx.conn(), new, now).await? {
            return Err(AppError::conflict("already_referred", "this person's referral is already recorded"));
        }
        let data = json!({ "referrer_id": input.referrer_id, "source": "agent", "note": note });
        audit(tx.conn(), input.referred_id, principal.person_id, "referral_recorded", &data, now).await?;
        let row = loyalty::referrals_of(tx.conn(), input.referred_id, 50).await?;
        let row =
            row.into_iter().find(|row| row.referred_id == input.referred_id).ok_or(AppError::NotFound("referral"))?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// The caller's referral code, made the first time they ask.
    pub async fn referral_code(&self, principal: &Principal, now: Millis) -> Result<ReferralCode, AppError> {
        let mut tx = self.store().begin().await?;
        if loyalty::code_of(tx.conn(), principal.person_id).await?.is_none() {
            let code = new_code();
            loyalty::insert_code(tx.conn(), principal.person_id, &code, now).await?;
            let data = json!({ "code": code });
            audit(tx.conn(), principal.person_id, principal.person_id, "referral_code_created", &data, now).await?;
        }
        let code = loyalty::code_of(tx.conn(), principal.person_id).await?.ok_or(AppError::NotFound("code"))?;
        let made = loyalty::referrals_of(tx.conn(), principal.person_id, 1_000).await?;
        tx.commit().await?;
        let referred = made.iter().filter(|row| row.referrer_id == principal.person_id).count() as i64;
        Ok(ReferralCode { path: format!("/portal/join?ref={code}"), code, referred })
    }

    /// The caller came through `code`'s link: records them as referred by its owner, if this is
    /// their first request (or before it) and nobody referred them yet. Returns whether it did.
    pub async fn claim_referral(&self, principal: &Principal, code: &str, now: Millis) -> Result<bool, AppError> {
        let code = code.trim();
        let mut tx = self.store().begin().await?;
        let Some(owner) = loyalty::owner_of_code(tx.conn(), code).await? else {
            return Err(AppError::invalid("code", "is not a referral code"));
        };
        if owner == principal.person_id || loyalty::requests_of(tx.conn(), principal.person_id).await? > 1 {
            return Ok(false);
        }
        let new = NewReferral {
            referrer_id: owner,
            referred_id: principal.person_id,
            source: "link",
            recorded_by: None,
            note: None,
        };
        if !loyalty::insert_referral(tx.conn(), new, now).await? {
            return Ok(false);
        }
        let data = json!({ "referrer_id": owner, "source": "link" });
        audit(tx.conn(), principal.person_id, principal.person_id, "referral_recorded", &data, now).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// Eight letters and digits, without the ones people misread (0/O, 1/I/L).
fn new_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    (0..8).map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char).collect()
}
