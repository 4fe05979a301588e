//! `GET /agent/reports/weakest-links`: the weakest-link report for staff, as a table a person reads
//! at a glance: which team external tickets waited on longest through the chain, how those
//! customers rated them against everyone, and how the asking agents rated the hand-offs.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use tandem_app::feedback::WeakLink;

use super::require_staff;
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::Viewer;
use crate::ui::{UiError, html};

/// The periods offered, in days.
const PERIODS: [i64; 4] = [7, 30, 90, 365];

#[derive(Template)]
#[template(path = "agent_weakest_links.html")]
struct ReportPage {
    layout: Layout,
    days: i64,
    periods: [i64; 4],
    baseline: String,
    rows: Vec<Row>,
}

struct Row {
    team: String,
    requests: i64,
    external_tickets: i64,
    waited: String,
    /// The bar's width in percent of the longest wait.
    bar: i64,
    csat: String,
    gap: String,
    /// `worse`, `better` or `none`, for the gap's colour.
    gap_class: &'static str,
    low: i64,
    handoff: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct ReportParams {
    days: Option<i64>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(params): Query<ReportParams>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let days = params.days.filter(|days| PERIODS.contains(days)).unwrap_or(90);
    let report = state.app.weakest_links(&viewer.principal, days, crate::now()).await?;
    let longest = report.links.iter().map(|link| link.waited_minutes).max().unwrap_or(0).max(1);
    let baseline = match report.external_csat {
        Some(average) => format!("{average:.2} from {} external ratings", report.external_ratings),
        None => "no external ratings yet".to_owned(),
    };
    let rows = report.links.iter().map(|link| row(link, longest)).collect();
    let page = ReportPage { layout: Layout::for_viewer(&viewer, "agent"), days, periods: PERIODS, baseline, rows };
    Ok(html(&page))
}

fn row(link: &WeakLink, longest: i64) -> Row {
    let rated = |value: Option<f64>, count: i64| match value {
        Some(value) => format!("{value:.2} ({count})"),
        None => "—".to_owned(),
    };
    Row {
        team: link.team.name.clone(),
        requests: link.requests,
        external_tickets: link.external_tickets,
        waited: hours(link.waited_minutes),
        bar: link.waited_minutes * 100 / longest,
        csat: rated(link.external_csat, link.external_ratings),
        gap: link.csat_gap.map_or_else(|| "—".to_owned(), |gap| format!("{gap:+.2}")),
        gap_class: match link.csat_gap {
            Some(gap) if gap < 0.0 => "worse",
            Some(_) => "better",
            None => "none",
        },
        low: link.low_ratings,
        handoff: rated(link.handoff_rating, link.handoff_ratings),
    }
}

fn hours(minutes: i64) -> String {
    if minutes < 60 { format!("{minutes} min") } else { format!("{} h {} min", minutes / 60, minutes % 60) }
}
