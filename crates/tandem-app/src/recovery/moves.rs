//! Moving a make-good along its states: a lead approves or rejects, the customer accepts or
//! declines, an agent redeems or withdraws. A move the state does not allow is a 409; a move the
//! caller may not make on a make-good they see is a 403.

use serde::Deserialize;
use serde_json::json;
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{MakeGoodAction, MakeGoodId, MakeGoodState, Millis, Principal, TicketAccess};
use tandem_store::make_goods::{self, Move};
use tandem_store::{events, recovery_budgets};

use super::budgets::check_budget;
use super::offer::require_budget;
use super::views::{MakeGoodOut, Seat, make_good_view};
use crate::tickets::access_for_write;
use crate::{App, AppError};

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveInput {
    pub action: MakeGoodAction,
    /// Staff: a note for the ticket's audit trail. The customer declining: their reason, which
    /// the ticket's agents read.
    pub note: Option<String>,
}

impl App {
    pub async fn move_make_good(
        &self,
        principal: &Principal,
        id: MakeGoodId,
        input: MoveInput,
        now: Millis,
    ) -> Result<MakeGoodOut, AppError> {
        let mut errors = FieldErrors::new();
        if let Some(note) = &input.note {
            validate::bounded_text(&mut errors, "note", note, 4_000, false);
        }
        errors.into_result()?;
        let note = input.note.as_deref().map(str::trim).filter(|note| !note.is_empty());
        let action = input.action;
        let mut tx = self.store().begin().await?;
        let row = make_goods::get(tx.conn(), id).await?.ok_or(AppError::NotFound("make-good"))?;
        // The ticket's lock serializes every move on its make-goods (and its offers).
        let agent = match access_for_write(tx.conn(), principal, row.ticket_id).await {
            Ok((_, access)) => access == TicketAccess::Agent,
            Err(AppError::NotFound(_)) => false,
            Err(other) => return Err(other),
        };
        let row = make_goods::get(tx.conn(), id).await?.ok_or(AppError::NotFound("make-good"))?;
        let seat = Seat::of(principal, &row, agent).ok_or(AppError::NotFound("make-good"))?;
        if !seat.may(principal, &row, action) {
            return Err(AppError::forbidden(format!("you may not {action} this make-good")));
        }
        let to = row.state.after(action).ok_or_else(|| {
            AppError::conflict(
                "illegal_move",
                format!("a make-good that is {} cannot take the move “{action}”", row.state),
            )
        })?;
        if action == MakeGoodAction::Approve {
            let budget = recovery_budgets::lock(tx.conn(), row.team_id, &row.period).await?;
            let budget = require_budget(budget, &row.team_name, &row.period)?;
            check_budget(tx.conn(), &budget, &row.team_name, row.amount_minor).await?;
        }
        let step = Move {
            from: row.state,
            to,
            approved_by: (action == MakeGoodAction::Approve).then_some(principal.person_id),
            customer_comment: note.filter(|_| action == MakeGoodAction::Decline),
        };
        if !make_goods::apply(tx.conn(), id, step, now).await? {
            return Err(AppError::conflict("illegal_move", "the make-good was moved by someone else; reload it"));
        }
        let data = json!({ "make_good_id": id, "from": row.state, "to": to, "note": note });
        events::append(tx.conn(), row.ticket_id, Some(principal.person_id), event_kind(to), &data, now).await?;
        let row = make_goods::get(tx.conn(), id).await?.ok_or(AppError::NotFound("make-good"))?;
        tx.commit().await?;
        tracing::info!(make_good.id = id.0, "make-good {id} {action}: {to}");
        Ok(make_good_view(principal, row, seat))
    }
}

/// The audit trail's word for arriving in a state.
fn event_kind(state: MakeGoodState) -> &'static str {
    match state {
        MakeGoodState::PendingApproval => "make_good_proposed",
        MakeGoodState::Offered => "make_good_approved",
        MakeGoodState::Accepted => "make_good_accepted",
        MakeGoodState::Redeemed => "make_good_redeemed",
        MakeGoodState::Declined => "make_good_declined",
        MakeGoodState::Withdrawn => "make_good_withdrawn",
        MakeGoodState::Rejected => "make_good_rejected",
    }
}
