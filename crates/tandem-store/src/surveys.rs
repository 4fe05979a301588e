//! NPS and pulse surveys: the definition, its rounds (one sending each, with the questions as
//! sent), the invitations (one per round and person, claimed before the email is queued) and the
//! responses. An anonymous survey's response carries neither the person nor its invitation: it is
//! found again only by `answer_key`, which the link's holder derives from the token.

use tandem_domain::survey::{Answer, Question};
use tandem_domain::{Millis, PersonId, SurveyAudience, SurveyId, SurveyKind, SurveyRoundId, TeamId};

use crate::json::{JsonText, to_text};
use crate::{Conn, StoreError, on_conn};

macro_rules! survey_columns {
    () => {
        "SELECT id, kind, title, intro, questions, audience, department_id, every_days, open_days, anonymous, \
         min_group, active, next_round_at, rounds, created_by, version, created_at, updated_at FROM surveys"
    };
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct SurveyRow {
    pub id: SurveyId,
    pub kind: SurveyKind,
    pub title: String,
    pub intro: String,
    #[sqlx(try_from = "String")]
    pub questions: JsonText<Vec<Question>>,
    pub audience: SurveyAudience,
    pub department_id: Option<TeamId>,
    pub every_days: Option<i64>,
    pub open_days: i64,
    pub anonymous: bool,
    pub min_group: i64,
    pub active: bool,
    pub next_round_at: Option<Millis>,
    pub rounds: i64,
    pub created_by: PersonId,
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// What an admin writes about a survey.
#[derive(Clone, Debug, PartialEq)]
pub struct SurveyFields {
    pub kind: SurveyKind,
    pub title: String,
    pub intro: String,
    pub questions: Vec<Question>,
    pub audience: SurveyAudience,
    pub department_id: Option<TeamId>,
    pub every_days: Option<i64>,
    pub open_days: i64,
    pub anonymous: bool,
    pub min_group: i64,
    pub active: bool,
    pub next_round_at: Option<Millis>,
}

pub async fn insert(
    conn: Conn<'_>,
    fields: &SurveyFields,
    created_by: PersonId,
    now: Millis,
) -> Result<SurveyId, StoreError> {
    const SQL: &str = "INSERT INTO surveys (kind, title, intro, questions, audience, department_id, every_days, \
         open_days, anonymous, min_group, active, next_round_at, rounds, created_by, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, 1, $14, $14) RETURNING id";
    let questions = to_text(&fields.questions)?;
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, SurveyId>(SQL)
        .bind(fields.kind).bind(&fields.title).bind(&fields.intro).bind(&questions).bind(fields.audience)
        .bind(fields.department_id).bind(fields.every_days).bind(fields.open_days).bind(fields.anonymous)
        .bind(fields.min_group).bind(fields.active).bind(fields.next_round_at).bind(created_by).bind(now)
        .fetch_one(&mut *c).await)?)
}

/// Writes every field if the survey is still at `expected_version`; `false` if not.
pub async fn update(
    conn: Conn<'_>,
    id: SurveyId,
    expected_version: i64,
    fields: &SurveyFields,
    now: Millis,
) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE surveys SET kind = $3, title = $4, intro = $5, questions = $6, audience = $7, \
         department_id = $8, every_days = $9, open_days = $10, anonymous = $11, min_group = $12, active = $13, \
         next_round_at = $14, version = version + 1, updated_at = $15 WHERE id = $1 AND version = $2";
    let questions = to_text(&fields.questions)?;
    let changed = on_conn!(conn, c => sqlx::query(SQL)
        .bind(id).bind(expected_version).bind(fields.kind).bind(&fields.title).bind(&fields.intro).bind(&questions)
        .bind(fields.audience).bind(fields.department_id).bind(fields.every_days).bind(fields.open_days)
        .bind(fields.anonymous).bind(fields.min_group).bind(fields.active).bind(fields.next_round_at).bind(now)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(changed == 1)
}

pub async fn get(conn: Conn<'_>, id: SurveyId) -> Result<Option<SurveyRow>, StoreError> {
    const SQL: &str = concat!(survey_columns!(), " WHERE id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, SurveyRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Surveys with ids below `before`, newest first.
pub async fn list(conn: Conn<'_>, before: SurveyId, limit: i64) -> Result<Vec<SurveyRow>, StoreError> {
    const SQL: &str = concat!(survey_columns!(), " WHERE id < $1 ORDER BY id DESC LIMIT $2");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, SurveyRow>(SQL).bind(before).bind(limit).fetch_all(&mut *c).await)?)
}

