//! Defining surveys (admins) and reading their definitions (admins and leads). Anyone else is
//! answered 404 for every survey, as for a missing one.

use serde::{Deserialize, Serialize};
use tandem_domain::survey::{self, Question};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{Millis, Principal, SurveyAudience, SurveyId, SurveyKind, TeamId, TeamKind, TeamRole};
use tandem_store::surveys::{self, RoundRow, SurveyFields, SurveyRow};
use tandem_store::{Conn, teams};

use super::DAY_MS;
use crate::page::{Page, PageRequest, decode_cursor, encode_cursor};
use crate::tickets::NamedRef;
use crate::{App, AppError, Instant, instant};

/// A survey as an admin writes it.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyInput {
    pub kind: SurveyKind,
    pub title: String,
    #[serde(default)]
    pub intro: String,
    /// The first is the 0–10 "would you recommend" question: its answers give the (e)NPS.
    pub questions: Vec<Question>,
    /// `external` for NPS; `employees` or `department` (with `department_id`) for pulse surveys.
    pub audience: SurveyAudience,
    pub department_id: Option<TeamId>,
    /// `null`: one round; otherwise a round every so many days (1–365).
    pub every_days: Option<i64>,
    /// How many days each round's links stay open (1–90, default 14).
    pub open_days: Option<i64>,
    /// NPS only (default false); pulse surveys are always anonymous.
    pub anonymous: Option<bool>,
    /// Results are shown only for groups with at least this many answers (default 5).
    pub min_group: Option<i64>,
    /// A survey that is not active sends nothing by itself (default true).
    pub active: Option<bool>,
}

/// A survey as admins and leads see it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SurveyView {
    pub id: SurveyId,
    pub kind: SurveyKind,
    pub title: String,
    pub intro: String,
    pub questions: Vec<Question>,
    pub audience: SurveyAudience,
    pub department: Option<NamedRef>,
    pub every_days: Option<i64>,
    pub open_days: i64,
    pub anonymous: bool,
    pub min_group: i64,
    pub active: bool,
    /// When the schedule sends the next round, if one is due.
    pub next_round_at: Option<Instant>,
    pub round_count: i64,
    pub version: i64,
    pub created_at: Instant,
    pub updated_at: Instant,
}

/// One round of a survey: when it went out, until when it is open, how many answered.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RoundView {
    pub number: i64,
    pub opened_at: Instant,
    pub closes_at: Instant,
    pub invited: i64,
    pub answered: i64,
}

/// A survey with its rounds, the latest first.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SurveyDetail {
    pub survey: SurveyView,
    pub rounds: Vec<RoundView>,
}

/// How many rounds a survey's page lists.
const ROUNDS_SHOWN: i64 = 50;

impl App {
    pub async fn create_survey(
        &self,
        principal: &Principal,
        input: SurveyInput,
        now: Millis,
    ) -> Result<SurveyView, AppError> {
        require_admin(principal)?;
        let mut tx = self.store().begin().await?;
        let mut fields = checked(tx.conn(), input).await?;
        fields.next_round_at = next_round_at(&fields, None, now);
        let id = surveys::insert(tx.conn(), &fields, principal.person_id, now).await?;
        let row = surveys::get(tx.conn(), id).await?.ok_or(AppError::NotFound("survey"))?;
        let view = survey_view(tx.conn(), row).await?;
        tx.commit().await?;
        tracing::info!(survey.id = id.0, kind = %fields.kind, "survey {id} defined");
        Ok(view)
    }

