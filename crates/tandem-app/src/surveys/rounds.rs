//! Sending surveys in rounds. A round is opened by an admin ("send now") or by the schedule
//! (`OpenDueSurveys`, one deduplicated job a minute across nodes); it is sent by `SendSurveyRound`
//! jobs that walk the audience a batch at a time. Each person's invitation row (unique per round
//! and person) is claimed before their email is queued, in the job's transaction, so each person
//! gets each round once however many nodes or retries run it.

use serde::{Deserialize, Serialize};
use tandem_domain::{Millis, PersonId, Principal, SurveyId, SurveyRoundId};
use tandem_store::surveys::{self, SurveyRow};
use tandem_store::{Conn, Tx};

use super::DAY_MS;
use super::define::{RoundView, require_admin, round_view};
use super::links::{link_hash, new_link_token};
use crate::jobs::{self, Job, JobContext, Schedule};
use crate::mail::Outbound;
use crate::mail::outbox::{self, Invitation};
use crate::{App, AppError};

/// People invited per job: each is an insert and maybe an email, so a batch is a short write.
pub(crate) const BATCH: i64 = 100;
/// Surveys whose rounds one scheduler job opens; more wait for the next minute.
const DUE_PER_RUN: i64 = 20;
const MINUTE_MS: Millis = 60_000;

impl App {
    /// Opens a new round of the survey now and starts sending it.
    pub async fn send_survey_now(
        &self,
        principal: &Principal,
        id: SurveyId,
        now: Millis,
    ) -> Result<RoundView, AppError> {
        require_admin(principal)?;
        let mut tx = self.store().begin().await?;
        let survey = surveys::get(tx.conn(), id).await?.ok_or(AppError::NotFound("survey"))?;
        let round = open_round(tx.conn(), &survey, now).await?.ok_or_else(|| AppError::version_conflict("survey"))?;
        let row = surveys::round(tx.conn(), round).await?.ok_or(AppError::NotFound("survey round"))?;
        tx.commit().await?;
        tracing::info!(survey.id = id.0, round = row.number, "survey {id} sent now");
        Ok(round_view(row))
    }
}

/// Opens the survey's next round (closing `open_days` later), moves its schedule on and enqueues
/// the round's first sending job; `None` if another writer opened it first.
async fn open_round(mut conn: Conn<'_>, survey: &SurveyRow, now: Millis) -> Result<Option<SurveyRoundId>, AppError> {
    let next = survey.every_days.filter(|_| survey.active).map(|days| now + days * DAY_MS);
    let closes = now + survey.open_days * DAY_MS;
    let Some(round) = surveys::open_round(conn.reborrow(), survey, next, closes, now).await? else { return Ok(None) };
    SendSurveyRound { round, after: PersonId(0) }.enqueue(conn, now).await?;
    Ok(Some(round))
}

/// Opens the rounds that are due (periodic).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenDueSurveys {}

impl OpenDueSurveys {
    pub fn schedule() -> Schedule {
        Schedule::every(MINUTE_MS, &OpenDueSurveys {})
    }
}

impl Job for OpenDueSurveys {
    const KIND: &'static str = "open_due_surveys";

    async fn run(&self, tx: &mut Tx, context: JobContext<'_>) -> anyhow::Result<()> {
        for survey in surveys::due(tx.conn(), context.now, DUE_PER_RUN).await? {
            open_round(tx.conn(), &survey, context.now).await?;
        }
        Ok(())
    }
}

/// Invites the audience of `round` with person ids above `after`, a batch at a time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendSurveyRound {
    pub round: SurveyRoundId,
    pub after: PersonId,
}

impl SendSurveyRound {
    /// Enqueued once per (round, position): a batch enqueued twice runs once.
    async fn enqueue(&self, conn: Conn<'_>, now: Millis) -> Result<bool, AppError> {
        let key = format!("send_survey_round:{}:{}", self.round, self.after);
        jobs::enqueue(conn, self, Some(&key), now, now).await
    }
}

impl Job for SendSurveyRound {
    const KIND: &'static str = "send_survey_round";

    async fn run(&self, tx: &mut Tx, context: JobContext<'_>) -> anyhow::Result<()> {
        send_batch(tx.conn(), context.outbound, self, context.now).await?;
        Ok(())
    }
}

/// Claims `person`'s invitation to `round` with a fresh link; its token, or `None` if they
/// already have one.
pub(crate) async fn invite(
    conn: Conn<'_>,
    round: SurveyRoundId,
    person: PersonId,
    now: Millis,
) -> Result<Option<String>, AppError> {
    let token = new_link_token();
    let claimed = surveys::claim_invitation(conn, round, person, &link_hash(&token), now).await?;
    Ok(claimed.then_some(token))
}

async fn send_batch(
    mut conn: Conn<'_>,
    outbound: Option<&Outbound>,
    job: &SendSurveyRound,
    now: Millis,
) -> Result<(), AppError> {
    let Some(round) = surveys::round(conn.reborrow(), job.round).await? else { return Ok(()) };
    let Some(survey) = surveys::get(conn.reborrow(), round.survey_id).await? else { return Ok(()) };
    if round.closes_at <= now {
        return Ok(());
    }
    let people =
        surveys::audience_after(conn.reborrow(), survey.audience, survey.department_id, job.after, BATCH).await?;
    let invitation = Invitation {
        title: &survey.title,
        intro: &survey.intro,
        anonymous: survey.anonymous,
        min_group: survey.min_group,
        closes: round.closes_at,
    };
    for &person in &people {
        let Some(token) = invite(conn.reborrow(), round.id, person, now).await? else { continue };
        if let Some(outbound) = outbound {
            outbox::queue_survey_invitation(conn.reborrow(), outbound, person, &invitation, &token, now).await?;
        }
    }
    if let Some(&last) = people.last()
        && people.len() as i64 == BATCH
    {
        SendSurveyRound { round: round.id, after: last }.enqueue(conn, now).await?;
    }
    Ok(())
}
