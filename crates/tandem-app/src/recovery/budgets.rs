//! Each team's make-good budget per month: leads (and admins) set it with the approval limit; the
//! report shows staff what each of their teams has spent of it.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tandem_domain::make_good;
use tandem_domain::{Millis, Principal, TeamId};
use tandem_store::recovery_budgets::{self, BudgetFields, BudgetRow};
use tandem_store::{Conn, teams};

use super::money;
use crate::tickets::NamedRef;
use crate::{App, AppError, Instant, instant};

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetInput {
    /// Three letters: every make-good of the team that month is in it.
    pub currency: String,
    /// What the team may give in the month, in the currency's minor unit.
    pub budget_minor: i64,
    /// Make-goods worth more than this wait for a lead's approval.
    pub approval_limit_minor: i64,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct BudgetOut {
    pub team: NamedRef,
    /// `YYYY-MM`.
    pub period: String,
    pub currency: String,
    pub budget_minor: i64,
    pub approval_limit_minor: i64,
    pub spent_minor: i64,
    pub remaining_minor: i64,
    pub updated_at: Instant,
}

/// Spent against budget per team for one month.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct BudgetReport {
    pub period: String,
    pub teams: Vec<BudgetLine>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct BudgetLine {
    pub team: NamedRef,
    /// Absent for a team that gave make-goods with no budget set (an earlier month's leftovers).
    pub currency: Option<String>,
    pub budget_minor: Option<i64>,
    pub approval_limit_minor: Option<i64>,
    /// Offered, accepted and redeemed make-goods.
    pub spent_minor: i64,
    /// Waiting for a lead's approval (not spent yet).
    pub pending_minor: i64,
    pub remaining_minor: Option<i64>,
    pub make_goods: i64,
}

const MAX_BUDGET_MINOR: i64 = 1_000_000_000;

impl App {
    /// A lead of the team (or an admin) sets its budget for a month.
    pub async fn put_make_good_budget(
        &self,
        principal: &Principal,
        team_id: TeamId,
        period: &str,
        input: BudgetInput,
        now: Millis,
    ) -> Result<BudgetOut, AppError> {
        if !principal.is_staff() {
            return Err(AppError::NotFound("team"));
        }
        let mut errors = tandem_domain::FieldErrors::new();
        if make_good::parse_period(period).is_none() {
            errors.add("period", "must be a month: YYYY-MM");
        }
        if !make_good::is_currency(&input.currency) {
            errors.add("currency", "must be a three-letter currency code such as EUR");
        }
        if !(0..=MAX_BUDGET_MINOR).contains(&input.budget_minor) {
            errors.add("budget_minor", format!("must be between 0 and {MAX_BUDGET_MINOR}"));
        }
        if !(0..=MAX_BUDGET_MINOR).contains(&input.approval_limit_minor) {
            errors.add("approval_limit_minor", format!("must be between 0 and {MAX_BUDGET_MINOR}"));
        }
        errors.into_result()?;
        let mut tx = self.store().begin().await?;
        let team = teams::get(tx.conn(), team_id).await?.ok_or(AppError::NotFound("team"))?;
        if !principal.manages(team_id) {
            return Err(AppError::forbidden(format!("only leads of {} set its make-good budget", team.name)));
        }
        let fields = BudgetFields {
            currency: &input.currency,
            budget_minor: input.budget_minor,
            approval_limit_minor: input.approval_limit_minor,
        };
        if let Some(current) = recovery_budgets::lock(tx.conn(), team_id, period).await?
            && current.currency != input.currency
            && recovery_budgets::spent(tx.conn(), team_id, period).await? > 0
        {
            return Err(AppError::invalid(
                "currency",
                format!("stays {}: make-goods were given in it", current.currency),
            ));
        }
        recovery_budgets::put(tx.conn(), team_id, period, fields, principal.person_id, now).await?;
        let data = json!({ "period": period, "currency": input.currency, "budget_minor": input.budget_minor,
            "approval_limit_minor": input.approval_limit_minor });
        recovery_budgets::append_event(tx.conn(), "budget", team_id.0, principal.person_id, "budget_set", &data, now)
            .await?;
        let row = recovery_budgets::get(tx.conn(), team_id, period).await?.ok_or(AppError::NotFound("budget"))?;
        let spent = recovery_budgets::spent(tx.conn(), team_id, period).await?;
        tx.commit().await?;
        Ok(BudgetOut {
            team: NamedRef { id: team_id.0, slug: Some(team.slug), name: team.name },
            period: row.period,
            currency: row.currency,
            budget_minor: row.budget_minor,
            approval_limit_minor: row.approval_limit_minor,
            spent_minor: spent,
            remaining_minor: row.budget_minor - spent,
            updated_at: instant(row.updated_at),
        })
    }

    /// Spent against budget for `period` (default: this month), per team: staff see their teams,
    /// admins every team.
    pub async fn make_good_budgets(
        &self,
        principal: &Principal,
        period: Option<&str>,
        now: Millis,
    ) -> Result<BudgetReport, AppError> {
        if !principal.is_staff() {
            return Err(AppError::NotFound("report"));
        }
        let period = period.map_or_else(|| make_good::period_of(now), str::to_owned);
        if make_good::parse_period(&period).is_none() {
            return Err(AppError::invalid("period", "must be a month: YYYY-MM"));
        }
        let mut reader = self.store().read().await?;
        let rows = recovery_budgets::report(reader.conn(), &period).await?;
        let teams = rows
            .into_iter()
            .filter(|row| principal.is_admin || principal.is_member_of(row.team_id))
            .map(|row| BudgetLine {
                team: NamedRef { id: row.team_id.0, slug: None, name: row.team_name },
                remaining_minor: row.budget_minor.map(|budget| budget - row.spent_minor),
                currency: row.currency,
                budget_minor: row.budget_minor,
                approval_limit_minor: row.approval_limit_minor,
                spent_minor: row.spent_minor,
                pending_minor: row.pending_minor,
                make_goods: row.make_goods,
            })
            .collect();
        Ok(BudgetReport { period, teams })
    }
}

/// What is left of the budget.
pub(super) async fn remaining(conn: Conn<'_>, budget: &BudgetRow) -> Result<i64, AppError> {
    Ok(budget.budget_minor - recovery_budgets::spent(conn, budget.team_id, &budget.period).await?)
}

/// Refuses spending `amount_minor` beyond what is left of the (locked) budget.
pub(super) async fn check_budget(
    conn: Conn<'_>,
    budget: &BudgetRow,
    team: &str,
    amount_minor: i64,
) -> Result<(), AppError> {
    let left = remaining(conn, budget).await?;
    if amount_minor > left {
        let message = format!(
            "{team} has {} left of its {} make-good budget; this make-good is {}",
            money::format(left.max(0), &budget.currency),
            budget.period,
            money::format(amount_minor, &budget.currency),
        );
        return Err(AppError::conflict("over_budget", message));
    }
    Ok(())
}
