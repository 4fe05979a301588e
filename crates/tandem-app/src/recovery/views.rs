//! What a make-good looks like to each audience. The customer's view is built from an allow-list
//! (what was offered, its state, their own comment); the staff view adds who, why and the notes.

use serde::Serialize;
use tandem_domain::make_good::Mover;
use tandem_domain::{MakeGoodAction, MakeGoodId, MakeGoodKind, MakeGoodState, Principal, RecoveryReason, TicketId};
use tandem_store::make_goods::MakeGoodRow;

use super::money;
use crate::tickets::NamedRef;
use crate::{Instant, instant};

/// A make-good. Fields marked "staff" are absent from a customer's view.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MakeGoodOut {
    pub id: MakeGoodId,
    pub ticket_id: TicketId,
    pub ticket_subject: String,
    pub kind: MakeGoodKind,
    /// In the currency's minor unit (cents).
    pub amount_minor: i64,
    pub currency: String,
    /// The amount as people read it: "20.00 EUR".
    pub amount: String,
    /// What the customer is told.
    pub message: String,
    pub state: MakeGoodState,
    pub offered_at: Option<Instant>,
    /// The customer's words when they declined.
    pub customer_comment: Option<String>,
    /// The moves the caller may make now.
    pub actions: Vec<MakeGoodAction>,
    pub version: i64,
    pub updated_at: Instant,
    /// Staff: the team whose budget pays, and the month it counts in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<NamedRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Staff: the customer it is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<NamedRef>,
    /// Staff: why it was suggested when it was offered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasons: Option<Vec<RecoveryReason>>,
    /// Staff: the offering agent's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offered_by: Option<NamedRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<NamedRef>,
}

/// Whether the caller works the make-good's ticket (its agents and admins) or is its customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Seat {
    Staff,
    Customer,
}

impl Seat {
    /// How `principal` may see this make-good, if at all.
    pub fn of(principal: &Principal, row: &MakeGoodRow, agent_of_ticket: bool) -> Option<Seat> {
        if agent_of_ticket {
            Some(Seat::Staff)
        } else if row.customer_id == principal.person_id && row.state.customer_sees(row.offered_at.is_some()) {
            Some(Seat::Customer)
        } else {
            None
        }
    }

    /// Whether this seat (and this principal) may make `action`, whatever the state.
    pub fn may(self, principal: &Principal, row: &MakeGoodRow, action: MakeGoodAction) -> bool {
        match (action.mover(), self) {
            (Mover::Customer, _) => row.customer_id == principal.person_id && row.offered_at.is_some(),
            (Mover::Agent, Seat::Staff) => true,
            (Mover::Lead, Seat::Staff) => principal.manages(row.team_id),
            (_, Seat::Customer) => false,
        }
    }
}

pub(crate) fn make_good_view(principal: &Principal, row: MakeGoodRow, seat: Seat) -> MakeGoodOut {
    let actions = MakeGoodAction::ALL
        .iter()
        .copied()
        .filter(|action| row.state.after(*action).is_some() && seat.may(principal, &row, *action))
        .collect();
    let staff = seat == Seat::Staff;
    let named = |id: i64, name: String| NamedRef { id, slug: None, name };
    MakeGoodOut {
        id: row.id,
        ticket_id: row.ticket_id,
        ticket_subject: row.ticket_subject,
        kind: row.kind,
        amount: money::format(row.amount_minor, &row.currency),
        amount_minor: row.amount_minor,
        currency: row.currency,
        message: row.message,
        state: row.state,
        offered_at: row.offered_at.map(instant),
        customer_comment: row.customer_comment,
        actions,
        version: row.version,
        updated_at: instant(row.updated_at),
        team: staff.then(|| named(row.team_id.0, row.team_name)),
        period: staff.then_some(row.period),
        customer: staff.then(|| named(row.customer_id.0, row.customer_name)),
        reasons: staff.then(|| row.reasons.0.iter().filter_map(|reason| reason.parse().ok()).collect()),
        note: if staff { row.note } else { None },
        offered_by: staff.then(|| named(row.offered_by.0, row.offered_by_name)),
        approved_by: if staff {
            row.approved_by.zip(row.approved_by_name).map(|(id, name)| named(id.0, name))
        } else {
            None
        },
    }
}

/// What Tandem suggests on a ticket after a bad experience (staff only).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    /// What went wrong: a low rating, a breached target, an incident.
    pub reasons: Vec<RecoveryReason>,
    pub kind: MakeGoodKind,
    /// In the minor unit of the team's budget currency.
    pub amount_minor: i64,
    /// The team's budget currency this month (absent while it has no budget).
    pub currency: Option<String>,
    /// Whether an offer of this value waits for a lead's approval.
    pub needs_approval: bool,
    /// What is left of the team's budget this month.
    pub budget_remaining_minor: Option<i64>,
}

/// A ticket's make-goods as the caller may see them, and (for its agents) the suggestion.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TicketMakeGoods {
    /// Absent when nothing went wrong, when one is already in play, and for customers.
    pub suggestion: Option<Suggestion>,
    pub make_goods: Vec<MakeGoodOut>,
}