    /// Rewrites a survey at `version`. Rounds already sent keep the questions they were sent with.
    pub async fn update_survey(
        &self,
        principal: &Principal,
        id: SurveyId,
        version: i64,
        input: SurveyInput,
        now: Millis,
    ) -> Result<SurveyView, AppError> {
        require_admin(principal)?;
        let mut tx = self.store().begin().await?;
        surveys::get(tx.conn(), id).await?.ok_or(AppError::NotFound("survey"))?;
        let mut fields = checked(tx.conn(), input).await?;
        let last = surveys::rounds(tx.conn(), id, 1).await?.into_iter().next();
        fields.next_round_at = next_round_at(&fields, last.map(|round| round.opened_at), now);
        if !surveys::update(tx.conn(), id, version, &fields, now).await? {
            return Err(AppError::version_conflict("survey"));
        }
        let row = surveys::get(tx.conn(), id).await?.ok_or(AppError::NotFound("survey"))?;
        let view = survey_view(tx.conn(), row).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Surveys, newest first, by cursor.
    pub async fn list_surveys(&self, principal: &Principal, page: PageRequest) -> Result<Page<SurveyView>, AppError> {
        require_reader(principal)?;
        let size = page.size(self.limits().max_page_size);
        let before = page.cursor.as_deref().map(decode_cursor::<SurveyId>).transpose()?;
        let mut reader = self.store().read().await?;
        let rows = surveys::list(reader.conn(), before.unwrap_or(SurveyId(i64::MAX)), i64::from(size) + 1).await?;
        let more = rows.len() > size as usize;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows.into_iter().take(size as usize) {
            items.push(survey_view(reader.conn(), row).await?);
        }
        let next_cursor = if more { items.last().map(|last: &SurveyView| encode_cursor(&last.id)) } else { None };
        Ok(Page { items, next_cursor })
    }

    pub async fn get_survey(&self, principal: &Principal, id: SurveyId) -> Result<SurveyDetail, AppError> {
        require_reader(principal)?;
        let mut reader = self.store().read().await?;
        let row = surveys::get(reader.conn(), id).await?.ok_or(AppError::NotFound("survey"))?;
        let rounds = surveys::rounds(reader.conn(), id, ROUNDS_SHOWN).await?.into_iter().map(round_view).collect();
        Ok(SurveyDetail { survey: survey_view(reader.conn(), row).await?, rounds })
    }
}

/// Admins define and send surveys; leads may read them; anyone else gets 404.
pub(super) fn require_admin(principal: &Principal) -> Result<(), AppError> {
    require_reader(principal)?;
    if principal.is_admin { Ok(()) } else { Err(AppError::forbidden("only admins define and send surveys")) }
}

/// Admins and team leads read surveys and their results.
pub(super) fn require_reader(principal: &Principal) -> Result<(), AppError> {
    let lead = principal.memberships.iter().any(|membership| membership.role == TeamRole::Lead);
    if principal.is_admin || lead { Ok(()) } else { Err(AppError::NotFound("survey")) }
}

/// When the schedule should open the next round: never while inactive; at once for a survey
/// never sent; then `every_days` after the last round, if it repeats.
fn next_round_at(fields: &SurveyFields, last_opened: Option<Millis>, now: Millis) -> Option<Millis> {
    match (fields.active, last_opened, fields.every_days) {
        (false, _, _) => None,
        (true, None, _) => Some(now),
        (true, Some(opened), Some(days)) => Some(opened + days * DAY_MS),
        (true, Some(_), None) => None,
    }
}

async fn checked(conn: Conn<'_>, input: SurveyInput) -> Result<SurveyFields, AppError> {
    let mut errors = FieldErrors::new();
    let title = validate::required_line(&mut errors, "title", &input.title, 200);
    validate::bounded_text(&mut errors, "intro", &input.intro, 2_000, false);
    let questions = survey::check_questions(&mut errors, &input.questions);
    let anonymous = match (input.kind, input.anonymous) {
        (SurveyKind::Pulse, Some(false)) => {
            errors.add("anonymous", "pulse surveys are always anonymous");
            true
        }
        (SurveyKind::Pulse, _) => true,
        (SurveyKind::Nps, anonymous) => anonymous.unwrap_or(false),
    };
    match (input.kind, input.audience) {
        (SurveyKind::Nps, SurveyAudience::External) | (SurveyKind::Pulse, SurveyAudience::Employees) => {}
        (SurveyKind::Pulse, SurveyAudience::Department) => {}
        (SurveyKind::Nps, _) => errors.add("audience", "NPS surveys ask external customers (`external`)"),
        (SurveyKind::Pulse, _) => errors.add("audience", "pulse surveys ask employees (`employees` or `department`)"),
    }
    check_range(&mut errors, "every_days", input.every_days, 1..=365);
    check_range(&mut errors, "open_days", input.open_days, 1..=90);
    let low = if input.kind == SurveyKind::Pulse { 3 } else { 1 };
    check_range(&mut errors, "min_group", input.min_group, low..=1_000);
    let department_id = check_department(conn, &mut errors, input.audience, input.department_id).await?;
    errors.into_result()?;
    Ok(SurveyFields {
        kind: input.kind,
        title,
        intro: input.intro.trim().to_owned(),
        questions,
        audience: input.audience,
        department_id,
        every_days: input.every_days,
        open_days: input.open_days.unwrap_or(14),
        anonymous,
        min_group: input.min_group.unwrap_or(5),
        active: input.active.unwrap_or(true),
        next_round_at: None,
    })
}

fn check_range(errors: &mut FieldErrors, field: &str, value: Option<i64>, range: std::ops::RangeInclusive<i64>) {
    if value.is_some_and(|value| !range.contains(&value)) {
        errors.add(field, format!("must be between {} and {}", range.start(), range.end()));
    }
}

/// A `department` audience names a department; the others name none.
async fn check_department(
    conn: Conn<'_>,
    errors: &mut FieldErrors,
    audience: SurveyAudience,
    department: Option<TeamId>,
) -> Result<Option<TeamId>, AppError> {
    match (audience, department) {
        (SurveyAudience::Department, Some(id)) => {
            let found = teams::get(conn, id).await?.filter(|team| team.kind == TeamKind::Department);
            if found.is_none() {
                errors.add("department_id", "no such department");
            }
            Ok(Some(id))
        }
        (SurveyAudience::Department, None) => {
            errors.add("department_id", "a department audience names its department");
            Ok(None)
        }
        (_, Some(_)) => {
            errors.add("department_id", "only a `department` audience names a department");
            Ok(None)
        }
        (_, None) => Ok(None),
    }
}

pub(super) async fn survey_view(conn: Conn<'_>, row: SurveyRow) -> Result<SurveyView, AppError> {
    let department = match row.department_id {
        Some(id) => {
            teams::get(conn, id).await?.map(|team| NamedRef { id: team.id.0, slug: Some(team.slug), name: team.name })
        }
        None => None,
    };
    Ok(SurveyView {
        id: row.id,
        kind: row.kind,
        title: row.title,
        intro: row.intro,
        questions: row.questions.0,
        audience: row.audience,
        department,
        every_days: row.every_days,
        open_days: row.open_days,
        anonymous: row.anonymous,
        min_group: row.min_group,
        active: row.active,
        next_round_at: row.next_round_at.map(instant),
        round_count: row.rounds,
        version: row.version,
        created_at: instant(row.created_at),
        updated_at: instant(row.updated_at),
    })
}

pub(super) fn round_view(row: RoundRow) -> RoundView {
    RoundView {
        number: row.number,
        opened_at: instant(row.opened_at),
        closes_at: instant(row.closes_at),
        invited: row.invited,
        answered: row.answered,
    }
}
