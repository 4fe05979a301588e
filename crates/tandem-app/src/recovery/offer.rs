//! A ticket's make-goods with Tandem's suggestion, and offering one: under the team's approval
//! limit it is offered at once; above it, it waits for a lead (a lead's own offer is approved by
//! offering it). Either way the team's budget for the month must hold it.

use serde::Deserialize;
use serde_json::json;
use tandem_domain::make_good::{self, RecoveryFacts};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{MakeGoodKind, MakeGoodState, Millis, Principal, TicketAccess, TicketId};
use tandem_store::make_goods::{self, NewMakeGood};
use tandem_store::recovery_budgets::{self, BudgetRow};
use tandem_store::{Conn, events};

use super::budgets::{check_budget, remaining};
use super::views::{MakeGoodOut, Seat, Suggestion, TicketMakeGoods, make_good_view};
use crate::tickets::{access, access_for_write, require_agent};
use crate::{App, AppError};

/// A make-good as an agent offers it.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    pub kind: MakeGoodKind,
    /// In the currency's minor unit (cents): 2000 is 20.00.
    pub amount_minor: i64,
    /// Three letters; must be the currency of the team's budget.
    pub currency: String,
    /// What the customer reads ("A 20 € voucher for the wait, with our apologies").
    pub message: String,
    /// For staff only.
    pub note: Option<String>,
}

/// Make-goods shown with a ticket (a ticket rarely has more than one or two).
const PER_TICKET: i64 = 20;
/// The largest make-good anyone may offer: 100,000.00.
const MAX_AMOUNT_MINOR: i64 = 10_000_000;

impl App {
    /// The ticket's make-goods the caller may see, and for its agents Tandem's suggestion.
    pub async fn ticket_make_goods(
        &self,
        principal: &Principal,
        id: TicketId,
        now: Millis,
    ) -> Result<TicketMakeGoods, AppError> {
        let mut reader = self.store().read().await?;
        let (ticket, ticket_access) = access(reader.conn(), principal, id).await?;
        let agent = ticket_access == TicketAccess::Agent;
        let rows = make_goods::of_ticket(reader.conn(), id, PER_TICKET).await?;
        // One make-good per bad experience: none is suggested while one is in play or was given.
        let made_good = rows.iter().any(|row| row.state.is_open() || row.state == MakeGoodState::Redeemed);
        let make_goods: Vec<MakeGoodOut> = rows
            .into_iter()
            .filter_map(|row| Seat::of(principal, &row, agent).map(|seat| make_good_view(principal, row, seat)))
            .collect();
        let suggestion = match agent && !made_good {
            true => suggest(reader.conn(), id, ticket.team_id, now).await?,
            false => None,
        };
        Ok(TicketMakeGoods { suggestion, make_goods })
    }