/// Active surveys whose next round is due at `now` (the `surveys_due` index).
pub async fn due(conn: Conn<'_>, now: Millis, limit: i64) -> Result<Vec<SurveyRow>, StoreError> {
    const SQL: &str =
        concat!(survey_columns!(), " WHERE next_round_at <= $1 AND active ORDER BY next_round_at, id LIMIT $2");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, SurveyRow>(SQL).bind(now).bind(limit).fetch_all(&mut *c).await)?)
}

/// Opens round `number` of a survey at `version` and moves its schedule on; `None` when the
/// survey changed meanwhile (another node opened the round first).
pub async fn open_round(
    mut conn: Conn<'_>,
    survey: &SurveyRow,
    next_round_at: Option<Millis>,
    closes_at: Millis,
    now: Millis,
) -> Result<Option<SurveyRoundId>, StoreError> {
    const MOVE: &str = "UPDATE surveys SET rounds = rounds + 1, next_round_at = $3, version = version + 1, \
         updated_at = $4 WHERE id = $1 AND version = $2";
    const ROUND: &str = "INSERT INTO survey_rounds (survey_id, number, questions, opened_at, closes_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id";
    let moved = on_conn!(conn.reborrow(), c => sqlx::query(MOVE)
        .bind(survey.id).bind(survey.version).bind(next_round_at).bind(now)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    if moved != 1 {
        return Ok(None);
    }
    let questions = to_text(&survey.questions.0)?;
    Ok(Some(on_conn!(conn, c => sqlx::query_scalar::<_, SurveyRoundId>(ROUND)
        .bind(survey.id).bind(survey.rounds + 1).bind(&questions).bind(now).bind(closes_at)
        .fetch_one(&mut *c).await)?))
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct RoundRow {
    pub id: SurveyRoundId,
    pub survey_id: SurveyId,
    pub number: i64,
    #[sqlx(try_from = "String")]
    pub questions: JsonText<Vec<Question>>,
    pub opened_at: Millis,
    pub closes_at: Millis,
    /// How many were invited, and how many of them answered.
    pub invited: i64,
    pub answered: i64,
}

macro_rules! round_columns {
    () => {
        "SELECT r.id, r.survey_id, r.number, r.questions, r.opened_at, r.closes_at, \
         (SELECT COUNT(*) FROM survey_invitations i WHERE i.round_id = r.id) AS invited, \
         (SELECT COUNT(*) FROM survey_invitations i WHERE i.round_id = r.id AND i.answered) AS answered \
         FROM survey_rounds r"
    };
}

pub async fn round(conn: Conn<'_>, id: SurveyRoundId) -> Result<Option<RoundRow>, StoreError> {
    const SQL: &str = concat!(round_columns!(), " WHERE r.id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, RoundRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Round `number` of a survey.
pub async fn round_numbered(conn: Conn<'_>, survey: SurveyId, number: i64) -> Result<Option<RoundRow>, StoreError> {
    const SQL: &str = concat!(round_columns!(), " WHERE r.survey_id = $1 AND r.number = $2");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, RoundRow>(SQL).bind(survey).bind(number).fetch_optional(&mut *c).await)?)
}

/// A survey's rounds, the latest first (a handful: one per sending).
pub async fn rounds(conn: Conn<'_>, survey: SurveyId, limit: i64) -> Result<Vec<RoundRow>, StoreError> {
    const SQL: &str = concat!(round_columns!(), " WHERE r.survey_id = $1 ORDER BY r.number DESC LIMIT $2");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, RoundRow>(SQL).bind(survey).bind(limit).fetch_all(&mut *c).await)?)
}

/// The next `limit` people of an audience with ids above `after`, in id order.
pub async fn audience_after(
    conn: Conn<'_>,
    audience: SurveyAudience,
    department: Option<TeamId>,
    after: PersonId,
    limit: i64,
) -> Result<Vec<PersonId>, StoreError> {
    const SQL: &str = "SELECT id FROM people WHERE id > $1 AND kind = $2 \
         AND ($3 IS NULL OR department_id = $3) ORDER BY id LIMIT $4";
    let kind = if audience == SurveyAudience::External { "external" } else { "employee" };
    let department = if audience == SurveyAudience::Department { department.map(|id| id.0) } else { None };
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, PersonId>(SQL)
        .bind(after).bind(kind).bind(department).bind(limit).fetch_all(&mut *c).await)?)
}

