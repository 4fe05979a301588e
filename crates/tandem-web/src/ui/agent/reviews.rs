//! `/agent/reviews`: customers' reviews for staff, the unanswered ones first, each with the
//! answer and hide forms when the viewer's team owns the service (or they are an admin).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tandem_app::PageRequest;
use tandem_app::reviews::{AnswerInput, HideInput, ReviewQuery};
use tandem_domain::ReviewId;

use super::require_staff;
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::review_card::ReviewCard;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

/// Reviews each list shows (the newest; the API pages through the rest).
const LISTED: u32 = 100;

#[derive(Template)]
#[template(path = "agent_reviews.html")]
struct ReviewsPage {
    layout: Layout,
    unanswered: Vec<ReviewCard>,
    answered: Vec<ReviewCard>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<DoneQuery>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let reader = Some(&viewer.principal);
    let listed = || PageRequest { limit: Some(LISTED), cursor: None };
    let waiting = ReviewQuery { answered: Some(false), ..ReviewQuery::default() };
    let done = ReviewQuery { answered: Some(true), ..ReviewQuery::default() };
    let (unanswered, answered) = tokio::try_join!(
        state.app.list_reviews(reader, waiting, listed()),
        state.app.list_reviews(reader, done, listed()),
    )?;
    let notice = match query.done.as_deref() {
        Some("answered") => Some("Your answer is published.".to_owned()),
        Some("hidden") => Some("The review is hidden from the public.".to_owned()),
        _ => None,
    };
    Ok(html(&ReviewsPage {
        layout: Layout::for_viewer(&viewer, "reviews").with_notice(notice),
        unanswered: unanswered.items.into_iter().map(ReviewCard::from).collect(),
        answered: answered.items.into_iter().map(ReviewCard::from).collect(),
    }))
}

#[derive(Debug, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

pub async fn answer(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    VerifiedForm { viewer, form }: VerifiedForm<AnswerForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let input = AnswerInput { answer: form.answer };
    state.app.answer_review(&viewer.principal, ReviewId(id), input, crate::now()).await?;
    Ok(Redirect::to(&format!("/agent/reviews?done=answered#review-{id}")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct HideForm {
    #[serde(default)]
    reason: String,
}

pub async fn hide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    VerifiedForm { viewer, form }: VerifiedForm<HideForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let input = HideInput { reason: form.reason };
    state.app.hide_review(&viewer.principal, ReviewId(id), input, crate::now()).await?;
    Ok(Redirect::to("/agent/reviews?done=hidden").into_response())
}