    /// An agent of the ticket's team offers the requester a make-good.
    pub async fn offer_make_good(
        &self,
        principal: &Principal,
        id: TicketId,
        input: OfferInput,
        now: Millis,
    ) -> Result<MakeGoodOut, AppError> {
        let (message, note) = checked(&input)?;
        let mut tx = self.store().begin().await?;
        let (ticket, ticket_access) = access_for_write(tx.conn(), principal, id).await?;
        require_agent(ticket_access, "offer a make-good")?;
        if make_goods::open_on_ticket(tx.conn(), id).await? {
            return Err(AppError::conflict(
                "make_good_open",
                "this ticket already has a make-good in play; withdraw it before offering another",
            ));
        }
        let period = make_good::period_of(now);
        let budget = recovery_budgets::lock(tx.conn(), ticket.team_id, &period).await?;
        let budget = require_budget(budget, &ticket.team_name, &period)?;
        if budget.currency != input.currency {
            let message = format!("must be {}, the currency of {}'s budget", budget.currency, ticket.team_name);
            return Err(AppError::invalid("currency", message));
        }
        check_budget(tx.conn(), &budget, &ticket.team_name, input.amount_minor).await?;
        let needs_approval = input.amount_minor > budget.approval_limit_minor;
        let (state, approved_by) = match (needs_approval, principal.manages(ticket.team_id)) {
            (false, _) => (MakeGoodState::Offered, None),
            (true, true) => (MakeGoodState::Offered, Some(principal.person_id)),
            (true, false) => (MakeGoodState::PendingApproval, None),
        };
        let (rating, breached, incident) = make_goods::facts(tx.conn(), id).await?;
        let facts = RecoveryFacts { rating, breached_targets: breached, incident: incident > 0 };
        let new = NewMakeGood {
            ticket_id: id,
            team_id: ticket.team_id,
            customer_id: ticket.requester_id,
            kind: input.kind,
            amount_minor: input.amount_minor,
            currency: &input.currency,
            message: &message,
            note: note.as_deref(),
            reasons: facts.reasons().iter().map(|reason| reason.as_str().to_owned()).collect(),
            state,
            period: &period,
            offered_by: principal.person_id,
            approved_by,
        };
        let make_good = make_goods::insert(tx.conn(), &new, now).await?;
        let kind = if state == MakeGoodState::Offered { "make_good_offered" } else { "make_good_proposed" };
        let data = json!({ "make_good_id": make_good, "kind": input.kind, "amount_minor": input.amount_minor,
            "currency": input.currency, "note": note });
        events::append(tx.conn(), id, Some(principal.person_id), kind, &data, now).await?;
        let row = make_goods::get(tx.conn(), make_good).await?.ok_or(AppError::NotFound("make-good"))?;
        tx.commit().await?;
        tracing::info!(make_good.id = make_good.0, ticket.id = id.0, "make-good {make_good} {state}");
        Ok(make_good_view(principal, row, Seat::Staff))
    }
}

/// Refuses an offer where the team has no budget this month.
pub(super) fn require_budget(budget: Option<BudgetRow>, team: &str, period: &str) -> Result<BudgetRow, AppError> {
    budget.ok_or_else(|| {
        AppError::conflict("no_budget", format!("{team} has no make-good budget for {period}; a lead sets one first"))
    })
}

/// The message and note, trimmed; every field checked.
fn checked(input: &OfferInput) -> Result<(String, Option<String>), FieldErrors> {
    let mut errors = FieldErrors::new();
    if !(1..=MAX_AMOUNT_MINOR).contains(&input.amount_minor) {
        errors.add("amount_minor", format!("must be between 1 and {MAX_AMOUNT_MINOR}"));
    }
    if !make_good::is_currency(&input.currency) {
        errors.add("currency", "must be a three-letter currency code such as EUR");
    }
    let message = validate::required_line(&mut errors, "message", &input.message, 500);
    if let Some(note) = &input.note {
        validate::bounded_text(&mut errors, "note", note, 4_000, false);
    }
    errors.into_result()?;
    let note = input.note.as_deref().map(str::trim).filter(|note| !note.is_empty()).map(str::to_owned);
    Ok((message, note))
}

/// Tandem's suggestion for a ticket, if something went wrong on it.
async fn suggest(
    mut conn: Conn<'_>,
    id: TicketId,
    team: tandem_domain::TeamId,
    now: Millis,
) -> Result<Option<Suggestion>, AppError> {
    let (rating, breached, incident) = make_goods::facts(conn.reborrow(), id).await?;
    let facts = RecoveryFacts { rating, breached_targets: breached, incident: incident > 0 };
    let reasons = facts.reasons();
    let Some((kind, amount_minor)) = make_good::suggested(&reasons, rating) else {
        return Ok(None);
    };
    let period = make_good::period_of(now);
    let budget = recovery_budgets::get(conn.reborrow(), team, &period).await?;
    let left = match &budget {
        Some(budget) => Some(remaining(conn, budget).await?),
        None => None,
    };
    Ok(Some(Suggestion {
        reasons,
        kind,
        amount_minor,
        needs_approval: budget.as_ref().is_none_or(|budget| amount_minor > budget.approval_limit_minor),
        currency: budget.map(|budget| budget.currency),
        budget_remaining_minor: left,
    }))
}