/// Claims the invitation of `person` to `round`; `false` when they already have one.
pub async fn claim_invitation(
    conn: Conn<'_>,
    round: SurveyRoundId,
    person: PersonId,
    token_hash: &str,
    now: Millis,
) -> Result<bool, StoreError> {
    const SQL: &str = "INSERT INTO survey_invitations (round_id, person_id, token_hash, answered, created_at) \
         VALUES ($1, $2, $3, FALSE, $4) ON CONFLICT (round_id, person_id) DO NOTHING";
    let added = on_conn!(conn, c => sqlx::query(SQL)
        .bind(round).bind(person).bind(token_hash).bind(now)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(added == 1)
}

/// An invitation found by its link, with what answering it needs.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub round_id: SurveyRoundId,
    pub person_id: PersonId,
    pub department_id: Option<TeamId>,
    pub survey_id: SurveyId,
    pub kind: SurveyKind,
    pub title: String,
    pub intro: String,
    pub anonymous: bool,
    #[sqlx(try_from = "String")]
    pub questions: JsonText<Vec<Question>>,
    pub closes_at: Millis,
}

pub async fn invitation(conn: Conn<'_>, token_hash: &str) -> Result<Option<InvitationRow>, StoreError> {
    const SQL: &str = "SELECT i.id, i.round_id, i.person_id, p.department_id, s.id AS survey_id, s.kind, s.title, \
         s.intro, s.anonymous, r.questions, r.closes_at FROM survey_invitations i \
         JOIN survey_rounds r ON r.id = i.round_id JOIN surveys s ON s.id = r.survey_id \
         JOIN people p ON p.id = i.person_id WHERE i.token_hash = $1";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, InvitationRow>(SQL).bind(token_hash).fetch_optional(&mut *c).await)?)
}

/// Records only that the invitation was answered: no time, no reference to the answers.
pub async fn mark_answered(conn: Conn<'_>, invitation: i64) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE survey_invitations SET answered = TRUE WHERE id = $1";
    on_conn!(conn, c => sqlx::query(SQL).bind(invitation).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// A response as it is written.
#[derive(Clone, Debug)]
pub struct NewResponse<'a> {
    pub round_id: SurveyRoundId,
    pub answer_key: &'a str,
    /// Only in surveys that are not anonymous.
    pub person_id: Option<PersonId>,
    pub department_id: Option<TeamId>,
    pub score: i64,
    pub answers: &'a [Answer],
}

/// Records the answers of one link, replacing its earlier ones.
pub async fn upsert_response(conn: Conn<'_>, response: &NewResponse<'_>, now: Millis) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO survey_responses (round_id, answer_key, person_id, department_id, score, answers, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (answer_key) DO UPDATE SET score = excluded.score, answers = excluded.answers, \
         updated_at = excluded.updated_at";
    let answers = to_text(&response.answers)?;
    on_conn!(conn, c => sqlx::query(SQL)
        .bind(response.round_id).bind(response.answer_key).bind(response.person_id).bind(response.department_id)
        .bind(response.score).bind(&answers).bind(now)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// One response as results read it: no person, no time.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ResponseRow {
    pub department_id: Option<TeamId>,
    pub score: i64,
    #[sqlx(try_from = "String")]
    pub answers: JsonText<Vec<Answer>>,
}

/// The answers a link gave before, if any.
pub async fn response_by_key(conn: Conn<'_>, answer_key: &str) -> Result<Option<ResponseRow>, StoreError> {
    const SQL: &str = "SELECT department_id, score, answers FROM survey_responses WHERE answer_key = $1";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, ResponseRow>(SQL).bind(answer_key).fetch_optional(&mut *c).await)?)
}

/// Every response of a round (results are computed over all of them; a round's responses are at
/// most its audience).
pub async fn responses(conn: Conn<'_>, round: SurveyRoundId) -> Result<Vec<ResponseRow>, StoreError> {
    const SQL: &str = "SELECT department_id, score, answers FROM survey_responses WHERE round_id = $1 ORDER BY id";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, ResponseRow>(SQL).bind(round).fetch_all(&mut *c).await)?)
}
