//! "Send feedback" (`/portal/feedback`): customers and employees tell the organization what they
//! think about a topic offered to them. The page never says which team receives it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tandem_app::AppError;
use tandem_app::feedback::FeedbackInput;

use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

#[derive(Template)]
#[template(path = "portal_feedback.html")]
struct FeedbackPage {
    layout: Layout,
    topics: Vec<(String, String, bool)>,
    form: FeedbackForm,
    errors: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct FeedbackForm {
    #[serde(default)]
    topic: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    body: String,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct DoneQuery {
    done: Option<String>,
}

pub(super) async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<DoneQuery>,
) -> Result<Response, UiError> {
    let notice = (query.done.as_deref() == Some("sent")).then(|| "Thank you: your feedback is on its way.".to_owned());
    page(&state, &viewer, FeedbackForm::default(), Vec::new(), StatusCode::OK, notice).await
}

pub(super) async fn submit(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<FeedbackForm>,
) -> Result<Response, UiError> {
    let rating = match form.rating.as_str() {
        "" => None,
        text => Some(text.parse::<i64>().unwrap_or(0)),
    };
    let input = FeedbackInput { topic: form.topic.clone(), body: form.body.clone(), rating };
    match state.app.send_feedback(&viewer.principal, input, crate::now()).await {
        Ok(_) => Ok(Redirect::to("/portal/feedback?done=sent").into_response()),
        Err(AppError::Invalid(fields)) => {
            page(&state, &viewer, form, vec![fields.summary()], StatusCode::UNPROCESSABLE_ENTITY, None).await
        }
        Err(error) => Err(error.into()),
    }
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    form: FeedbackForm,
    errors: Vec<String>,
    status: StatusCode,
    notice: Option<String>,
) -> Result<Response, UiError> {
    // As a customer or employee would see them: the topics offered to their kind, no owners.
    let face = super::customer_face(viewer);
    let topics = state.app.list_topics(&face).await?;
    let topics = topics
        .into_iter()
        .map(|topic| {
            let selected = topic.slug == form.topic;
            (topic.slug, topic.name, selected)
        })
        .collect();
    let layout = Layout::for_viewer(viewer, "feedback").with_notice(notice);
    Ok((status, html(&FeedbackPage { layout, topics, form, errors })).into_response())
}
