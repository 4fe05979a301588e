//! Detractors: customers (and employees, as customers) showing they may walk away, flagged for
//! leads to work. Each reason is a [`DetractorSource`] with its own query; the list merges them by
//! person. Another signal is one more variant and one more arm in [`signals`]: the list, the page
//! and "worked" need no change.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{Millis, PersonId, PersonKind, Principal, TeamRole};
use tandem_store::loyalty::{self, SignalRow};
use tandem_store::{Conn, people};

use super::audit;
use crate::{App, AppError, Instant, instant};

/// Why a person is on the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DetractorSource {
    /// Two or more CSAT ratings of 2 or less in 90 days.
    RepeatedLowCsat,
    /// A make-good they declined, or one a lead rejected, in 90 days.
    RefusedMakeGood,
    /// An NPS answer of 0 to 6 that names its customer, in 90 days.
    LowNps,
    /// A review of 1 or 2 stars, not hidden, the team has not answered, in 90 days.
    UnansweredBadReview,
}

impl DetractorSource {
    pub const ALL: [DetractorSource; 4] = [
        DetractorSource::RepeatedLowCsat,
        DetractorSource::RefusedMakeGood,
        DetractorSource::LowNps,
        DetractorSource::UnansweredBadReview,
    ];
}

const WINDOW_MS: Millis = 90 * 24 * 3_600_000;
const LOW_RATINGS: i64 = 2;

/// The people a source flags since `since`.
async fn signals(conn: Conn<'_>, source: DetractorSource, since: Millis) -> Result<Vec<SignalRow>, AppError> {
    Ok(match source {
        DetractorSource::RepeatedLowCsat => loyalty::repeated_low_ratings(conn, since, LOW_RATINGS).await?,
        DetractorSource::RefusedMakeGood => loyalty::refused_make_goods(conn, since).await?,
        DetractorSource::LowNps => loyalty::low_nps_answers(conn, since).await?,
        DetractorSource::UnansweredBadReview => loyalty::unanswered_bad_reviews(conn, since).await?,
    })
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DetractorOut {
    pub person_id: PersonId,
    pub name: String,
    pub email: String,
    pub kind: PersonKind,
    pub signals: Vec<SignalOut>,
    pub latest_signal_at: Instant,
    /// The latest time a lead worked them, if any.
    pub worked: Option<WorkedOut>,
    /// True until a lead works them after their latest signal.
    pub open: bool,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SignalOut {
    pub source: DetractorSource,
    pub count: i64,
    pub latest_at: Instant,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct WorkedOut {
    pub by: String,
    pub note: String,
    pub at: Instant,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkedInput {
    /// What the lead did ("Called her; refund sent and a voucher accepted").
    pub note: String,
}

/// Leads of any team and admins work the list; other staff may not (403); anyone else finds nothing.
fn require_lead(principal: &Principal) -> Result<(), AppError> {
    if !principal.is_staff() {
        return Err(AppError::NotFound("detractors"));
    }
    let lead = principal.memberships.iter().any(|membership| membership.role == TeamRole::Lead);
    if principal.is_admin || lead { Ok(()) } else { Err(AppError::forbidden("only leads work the detractors list")) }
}

impl App {
    /// Everyone flagged in the last 90 days, open ones first, then by their latest signal.
    pub async fn detractors(&self, principal: &Principal, now: Millis) -> Result<Vec<DetractorOut>, AppError> {
        require_lead(principal)?;
        let mut reader = self.store().read().await?;
        let mut flagged: BTreeMap<PersonId, Vec<SignalOut>> = BTreeMap::new();
        for source in DetractorSource::ALL {
            for row in signals(reader.conn(), source, now - WINDOW_MS).await? {
                let signal = SignalOut { source, count: row.count, latest_at: instant(row.latest) };
                flagged.entry(row.person_id).or_default().push(signal);
            }
        }
        let mut list = Vec::with_capacity(flagged.len());
        for (person_id, signals) in flagged {
            let Some(person) = people::get(reader.conn(), person_id).await? else { continue };
            let latest = signals.iter().map(|signal| signal.latest_at).max().unwrap_or(instant(0));
            let note = loyalty::latest_detractor_note(reader.conn(), person_id).await?;
            let open = note.as_ref().is_none_or(|note| instant(note.created_at) < latest);
            list.push(DetractorOut {
                person_id,
                name: person.fields.name,
                email: person.fields.email,
                kind: person.fields.kind,
                signals,
                latest_signal_at: latest,
                worked: note.map(|note| WorkedOut {
                    by: note.worked_by_name,
                    note: note.note,
                    at: instant(note.created_at),
                }),
                open,
            });
        }
        list.sort_by(|a, b| b.open.cmp(&a.open).then(b.latest_signal_at.cmp(&a.latest_signal_at)));
        Ok(list)
    }

    /// A lead records that they worked a detractor.
    pub async fn work_detractor(
        &self,
        principal: &Principal,
        person: PersonId,
        input: WorkedInput,
        now: Millis,
    ) -> Result<WorkedOut, AppError> {
        require_lead(principal)?;
        let mut errors = FieldErrors::new();
        validate::bounded_text(&mut errors, "note", &input.note, 4_000, true);
        errors.into_result()?;
        let note = input.note.trim();
        let mut tx = self.store().begin().await?;
        if people::get(tx.conn(), person).await?.is_none() {
            return Err(AppError::NotFound("person"));
        }
        loyalty::insert_detractor_note(tx.conn(), person, principal.person_id, note, now).await?;
        audit(tx.conn(), person, principal.person_id, "detractor_worked", &serde_json::json!({ "note": note }), now)
            .await?;
        tx.commit().await?;
        Ok(WorkedOut { by: principal.name.clone(), note: note.to_owned(), at: instant(now) })
    }
}
