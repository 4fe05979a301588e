//! Each team's make-good budget per month, what it has spent, and the recovery audit trail for
//! changes that belong to no ticket.

use serde_json::Value;
use tandem_domain::{Millis, PersonId, TeamId};

use crate::json::to_text;
use crate::{Conn, StoreError, on_conn};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct BudgetRow {
    pub team_id: TeamId,
    pub period: String,
    pub currency: String,
    pub budget_minor: i64,
    pub approval_limit_minor: i64,
    pub updated_at: Millis,
}

/// A budget as a lead sets it.
#[derive(Clone, Copy, Debug)]
pub struct BudgetFields<'a> {
    pub currency: &'a str,
    pub budget_minor: i64,
    pub approval_limit_minor: i64,
}

/// Sets a team's budget for a period, replacing what was there.
pub async fn put(
    conn: Conn<'_>,
    team: TeamId,
    period: &str,
    fields: BudgetFields<'_>,
    by: PersonId,
    now: Millis,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO make_good_budgets (team_id, period, currency, budget_minor, approval_limit_minor, \
         updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (team_id, period) DO UPDATE SET \
         currency = excluded.currency, budget_minor = excluded.budget_minor, \
         approval_limit_minor = excluded.approval_limit_minor, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at";
    on_conn!(conn, c => sqlx::query(SQL)
        .bind(team).bind(period).bind(fields.currency).bind(fields.budget_minor).bind(fields.approval_limit_minor)
        .bind(by).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// The team's budget for the period, holding its row lock until the transaction ends, so two
/// offers against one budget are counted one after the other.
pub async fn lock(mut conn: Conn<'_>, team: TeamId, period: &str) -> Result<Option<BudgetRow>, StoreError> {
    const LOCK: &str = "UPDATE make_good_budgets SET period = period WHERE team_id = $1 AND period = $2";
    on_conn!(conn.reborrow(), c => sqlx::query(LOCK).bind(team).bind(period).execute(&mut *c).await
        .map(|done| done.rows_affected()))?;
    get(conn, team, period).await
}

pub async fn get(conn: Conn<'_>, team: TeamId, period: &str) -> Result<Option<BudgetRow>, StoreError> {
    const SQL: &str = "SELECT team_id, period, currency, budget_minor, approval_limit_minor, updated_at \
         FROM make_good_budgets WHERE team_id = $1 AND period = $2";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, BudgetRow>(SQL).bind(team).bind(period).fetch_optional(&mut *c).await)?)
}

/// What the team's make-goods of the period spend (offered, accepted, redeemed).
pub async fn spent(conn: Conn<'_>, team: TeamId, period: &str) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM make_goods \
         WHERE team_id = $1 AND period = $2 AND state IN ('offered', 'accepted', 'redeemed')";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, i64>(SQL).bind(team).bind(period).fetch_one(&mut *c).await)?)
}

/// One team's line of the budget report.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportRow {
    pub team_id: TeamId,
    pub team_name: String,
    pub currency: Option<String>,
    pub budget_minor: Option<i64>,
    pub approval_limit_minor: Option<i64>,
    pub spent_minor: i64,
    pub pending_minor: i64,
    pub make_goods: i64,
}

/// Per team with a budget or a make-good in the period: budget, spent, and waiting for approval.
pub async fn report(conn: Conn<'_>, period: &str) -> Result<Vec<ReportRow>, StoreError> {
    const SQL: &str = "SELECT tm.id AS team_id, tm.name AS team_name, b.currency, b.budget_minor, \
         b.approval_limit_minor, \
         CAST(COALESCE((SELECT SUM(m.amount_minor) FROM make_goods m WHERE m.team_id = tm.id AND m.period = $1 \
         AND m.state IN ('offered', 'accepted', 'redeemed')), 0) AS BIGINT) AS spent_minor, \
         CAST(COALESCE((SELECT SUM(m.amount_minor) FROM make_goods m WHERE m.team_id = tm.id AND m.period = $1 \
         AND m.state = 'pending_approval'), 0) AS BIGINT) AS pending_minor, \
         (SELECT COUNT(*) FROM make_goods m WHERE m.team_id = tm.id AND m.period = $1) AS make_goods \
         FROM teams tm LEFT JOIN make_good_budgets b ON b.team_id = tm.id AND b.period = $1 \
         WHERE b.team_id IS NOT NULL OR EXISTS (SELECT 1 FROM make_goods m WHERE m.team_id = tm.id AND m.period = $1) \
         ORDER BY tm.name, tm.id";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, ReportRow>(SQL).bind(period).fetch_all(&mut *c).await)?)
}

/// Appends one entry to the recovery audit trail (`subject`: what kind of thing changed).
pub async fn append_event(
    conn: Conn<'_>,
    subject: &str,
    subject_id: i64,
    actor: PersonId,
    kind: &str,
    data: &Value,
    at: Millis,
) -> Result<(), StoreError> {
    const SQL: &str =
        "INSERT INTO recovery_events (subject, subject_id, actor_id, kind, data, at) VALUES ($1, $2, $3, $4, $5, $6)";
    let data = to_text(data)?;
    on_conn!(conn, c => sqlx::query(SQL).bind(subject).bind(subject_id).bind(actor).bind(kind).bind(&data).bind(at)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}
