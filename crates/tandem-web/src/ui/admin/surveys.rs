//! Surveys in the admin: the list (admins and leads), the form that defines or changes one with
//! its questions (admins), "send now", and the link to each survey's results.
//!
//! The questions are typed one per line, `kind | question | option; option` (options for choice
//! questions only), so the form works without any script.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use tandem_app::PageRequest;
use tandem_app::surveys::{RoundView, SurveyInput, SurveyView};
use tandem_domain::survey::Question;
use tandem_domain::{QuestionKind, SurveyAudience, SurveyId, SurveyKind, TeamId, TeamKind};

use super::forms::{Choice, Done, Problems, done, form_page, optional_id, outcome, words};
use super::{DoneQuery, admin_only, layout, manages_some_team, path_id};
use crate::state::AppState;
use crate::ui::agent::format::day;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/surveys", get(list))
        .route("/admin/surveys/new", get(new).post(create))
        .route("/admin/surveys/{id}", get(edit).post(update))
        .route("/admin/surveys/{id}/send", post(send))
        .merge(super::survey_results::routes())
}

#[derive(Template)]
#[template(path = "admin_surveys.html")]
struct ListPage {
    layout: Layout,
    is_admin: bool,
    surveys: Vec<SurveyView>,
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    manages_some_team(&viewer)?;
    let request = PageRequest { limit: Some(100), cursor: None };
    let surveys = state.app.list_surveys(&viewer.principal, request).await?.items;
    Ok(html(&ListPage { layout: layout(&viewer, &done), is_admin: viewer.principal.is_admin, surveys }))
}

/// A survey as posted.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
struct SurveyForm {
    kind: String,
    title: String,
    intro: String,
    questions: String,
    audience: String,
    department_id: String,
    every_days: String,
    open_days: String,
    anonymous: Option<String>,
    min_group: String,
    active: Option<String>,
    version: i64,
}

impl Default for SurveyForm {
    fn default() -> Self {
        SurveyForm {
            kind: "pulse".into(),
            title: String::new(),
            intro: String::new(),
            questions: "scale_0_10 | How likely are you to recommend us as a place to work?\ntext | Anything else?"
                .into(),
            audience: "employees".into(),
            department_id: String::new(),
            every_days: String::new(),
            open_days: "14".into(),
            anonymous: None,
            min_group: "5".into(),
            active: Some("true".into()),
            version: 0,
        }
    }
}

impl SurveyForm {
    fn of(survey: &SurveyView) -> SurveyForm {
        SurveyForm {
            kind: survey.kind.to_string(),
            title: survey.title.clone(),
            intro: survey.intro.clone(),
            questions: survey.questions.iter().map(question_line).collect::<Vec<_>>().join("\n"),
            audience: survey.audience.to_string(),
            department_id: survey.department.as_ref().map(|department| department.id.to_string()).unwrap_or_default(),
            every_days: survey.every_days.map(|days| days.to_string()).unwrap_or_default(),
            open_days: survey.open_days.to_string(),
            anonymous: survey.anonymous.then(|| "true".into()),
            min_group: survey.min_group.to_string(),
            active: survey.active.then(|| "true".into()),
            version: survey.version,
        }
    }

    /// The input the app checks, or the problems of the fields that do not even parse.
    fn input(&self) -> Result<SurveyInput, Problems> {
        let mut problems = Problems::default();
        let kind = self.kind.parse::<SurveyKind>().map_err(|error| problems.add("kind", error.to_string())).ok();
        let audience =
            self.audience.parse::<SurveyAudience>().map_err(|error| problems.add("audience", error.to_string())).ok();
        let questions = self.questions.lines().filter(|line| !line.trim().is_empty()).enumerate();
        let questions: Vec<Question> = questions
            .filter_map(|(index, line)| {
                parse_question(line)
                    .map_err(|why| {
                        problems.add("questions", format!("line {}: {why}", index + 1));
                    })
                    .ok()
            })
            .collect();
        let number = |problems: &mut Problems, field: &str, raw: &str| -> Option<i64> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            raw.parse().map_err(|_| problems.add(field, "must be a whole number")).ok()
        };
        let every_days = number(&mut problems, "every_days", &self.every_days);
        let open_days = number(&mut problems, "open_days", &self.open_days);
        let min_group = number(&mut problems, "min_group", &self.min_group);
        let department_id = optional_id::<TeamId>(&mut problems, "department_id", &self.department_id);
        match (kind, audience, problems.is_empty()) {
            (Some(kind), Some(audience), true) => Ok(SurveyInput {
                kind,
                title: self.title.clone(),
                intro: self.intro.clone(),
                questions,
                audience,
                department_id: department_id.filter(|_| audience == SurveyAudience::Department),
                every_days,
                open_days,
                anonymous: Some(self.anonymous.is_some() || kind == SurveyKind::Pulse),
                min_group,
                active: Some(self.active.is_some()),
            }),
            _ => Err(problems),
        }
    }
}

