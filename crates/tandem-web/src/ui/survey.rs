//! `/survey/{token}`: the page a survey or rating link opens, with no sign-in (the token is the
//! credential). It shows the questions with the answers the link gave before (a rating link's
//! `?rating=N` preselects that rating, and records nothing until the form is sent); sending
//! answers through `App::answer_survey_link`, as the API does. An unknown, tampered or closed
//! link gets a page that says so, and nothing is recorded.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use tandem_app::AppError;
use tandem_app::surveys::{AnswersInput, SurveyLinkView};
use tandem_domain::QuestionKind;
use tandem_domain::survey::Answer;

use super::agent::format::day;
use super::layout::Layout;
use super::session::refuse_cross_site;
use super::{UiError, html};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/survey/{token}", get(show).post(answer))
}

/// One question as the form shows it.
struct Field {
    index: usize,
    kind: &'static str,
    text: String,
    /// The values to pick from (scales and choices), each with whether it is chosen.
    options: Vec<(String, bool)>,
    /// A text question's current text.
    value: String,
}

#[derive(Template)]
#[template(path = "survey.html")]
struct SurveyPage {
    layout: Layout,
    token: String,
    title: String,
    intro: String,
    anonymous: bool,
    closes: String,
    fields: Vec<Field>,
    answered: bool,
    problem: Option<String>,
}

#[derive(Template)]
#[template(path = "survey_gone.html")]
struct GonePage {
    layout: Layout,
    heading: &'static str,
    message: &'static str,
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    rating: Option<i64>,
}

async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, UiError> {
    let view = match state.app.survey_link(&token, crate::now()).await {
        Ok(view) => view,
        Err(error) => return gone(error),
    };
    let mut answers = view.answers.clone();
    if let Some(rating) = query.rating.filter(|rating| (1..=5).contains(rating)) {
        answers.retain(|answer| answer.question != 0);
        answers.push(Answer { question: 0, number: Some(rating), text: None });
    }
    let answered = !view.answers.is_empty();
    Ok(page(token, view, &answers, answered, None, StatusCode::OK))
}

async fn answer(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Result<Response, UiError> {
    refuse_cross_site(&headers)?;
    let answers = answers_of(&form);
    match state.app.answer_survey_link(&token, AnswersInput { answers: answers.clone() }, crate::now()).await {
        Ok(view) => {
            let saved = view.answers.clone();
            Ok(page(token, view, &saved, true, None, StatusCode::OK))
        }
        Err(AppError::Invalid(fields)) => {
            let view = match state.app.survey_link(&token, crate::now()).await {
                Ok(view) => view,
                Err(error) => return gone(error),
            };
            let problem = format!("Please check your answers: {}", fields.summary());
            Ok(page(token, view, &answers, false, Some(problem), StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(error) => gone(error),
    }
}

/// The posted form's answers: `n{i}` a scale's number, `t{i}` a choice or a text; blanks left
/// out (a number that does not parse is kept as one the app refuses).
fn answers_of(form: &HashMap<String, String>) -> Vec<Answer> {
    let mut answers: Vec<Answer> = form
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .filter_map(|(name, value)| {
            let (kind, index) = name.split_at_checked(1)?;
            let question = index.parse::<usize>().ok()?;
            let value = value.trim();
            match kind {
                "n" => Some(Answer { question, number: Some(value.parse().unwrap_or(-1)), text: None }),
                "t" => Some(Answer { question, number: None, text: Some(value.to_owned()) }),
                _ => None,
            }
        })
        .collect();
    answers.sort_by_key(|answer| answer.question);
    answers
}

fn page(
    token: String,
    view: SurveyLinkView,
    answers: &[Answer],
    answered: bool,
    problem: Option<String>,
    status: StatusCode,
) -> Response {
    let given = |index: usize| answers.iter().find(|answer| answer.question == index);
    let fields = view
        .questions
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let chosen = |value: &str| {
                given(index).is_some_and(|answer| {
                    answer.number.map(|n| n.to_string()).as_deref() == Some(value)
                        || answer.text.as_deref() == Some(value)
                })
            };
            let options: Vec<String> = match question.kind {
                QuestionKind::Scale0To10 => (0..=10).map(|n| n.to_string()).collect(),
                QuestionKind::Scale1To5 => (1..=5).map(|n| n.to_string()).collect(),
                QuestionKind::Choice => question.choices.clone(),
                QuestionKind::Text => Vec::new(),
            };
            Field {
                index,
                kind: question.kind.as_str(),
                text: question.text.clone(),
                options: options
                    .into_iter()
                    .map(|option| {
                        let on = chosen(&option);
                        (option, on)
                    })
                    .collect(),
                value: given(index)
                    .and_then(|answer| answer.text.clone())
                    .filter(|_| question.kind == QuestionKind::Text)
                    .unwrap_or_default(),
            }
        })
        .collect();
    let closes = day(view.closes_at);
    let page = SurveyPage {
        layout: Layout::anonymous(),
        token,
        title: view.title,
        intro: view.intro,
        anonymous: view.anonymous,
        closes,
        fields,
        answered,
        problem,
    };
    (status, html(&page)).into_response()
}

/// The page for a link that leads nowhere (unknown or tampered) or to a closed survey.
fn gone(error: AppError) -> Result<Response, UiError> {
    let (status, heading, message) = match error {
        AppError::NotFound(_) => (
            StatusCode::NOT_FOUND,
            "This survey link does not work",
            "It may have been cut short or changed. Open it again from your email, exactly as it came. Nothing was recorded.",
        ),
        AppError::Conflict { code: "survey_closed", .. } => (
            StatusCode::GONE,
            "This survey is closed",
            "Answers are no longer taken through this link. Nothing was recorded. Thank you all the same!",
        ),
        other => return Err(other.into()),
    };
    let page = GonePage { layout: Layout::anonymous(), heading, message };
    Ok((status, html(&page)).into_response())
}
