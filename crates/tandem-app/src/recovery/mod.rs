//! Service recovery: after a bad experience (a CSAT of 2 or less, a breached standard target, an
//! incident) Tandem suggests a make-good on the ticket; its agents offer one, a lead approves it
//! when it is worth more than the team's approval limit, the customer accepts or declines it and
//! an agent marks it redeemed. Each team has a budget per month; nothing is offered beyond it.
//!
//! Who sees what: the ticket's agents (and admins) see its make-goods whole; the customer sees
//! only the ones offered to them, without notes, reasons or who offered them; to anyone else a
//! make-good answers like a missing one. See docs/designs/recovery-and-loyalty.md.

mod budgets;
pub mod money;
mod moves;
mod offer;
mod read;
mod views;

pub use budgets::{BudgetInput, BudgetLine, BudgetOut, BudgetReport};
pub use moves::MoveInput;
pub use offer::OfferInput;
pub use read::MakeGoodQuery;
pub use views::{MakeGoodOut, Suggestion, TicketMakeGoods};
