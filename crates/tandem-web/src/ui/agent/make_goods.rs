//! Make-goods in the console: the ticket page's card (Tandem's suggestion after a bad experience,
//! the ticket's make-goods with the moves the agent may make, and the offer form), the offer and
//! move handlers, and `/agent/make-goods`: the approval queue and each team's budget this month.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tandem_app::recovery::{
    BudgetInput, BudgetLine, MakeGoodOut, MakeGoodQuery, MoveInput, OfferInput, Suggestion, TicketMakeGoods, money,
};
use tandem_app::{App, AppError, PageRequest, Principal};
use tandem_domain::{MakeGoodAction, MakeGoodId, MakeGoodKind, MakeGoodState, RecoveryReason, TeamId};

use super::{require_staff, ticket_id};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

/// What the ticket page's make-good card shows.
#[derive(Debug, Default)]
pub(super) struct MakeGoodBox {
    /// "Low rating (1/5), a breached target: Tandem suggests a voucher of 30.00 EUR."
    pub suggestion: Option<String>,
    pub rows: Vec<MakeGoodRow>,
    /// The offer form's first values: the suggestion's, or a credit in the team's currency.
    pub kind: &'static str,
    pub amount: String,
    pub currency: String,
    /// The requester's profile page (their history, satisfaction and make-goods).
    pub profile: Option<i64>,
}

#[derive(Debug)]
pub(super) struct MakeGoodRow {
    pub id: i64,
    /// The ticket it is for: number and subject (the approval queue links it).
    pub ticket: (i64, String),
    pub what: String,
    pub message: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub detail: String,
    pub actions: Vec<(&'static str, &'static str)>,
}

impl MakeGoodBox {
    pub async fn load(
        app: &App,
        principal: &Principal,
        ticket: tandem_domain::TicketId,
        requester: Option<tandem_domain::PersonId>,
    ) -> Result<Self, AppError> {
        let TicketMakeGoods { suggestion, make_goods } = app.ticket_make_goods(principal, ticket, crate::now()).await?;
        let (kind, amount, currency) = match &suggestion {
            Some(suggested) => (
                suggested.kind.as_str(),
                money::decimal(suggested.amount_minor),
                suggested.currency.clone().unwrap_or_default(),
            ),
            None => ("credit", String::new(), make_goods.first().map(|made| made.currency.clone()).unwrap_or_default()),
        };
        Ok(MakeGoodBox {
            suggestion: suggestion.as_ref().map(suggestion_line),
            rows: make_goods.iter().map(row).collect(),
            kind,
            amount,
            currency,
            profile: requester.map(|person| person.0),
        })
    }
}

fn suggestion_line(suggested: &Suggestion) -> String {
    let reasons: Vec<&str> = suggested.reasons.iter().map(|reason| reason_label(*reason)).collect();
    let value = match &suggested.currency {
        Some(currency) => format!("{} {currency}", money::decimal(suggested.amount_minor)),
        None => format!("{} (the team has no budget this month yet)", money::decimal(suggested.amount_minor)),
    };
    let approval = if suggested.needs_approval { " A lead approves it first." } else { "" };
    let left = suggested
        .budget_remaining_minor
        .map(|left| format!(" {} left in the team's budget this month.", money::decimal(left)))
        .unwrap_or_default();
    format!("{}: Tandem suggests a {} of {value}.{approval}{left}", reasons.join(", "), kind_label(suggested.kind))
}

fn row(made: &MakeGoodOut) -> MakeGoodRow {
    let by = made.offered_by.as_ref().map(|person| person.name.as_str()).unwrap_or("?");
    let mut detail = format!("Offered by {by}");
    if let Some(lead) = &made.approved_by {
        detail.push_str(&format!(", approved by {}", lead.name));
    }
    if let Some(note) = &made.note {
        detail.push_str(&format!(". Note: {note}"));
    }
    if let Some(comment) = &made.customer_comment {
        detail.push_str(&format!(". The customer said: “{comment}”"));
    }
    MakeGoodRow {
        id: made.id.0,
        ticket: (made.ticket_id.0, made.ticket_subject.clone()),
        what: format!("{} · {}", capitalized(kind_label(made.kind)), made.amount),
        message: made.message.clone(),
        state: made.state.as_str(),
        state_label: state_label(made.state),
        detail,
        actions: made.actions.iter().map(|action| (action.as_str(), action_label(*action))).collect(),
    }
}

pub(super) fn kind_label(kind: MakeGoodKind) -> &'static str {
    match kind {
        MakeGoodKind::Credit => "credit",
        MakeGoodKind::Voucher => "voucher",
        MakeGoodKind::Reward => "reward",
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn reason_label(reason: RecoveryReason) -> &'static str {
    match reason {
        RecoveryReason::LowCsat => "Low satisfaction rating",
        RecoveryReason::BreachedTarget => "a breached service target",
        RecoveryReason::Incident => "hit by an incident",
    }
}

pub(super) fn state_label(state: MakeGoodState) -> &'static str {
    match state {
        MakeGoodState::PendingApproval => "Waiting for a lead's approval",
        MakeGoodState::Offered => "Offered",
        MakeGoodState::Accepted => "Accepted",
        MakeGoodState::Redeemed => "Redeemed",
        MakeGoodState::Declined => "Declined",
        MakeGoodState::Withdrawn => "Withdrawn",
        MakeGoodState::Rejected => "Rejected",
    }
}

fn action_label(action: MakeGoodAction) -> &'static str {
    match action {
        MakeGoodAction::Approve => "Approve",
        MakeGoodAction::Reject => "Reject",
        MakeGoodAction::Accept => "Accept",
        MakeGoodAction::Decline => "Decline",
        MakeGoodAction::Redeem => "Mark redeemed",
        MakeGoodAction::Withdraw => "Withdraw",
    }
}

