//! Signed survey links: `/survey/{token}` answers a CSAT rating request or a survey invitation
//! without signing in; the token is the credential. Only its SHA-256 is stored. An unknown or
//! tampered token is "not found", an expired one "survey closed"; neither records anything.
//!
//! Answering again replaces the earlier answer. An anonymous survey's answers are stored under a
//! second hash of the token (`answer_key`), so only the link's holder finds them again: nothing
//! stored leads from an invitation (or a person) to the answers.

use base64::Engine;
use serde::{Deserialize, Serialize};
use tandem_domain::survey::{self, Answer, Question};
use tandem_domain::{FieldErrors, Millis, QuestionKind, SurveyKind};
use tandem_store::surveys::{self, InvitationRow, NewResponse};
use tandem_store::{Conn, satisfaction, teams, tickets};

use crate::auth::hash_token;
use crate::feedback::{RatingInput, record_rating, satisfaction_of};
use crate::{App, AppError, Instant, instant};

const TOKEN_PREFIX: &str = "sv_";

/// A fresh link token: 32 random bytes, URL-safe.
pub(crate) fn new_link_token() -> String {
    let mut bytes = [0_u8; 32];
    rand::fill(&mut bytes);
    format!("{TOKEN_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored to find a link again.
pub(crate) fn link_hash(token: &str) -> String {
    hash_token(token)
}

/// What an anonymous answer is stored under: derived from the token, never stored beside it.
fn answer_key(token: &str) -> String {
    hash_token(&format!("answer:{token}"))
}

/// What a link asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// A satisfaction rating of one solved request.
    Csat,
    Nps,
    Pulse,
}

/// The question set behind a link, with the answers it gave before (if any).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SurveyLinkView {
    pub kind: LinkKind,
    pub title: String,
    pub intro: String,
    pub questions: Vec<Question>,
    /// The answers are stored without the person's name.
    pub anonymous: bool,
    /// Answers can be changed until then.
    pub closes_at: Instant,
    /// The answers given with this link so far; answering again replaces them.
    pub answers: Vec<Answer>,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersInput {
    pub answers: Vec<Answer>,
}

/// What a link's token leads to.
enum Target {
    Rating(satisfaction::RatingLinkRow),
    Survey(InvitationRow),
}

impl App {
    /// The question set of a link.
    pub async fn survey_link(&self, token: &str, now: Millis) -> Result<SurveyLinkView, AppError> {
        let mut reader = self.store().read().await?;
        match target(reader.conn(), token, now).await? {
            Target::Rating(link) => rating_view(reader.conn(), &link).await,
            Target::Survey(invitation) => {
                let previous = surveys::response_by_key(reader.conn(), &answer_key(token)).await?;
                Ok(survey_view(invitation, previous.map(|row| row.answers.0).unwrap_or_default()))
            }
        }
    }

    /// Records the answers given with a link, replacing earlier ones; the link's view after it.
    pub async fn answer_survey_link(
        &self,
        token: &str,
        input: AnswersInput,
        now: Millis,
    ) -> Result<SurveyLinkView, AppError> {
        let mut tx = self.store().begin().await?;
        let view = match target(tx.conn(), token, now).await? {
            Target::Rating(link) => answer_rating(tx.conn(), &link, &input.answers, now).await?,
            Target::Survey(invitation) => answer_survey(tx.conn(), token, invitation, input.answers, now).await?,
        };
        tx.commit().await?;
        Ok(view)
    }
}

/// Finds the link; refuses an unknown token (404) and a closed survey (409) alike for reading and
/// answering.
async fn target(mut conn: Conn<'_>, token: &str, now: Millis) -> Result<Target, AppError> {
    const UNKNOWN: AppError = AppError::NotFound("survey link");
    if !token.starts_with(TOKEN_PREFIX) || token.len() > 64 {
        return Err(UNKNOWN);
    }
    let hash = link_hash(token);
    let (target, closes_at) = match satisfaction::link(conn.reborrow(), &hash).await? {
        Some(link) => {
            let closes_at = link.expires_at;
            (Target::Rating(link), closes_at)
        }
        None => match surveys::invitation(conn, &hash).await? {
            Some(invitation) => {
                let closes_at = invitation.closes_at;
                (Target::Survey(invitation), closes_at)
            }
            None => return Err(UNKNOWN),
        },
    };
    if closes_at <= now {
        return Err(AppError::conflict("survey_closed", "this survey is closed: answers are no longer taken"));
    }
    Ok(target)
}

/// A rating link's two questions: the 1–5 rating and a comment.
fn rating_questions() -> Vec<Question> {
    vec![
        Question {
            kind: QuestionKind::Scale1To5,
            text: "How happy are you with how your request was handled?".to_owned(),
            choices: Vec::new(),
        },
        Question { kind: QuestionKind::Text, text: "Anything to add?".to_owned(), choices: Vec::new() },
    ]
}

async fn rating_view(mut conn: Conn<'_>, link: &satisfaction::RatingLinkRow) -> Result<SurveyLinkView, AppError> {
    let ticket = tickets::get(conn.reborrow(), link.ticket_id).await?.ok_or(AppError::NotFound("survey link"))?;
    let team = teams::get(conn.reborrow(), ticket.team_id).await?.map(|team| team.name).unwrap_or_default();
    let rated = satisfaction_of(conn, ticket.id).await?;
    let answers = rated
        .map(|rated| {
            let mut answers = vec![Answer { question: 0, number: Some(rated.rating), text: None }];
            answers.extend(rated.comment.map(|text| Answer { question: 1, number: None, text: Some(text) }));
            answers
        })
        .unwrap_or_default();
    Ok(SurveyLinkView {
        kind: LinkKind::Csat,
        title: format!("How did we do on \u{201c}{}\u{201d}?", ticket.subject),
        intro: format!("Your request #{} was solved by {team}.", ticket.id.0),
        questions: rating_questions(),
        anonymous: false,
        closes_at: instant(link.expires_at),
        answers,
    })
}

/// A rating through its link: the same write as the portal's, as the link's person.
async fn answer_rating(
    mut conn: Conn<'_>,
    link: &satisfaction::RatingLinkRow,
    answers: &[Answer],
    now: Millis,
) -> Result<SurveyLinkView, AppError> {
    let mut errors = FieldErrors::new();
    let answers = survey::check_answers(&mut errors, &rating_questions(), answers);
    errors.into_result()?;
    tickets::lock(conn.reborrow(), link.ticket_id).await?;
    let ticket = tickets::get(conn.reborrow(), link.ticket_id).await?.ok_or(AppError::NotFound("survey link"))?;
    let rating = answers.iter().find(|answer| answer.question == 0).and_then(|answer| answer.number).unwrap_or(0);
    let comment = answers.iter().find(|answer| answer.question == 1).and_then(|answer| answer.text.clone());
    record_rating(conn.reborrow(), &ticket, link.person_id, RatingInput { rating, comment, topic: None }, now).await?;
    rating_view(conn, link).await
}

async fn answer_survey(
    mut conn: Conn<'_>,
    token: &str,
    invitation: InvitationRow,
    answers: Vec<Answer>,
    now: Millis,
) -> Result<SurveyLinkView, AppError> {
    let mut errors = FieldErrors::new();
    let answers = survey::check_answers(&mut errors, &invitation.questions.0, &answers);
    errors.into_result()?;
    let score = answers.first().and_then(|answer| answer.number).unwrap_or_default();
    let key = answer_key(token);
    let response = NewResponse {
        round_id: invitation.round_id,
        answer_key: &key,
        person_id: (!invitation.anonymous).then_some(invitation.person_id),
        department_id: invitation.department_id,
        score,
        answers: &answers,
    };
    surveys::upsert_response(conn.reborrow(), &response, now).await?;
    surveys::mark_answered(conn, invitation.id).await?;
    Ok(survey_view(invitation, answers))
}

fn survey_view(invitation: InvitationRow, answers: Vec<Answer>) -> SurveyLinkView {
    SurveyLinkView {
        kind: match invitation.kind {
            SurveyKind::Nps => LinkKind::Nps,
            SurveyKind::Pulse => LinkKind::Pulse,
        },
        title: invitation.title,
        intro: invitation.intro,
        questions: invitation.questions.0,
        anonymous: invitation.anonymous,
        closes_at: instant(invitation.closes_at),
        answers,
    }
}
