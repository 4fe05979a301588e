//! A survey's results page (admins and leads): one round's (e)NPS, each question's answers, and the
//! departments, each shown only from the survey's minimum number of answers. It shows what
//! `App::survey_results` gives, nothing more: no names, no times.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use tandem_app::surveys::{GroupResults, ResultsQuery, SurveyResults};
use tandem_domain::SurveyId;

use super::surveys::RoundLine;
use super::{DoneQuery, layout, manages_some_team, path_id};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::Viewer;
use crate::ui::{UiError, html};

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/surveys/{id}/results", get(show))
}

#[derive(Template)]
#[template(path = "admin_survey_results.html")]
struct ResultsPage {
    layout: Layout,
    is_admin: bool,
    id: SurveyId,
    results: SurveyResults,
    round: Option<RoundLine>,
    /// The departments' names and results, in the order the app gives them.
    groups: Vec<(String, GroupResults)>,
    score_name: &'static str,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<ResultsQuery>,
) -> Result<Response, UiError> {
    manages_some_team(&viewer)?;
    let id: SurveyId = path_id(&id)?;
    let results = state.app.survey_results(&viewer.principal, id, query).await?;
    let groups = results
        .departments
        .iter()
        .map(|group| {
            let name = group.department.as_ref().map_or_else(|| "No department".to_owned(), |d| d.name.clone());
            (name, group.results.clone())
        })
        .collect();
    let score_name = if results.kind == tandem_domain::SurveyKind::Pulse { "eNPS" } else { "NPS" };
    let page = ResultsPage {
        layout: layout(&viewer, &DoneQuery::default()),
        is_admin: viewer.principal.is_admin,
        id,
        round: results.round.as_ref().map(RoundLine::of),
        results,
        groups,
        score_name,
    };
    Ok(html(&page))
}