#[derive(Debug, Deserialize)]
pub struct OfferForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    note: String,
}

/// `POST /agent/tickets/{id}/make-goods`.
pub async fn offer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<OfferForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let ticket = ticket_id(&id)?;
    let kind = form.kind.parse::<MakeGoodKind>().map_err(|_| UiError::BadRequest("Choose what to give.".into()))?;
    let amount_minor = money::parse_minor(&form.amount)
        .ok_or_else(|| UiError::BadRequest("The value must be an amount such as 20 or 12.50.".into()))?;
    let note = Some(form.note).filter(|note| !note.trim().is_empty());
    let input =
        OfferInput { kind, amount_minor, currency: form.currency.trim().to_uppercase(), message: form.message, note };
    state.app.offer_make_good(&viewer.principal, ticket, input, crate::now()).await?;
    Ok(Redirect::to(&format!("/agent/tickets/{ticket}?done=make_good#make-goods")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    note: String,
    /// Where to go back to: the ticket (its number) or the approval queue.
    #[serde(default)]
    back: String,
}

/// `POST /agent/make-goods/{id}/actions`.
pub async fn move_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<MoveForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let id = id.parse::<i64>().map(MakeGoodId).map_err(|_| UiError::NotFound)?;
    let action = form.action.parse::<MakeGoodAction>().map_err(|_| UiError::BadRequest("Choose a move.".into()))?;
    let note = Some(form.note).filter(|note| !note.trim().is_empty());
    let moved = state.app.move_make_good(&viewer.principal, id, MoveInput { action, note }, crate::now()).await?;
    let back = if form.back == "queue" {
        "/agent/make-goods?done=moved".to_owned()
    } else {
        format!("/agent/tickets/{}?done=make_good#make-goods", moved.ticket_id)
    };
    Ok(Redirect::to(&back).into_response())
}

#[derive(Template)]
#[template(path = "agent_make_goods.html")]
struct QueuePage {
    layout: Layout,
    pending: Vec<MakeGoodRow>,
    period: String,
    budgets: Vec<BudgetRow>,
    /// Teams the viewer leads: (id, name), for the budget form.
    led: Vec<(i64, String)>,
}

struct BudgetRow {
    team: String,
    budget: String,
    limit: String,
    spent: String,
    pending: String,
    remaining: String,
    /// How much of the budget is spent, in tenths (for the bar).
    bar: i64,
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueParams {
    #[serde(default)]
    done: String,
}

/// `GET /agent/make-goods`: what waits for approval in the viewer's teams, and their budgets.
pub async fn queue(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(params): Query<QueueParams>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let principal = &viewer.principal;
    let query = MakeGoodQuery { state: Some(MakeGoodState::PendingApproval) };
    let page = PageRequest { limit: Some(100), cursor: None };
    let (pending, report) = tokio::try_join!(
        state.app.list_make_goods(principal, query, page),
        state.app.make_good_budgets(principal, None, crate::now()),
    )?;
    let notice = match params.done.as_str() {
        "moved" => Some("Make-good updated.".to_owned()),
        "budget" => Some("Budget saved.".to_owned()),
        _ => None,
    };
    let teams = state.app.list_teams(principal).await?;
    let led =
        teams.iter().filter(|team| principal.manages(team.id)).map(|team| (team.id.0, team.name.clone())).collect();
    let page = QueuePage {
        layout: Layout::for_viewer(&viewer, "agent").with_notice(notice),
        pending: pending.items.iter().map(row).collect(),
        period: report.period,
        budgets: report.teams.iter().map(budget_row).collect(),
        led,
    };
    Ok(html(&page))
}

fn budget_row(line: &BudgetLine) -> BudgetRow {
    let currency = line.currency.as_deref().unwrap_or("");
    let amount = |minor: i64| format!("{} {currency}", money::decimal(minor)).trim_end().to_owned();
    let or_none = |minor: Option<i64>| minor.map_or_else(|| "no budget".to_owned(), amount);
    let bar = match line.budget_minor {
        Some(budget) if budget > 0 => (line.spent_minor * 10 / budget).clamp(0, 10),
        _ => 10,
    };
    BudgetRow {
        team: line.team.name.clone(),
        budget: or_none(line.budget_minor),
        limit: or_none(line.approval_limit_minor),
        spent: amount(line.spent_minor),
        pending: amount(line.pending_minor),
        remaining: or_none(line.remaining_minor),
        bar,
    }
}

#[derive(Debug, Deserialize)]
pub struct BudgetForm {
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    budget: String,
    #[serde(default)]
    approval_limit: String,
}

/// `POST /agent/make-goods/budgets`: a lead sets a team's budget for a month.
pub async fn set_budget(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<BudgetForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let team = form.team_id.parse::<i64>().map(TeamId).map_err(|_| UiError::BadRequest("Choose a team.".into()))?;
    let amount = |text: &str, what: &str| {
        money::parse_minor(text)
            .ok_or_else(|| UiError::BadRequest(format!("The {what} must be an amount such as 500 or 12.50.")))
    };
    let input = BudgetInput {
        currency: form.currency.trim().to_uppercase(),
        budget_minor: amount(&form.budget, "budget")?,
        approval_limit_minor: amount(&form.approval_limit, "approval limit")?,
    };
    state.app.put_make_good_budget(&viewer.principal, team, form.period.trim(), input, crate::now()).await?;
    Ok(Redirect::to("/agent/make-goods?done=budget").into_response())
}
