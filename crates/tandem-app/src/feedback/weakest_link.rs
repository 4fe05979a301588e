//! The weakest-link report: which internal team delays external requests most through the chain,
//! and what it costs in external satisfaction. Each external ticket's rating is attributed to every
//! request that served it, however deep in its chain; each team's line compares the ratings of the
//! external tickets it served with all external ratings of the period.

use serde::Serialize;
use tandem_domain::{Millis, Principal};
use tandem_store::satisfaction;

use crate::tickets::NamedRef;
use crate::{App, AppError, Instant, instant};

const DAY_MS: Millis = 24 * 3_600_000;

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct WeakestLinks {
    /// The report covers requests linked since then.
    pub since: Instant,
    /// All external customers' ratings of the period: the baseline each team is compared with.
    pub external_csat: Option<f64>,
    pub external_ratings: i64,
    /// Teams that served external tickets through the chain, the longest total wait first.
    pub links: Vec<WeakLink>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct WeakLink {
    pub team: NamedRef,
    /// Its requests that served an external ticket, directly or deeper in a chain.
    pub requests: i64,
    pub external_tickets: i64,
    /// How long tickets waited on its requests, in total and per request (minutes).
    pub waited_minutes: i64,
    pub waited_minutes_per_request: i64,
    /// The ratings of the external tickets it served: average, how many, how many were 1 or 2.
    pub external_csat: Option<f64>,
    pub external_ratings: i64,
    pub low_ratings: i64,
    /// Its average minus the period's external average: negative when customers it kept waiting
    /// were less happy than customers overall.
    pub csat_gap: Option<f64>,
    /// The asking agents' ratings of its hand-offs.
    pub handoff_rating: Option<f64>,
    pub handoff_ratings: i64,
}

impl App {
    /// The weakest-link report over the last `days` days (staff only).
    pub async fn weakest_links(&self, principal: &Principal, days: i64, now: Millis) -> Result<WeakestLinks, AppError> {
        if !principal.is_staff() {
            return Err(AppError::NotFound("report"));
        }
        if !(1..=3_660).contains(&days) {
            return Err(AppError::invalid("days", "must be between 1 and 3660"));
        }
        let since = now - days * DAY_MS;
        let mut reader = self.store().read().await?;
        let (count, sum) = satisfaction::external_totals(reader.conn(), since).await?;
        let baseline = average(sum, count);
        let rows = satisfaction::weakest_links(reader.conn(), since, now).await?;
        let links = rows
            .into_iter()
            .map(|row| {
                let csat = average(row.rating_sum, row.rated);
                WeakLink {
                    team: NamedRef { id: row.team_id.0, slug: None, name: row.team_name },
                    requests: row.requests,
                    external_tickets: row.external_tickets,
                    waited_minutes: row.waited_ms / 60_000,
                    waited_minutes_per_request: row.waited_ms / 60_000 / row.requests.max(1),
                    external_csat: csat,
                    external_ratings: row.rated,
                    low_ratings: row.low_ratings,
                    csat_gap: csat.zip(baseline).map(|(team, all)| round(team - all)),
                    handoff_rating: average(row.handoff_sum, row.handoffs_rated),
                    handoff_ratings: row.handoffs_rated,
                }
            })
            .collect();
        Ok(WeakestLinks { since: instant(since), external_csat: baseline, external_ratings: count, links })
    }
}

fn average(sum: i64, count: i64) -> Option<f64> {
    (count > 0).then(|| round(sum as f64 / count as f64))
}

/// Two decimals: what a person reads.
fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