/// `kind | question | option; option`.
fn parse_question(line: &str) -> Result<Question, String> {
    let mut parts = line.split('|').map(str::trim);
    let kind = parts.next().unwrap_or_default().parse::<QuestionKind>().map_err(|error| error.to_string())?;
    let text = parts.next().unwrap_or_default().to_owned();
    let choices = parts
        .next()
        .map(|options| {
            options.split(';').map(str::trim).filter(|option| !option.is_empty()).map(str::to_owned).collect()
        })
        .unwrap_or_default();
    Ok(Question { kind, text, choices })
}

fn question_line(question: &Question) -> String {
    match question.choices.is_empty() {
        true => format!("{} | {}", question.kind, question.text),
        false => format!("{} | {} | {}", question.kind, question.text, question.choices.join("; ")),
    }
}

#[derive(Template)]
#[template(path = "admin_survey.html")]
struct FormPage {
    layout: Layout,
    /// `None` on the new-survey form.
    survey: Option<SurveyId>,
    form: SurveyForm,
    kinds: Vec<Choice>,
    audiences: Vec<Choice>,
    departments: Vec<Choice>,
    rounds: Vec<RoundLine>,
    problems: Problems,
}

/// A round as the page lists it.
pub(super) struct RoundLine {
    pub number: i64,
    pub opened: String,
    pub closes: String,
    pub invited: i64,
    pub answered: i64,
}

impl RoundLine {
    pub(super) fn of(round: &RoundView) -> RoundLine {
        RoundLine {
            number: round.number,
            opened: day(round.opened_at),
            closes: day(round.closes_at),
            invited: round.invited,
            answered: round.answered,
        }
    }
}

struct Parts {
    layout: Layout,
    survey: Option<SurveyId>,
    rounds: Vec<RoundView>,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    parts: Parts,
    form: SurveyForm,
    problems: Problems,
) -> Result<Response, UiError> {
    let teams = state.app.list_teams(&viewer.principal).await?;
    let departments = teams
        .into_iter()
        .filter(|team| team.kind == TeamKind::Department)
        .map(|team| Choice::new(team.id, team.name, team.id.to_string() == form.department_id))
        .collect();
    let page = FormPage {
        layout: parts.layout,
        survey: parts.survey,
        kinds: words(SurveyKind::ALL, &form.kind),
        audiences: words(SurveyAudience::ALL, &form.audience),
        departments,
        rounds: parts.rounds.iter().map(RoundLine::of).collect(),
        form,
        problems,
    };
    Ok(form_page(&page, &page.problems))
}

async fn new(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let parts = Parts { layout: layout(&viewer, &DoneQuery::default()), survey: None, rounds: Vec::new() };
    page(&state, &viewer, parts, SurveyForm::default(), Problems::default()).await
}

async fn create(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<SurveyForm>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let parts = Parts { layout: layout(&viewer, &DoneQuery::default()), survey: None, rounds: Vec::new() };
    let input = match form.input() {
        Ok(input) => input,
        Err(problems) => return page(&state, &viewer, parts, form, problems).await,
    };
    match outcome(state.app.create_survey(&viewer.principal, input, crate::now()).await)? {
        Ok(saved) => Ok(done(&format!("/admin/surveys/{}", saved.id), Done::Created)),
        Err(problems) => page(&state, &viewer, parts, form, on_inputs(problems)).await,
    }
}

/// The app names each question's field (`questions[1].choices`); the form has one box for them all.
fn on_inputs(mut problems: Problems) -> Problems {
    problems.rename(|field| field.starts_with("questions").then(|| "questions".to_owned()));
    problems
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let id: SurveyId = path_id(&id)?;
    let detail = state.app.get_survey(&viewer.principal, id).await?;
    let parts = Parts { layout: layout(&viewer, &done), survey: Some(id), rounds: detail.rounds };
    page(&state, &viewer, parts, SurveyForm::of(&detail.survey), Problems::default()).await
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<SurveyForm>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let id: SurveyId = path_id(&id)?;
    let rounds = state.app.get_survey(&viewer.principal, id).await?.rounds;
    let parts = Parts { layout: layout(&viewer, &DoneQuery::default()), survey: Some(id), rounds };
    let input = match form.input() {
        Ok(input) => input,
        Err(problems) => return page(&state, &viewer, parts, form, problems).await,
    };
    match outcome(state.app.update_survey(&viewer.principal, id, form.version, input, crate::now()).await)? {
        Ok(_) => Ok(done(&format!("/admin/surveys/{id}"), Done::Saved)),
        Err(problems) => page(&state, &viewer, parts, form, on_inputs(problems)).await,
    }
}

#[derive(Debug, Default, Deserialize)]
struct NoFields {}

async fn send(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, .. }: VerifiedForm<NoFields>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let id: SurveyId = path_id(&id)?;
    state.app.send_survey_now(&viewer.principal, id, crate::now()).await?;
    Ok(done(&format!("/admin/surveys/{id}"), Done::Sent))
}
