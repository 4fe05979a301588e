//! `/admin/feedback-topics`: the feedback topics with the teams that own them and how each
//! receives the topic's feedback, and the form that adds one (admins only; the API also edits).

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use tandem_app::AppError;
use tandem_app::feedback::{OwnerInput, TopicInput, TopicView};
use tandem_domain::{Audience, FeedbackRouting, TeamId};

use super::{DoneQuery, admin_only, layout};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/feedback-topics", get(show).post(create))
}

#[derive(Template)]
#[template(path = "admin_feedback_topics.html")]
struct TopicsPage {
    layout: Layout,
    topics: Vec<TopicView>,
    /// Each team, for the new topic's owners: id and name.
    teams: Vec<(i64, String)>,
    errors: Vec<String>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    page(&state, &viewer, layout(&viewer, &done), Vec::new(), StatusCode::OK).await
}

/// The form's fields: `slug`, `name`, `audience`, and `route_<team id>` set to a routing word for
/// each owning team (empty: the team does not own it).
async fn create(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<HashMap<String, String>>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    let audience = field("audience").parse::<Audience>().map_err(|error| UiError::BadRequest(error.to_string()))?;
    let mut owners = Vec::new();
    for (name, value) in &form {
        let Some(team) = name.strip_prefix("route_").and_then(|id| id.parse::<i64>().ok()) else { continue };
        if value.is_empty() {
            continue;
        }
        let routing = value.parse::<FeedbackRouting>().map_err(|error| UiError::BadRequest(error.to_string()))?;
        owners.push(OwnerInput { team_id: TeamId(team), routing });
    }
    owners.sort_by_key(|owner| owner.team_id);
    let input = TopicInput { slug: field("slug"), name: field("name"), audience, owners };
    match state.app.create_topic(&viewer.principal, input, crate::now()).await {
        Ok(_) => Ok(Redirect::to("/admin/feedback-topics?done=created").into_response()),
        Err(AppError::Invalid(fields)) => {
            let layout = layout(&viewer, &DoneQuery::default());
            page(&state, &viewer, layout, vec![fields.summary()], StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => Err(error.into()),
    }
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    layout: Layout,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, UiError> {
    let (topics, teams) =
        tokio::try_join!(state.app.list_topics(&viewer.principal), state.app.list_teams(&viewer.principal))?;
    let teams = teams.into_iter().map(|team| (team.id.0, team.name)).collect();
    Ok((status, html(&TopicsPage { layout, topics, teams, errors })).into_response())
}
