//! "My reviews" (`/portal/reviews`), "Write a review" (`/portal/reviews/new`) and editing one's
//! own review (`/portal/reviews/{id}`). Reviews are for external customers: anyone else gets a
//! page saying so, as the API answers them with 403.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tandem_app::catalog::ServiceQuery;
use tandem_app::reviews::{ReviewInput, ReviewQuery, ReviewUpdate, ReviewView};
use tandem_app::{AppError, PageRequest};
use tandem_domain::{PersonKind, ReviewId, ReviewVisibility};

use super::customer_face;
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::review_card::ReviewCard;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

const LISTED: u32 = 100;

#[derive(Template)]
#[template(path = "portal_reviews.html")]
struct MyReviewsPage {
    layout: Layout,
    reviews: Vec<ReviewCard>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct DoneQuery {
    done: Option<String>,
}

pub(super) async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<DoneQuery>,
) -> Result<Response, UiError> {
    let mine = ReviewQuery { mine: Some(true), ..ReviewQuery::default() };
    let page = PageRequest { limit: Some(LISTED), cursor: None };
    let page = state.app.list_reviews(Some(&viewer.principal), mine, page).await?;
    let notice = match query.done.as_deref() {
        Some("written") => Some("Thank you: your review is saved.".to_owned()),
        Some("saved") => Some("Your changes are saved.".to_owned()),
        _ => None,
    };
    let layout = Layout::for_viewer(&viewer, "reviews").with_notice(notice);
    Ok(html(&MyReviewsPage { layout, reviews: page.items.into_iter().map(ReviewCard::from).collect() }))
}

#[derive(Template)]
#[template(path = "portal_review_form.html")]
struct ReviewFormPage {
    layout: Layout,
    /// `None` while writing a new review; the review's id while editing it.
    editing: Option<i64>,
    services: Vec<(String, String, bool)>,
    /// The feedback topics the review may also be sent to (slug, name, chosen).
    topics: Vec<(String, String, bool)>,
    form: ReviewForm,
    errors: Vec<String>,
}

/// The form as drawn, or as the customer left it after a refusal.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ReviewForm {
    #[serde(default)]
    service: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    topic: String,
}

impl ReviewForm {
    fn rating(&self) -> i64 {
        self.rating.parse().unwrap_or(0)
    }

    fn visibility(&self) -> ReviewVisibility {
        if self.visibility == "private" { ReviewVisibility::Private } else { ReviewVisibility::Public }
    }

    fn of(review: &ReviewView) -> ReviewForm {
        ReviewForm {
            service: review.service.id.to_string(),
            rating: review.rating.to_string(),
            title: review.title.clone(),
            body: review.body.clone(),
            visibility: review.visibility.as_str().to_owned(),
            version: review.version.to_string(),
            topic: String::new(),
        }
    }
}

pub(super) async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    require_customer(&viewer)?;
    let form = ReviewForm { visibility: "public".into(), ..ReviewForm::default() };
    form_page(&state, &viewer, None, form, Vec::new(), StatusCode::OK).await
}

pub(super) async fn create(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<ReviewForm>,
) -> Result<Response, UiError> {
    require_customer(&viewer)?;
    let input = ReviewInput {
        service: form.service.clone(),
        rating: form.rating(),
        title: form.title.clone(),
        body: form.body.clone(),
        visibility: form.visibility(),
        topic: Some(form.topic.clone()).filter(|topic| !topic.is_empty()),
    };
    match state.app.create_review(&viewer.principal, input, crate::now()).await {
        Ok(_) => Ok(Redirect::to("/portal/reviews?done=written").into_response()),
        Err(AppError::Invalid(fields)) => refused(&state, &viewer, None, form, fields.summary()).await,
        Err(error) => Err(error.into()),
    }
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, UiError> {
    let review = own_review(&state, &viewer, id).await?;
    form_page(&state, &viewer, Some(id), ReviewForm::of(&review), Vec::new(), StatusCode::OK).await
}

pub(super) async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    VerifiedForm { viewer, form }: VerifiedForm<ReviewForm>,
) -> Result<Response, UiError> {
    let version = form.version.parse::<i64>().map_err(|_| UiError::BadRequest("The form is incomplete.".into()))?;
    let input = ReviewUpdate {
        rating: form.rating(),
        title: form.title.clone(),
        body: form.body.clone(),
        visibility: form.visibility(),
    };
    match state.app.update_review(&viewer.principal, ReviewId(id), version, input, crate::now()).await {
        Ok(_) => Ok(Redirect::to("/portal/reviews?done=saved").into_response()),
        Err(AppError::Invalid(fields)) => refused(&state, &viewer, Some(id), form, fields.summary()).await,
        Err(error) => Err(error.into()),
    }
}

/// Only external customers write reviews (the API's rule, said as a page).
fn require_customer(viewer: &Viewer) -> Result<(), UiError> {
    if viewer.principal.kind == PersonKind::External {
        Ok(())
    } else {
        Err(UiError::Forbidden(
            "Reviews are written by customers. To tell a team what you think, send feedback.".into(),
        ))
    }
}

/// The viewer's own review: someone else's they may read is a 403, one they may not is a 404.
async fn own_review(state: &AppState, viewer: &Viewer, id: i64) -> Result<ReviewView, UiError> {
    let review = state.app.get_review(Some(&viewer.principal), ReviewId(id)).await?;
    if !review.mine {
        return Err(UiError::Forbidden("Only its author edits a review.".into()));
    }
    Ok(review)
}

async fn refused(
    state: &AppState,
    viewer: &Viewer,
    editing: Option<i64>,
    form: ReviewForm,
    error: String,
) -> Result<Response, UiError> {
    form_page(state, viewer, editing, form, vec![error], StatusCode::UNPROCESSABLE_ENTITY).await
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    editing: Option<i64>,
    form: ReviewForm,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, UiError> {
    let face = customer_face(viewer);
    let (services, topics) =
        tokio::try_join!(state.app.list_services(&face, ServiceQuery::default()), state.app.list_topics(&face))?;
    let topics = topics
        .into_iter()
        .map(|topic| {
            let chosen = topic.slug == form.topic;
            (topic.slug, topic.name, chosen)
        })
        .collect();
    let services = services
        .into_iter()
        .map(|service| {
            let value = service.id.to_string();
            let selected = value == form.service || service.slug == form.service;
            (value, service.name, selected)
        })
        .collect();
    let layout = Layout::for_viewer(viewer, "reviews");
    let page = ReviewFormPage { layout, editing, services, topics, form, errors };
    Ok((status, html(&page)).into_response())
}
