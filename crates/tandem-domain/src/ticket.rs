//! Ticket words (status, priority, channel, message visibility) and the status rules.

use crate::macros::string_enum;

string_enum!(
    /// Where a ticket stands. `pending_customer` waits on the requester, `pending_internal` on
    /// another team (a linked internal request); `closed` is final.
    TicketStatus {
        New => "new",
        Open => "open",
        PendingCustomer => "pending_customer",
        PendingInternal => "pending_internal",
        Solved => "solved",
        Closed => "closed",
    }
);

string_enum!(
    Priority { Low => "low", Normal => "normal", High => "high", Urgent => "urgent" }
);

string_enum!(
    /// How a ticket or message reached Tandem.
    Channel { Web => "web", Email => "email", Api => "api", Phone => "phone" }
);

string_enum!(
    /// A public reply is seen by the requester; an internal note only by agents.
    MessageVisibility { Public => "public", Internal => "internal" }
);

/// Which side of the desk wrote a message or asks for a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The requester, the person the ticket is for, or a follower.
    Customer,
    /// An agent of the ticket's team, or an admin.
    Agent,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    #[error("the ticket is closed; closed tickets cannot change")]
    Closed,
    #[error("a ticket cannot go back to `new`")]
    BackToNew,
    #[error("a requester can only mark a ticket solved")]
    CustomerMaySolveOnly,
}

impl TicketStatus {
    /// Whether the ticket still needs work from someone.
    pub fn is_active(self) -> bool {
        !matches!(self, TicketStatus::Solved | TicketStatus::Closed)
    }
}

/// Checks a status change someone asked for explicitly.
pub fn check_change(from: TicketStatus, to: TicketStatus, side: Side) -> Result<(), StatusError> {
    if from == TicketStatus::Closed && to != TicketStatus::Closed {
        return Err(StatusError::Closed);
    }
    if to == TicketStatus::New && from != TicketStatus::New {
        return Err(StatusError::BackToNew);
    }
    if side == Side::Customer && to != from && to != TicketStatus::Solved {
        return Err(StatusError::CustomerMaySolveOnly);
    }
    Ok(())
}

/// The status after a message is added, given an optional explicit status sent with it
/// (an agent's "reply and set pending").
///
/// - Nothing may be added to a closed ticket.
/// - A customer's message reopens a ticket that waited on them or was solved.
/// - An agent's first public reply moves a new ticket to open.
pub fn after_message(
    from: TicketStatus,
    side: Side,
    visibility: MessageVisibility,
    requested: Option<TicketStatus>,
) -> Result<TicketStatus, StatusError> {
    if from == TicketStatus::Closed {
        return Err(StatusError::Closed);
    }
    if let Some(to) = requested {
        check_change(from, to, side)?;
        return Ok(to);
    }
    let next = match (side, visibility, from) {
        (Side::Customer, _, TicketStatus::PendingCustomer | TicketStatus::Solved) => TicketStatus::Open,
        (Side::Agent, MessageVisibility::Public, TicketStatus::New) => TicketStatus::Open,
        _ => from,
    };
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use MessageVisibility::{Internal, Public};
    use TicketStatus::*;

    #[test]
    fn messages_move_the_status() {
        let check = |from, side, visibility, requested, expect: Result<TicketStatus, StatusError>| {
            assert_eq!(
                after_message(from, side, visibility, requested),
                expect,
                "{from} {side:?} {visibility} {requested:?}"
            );
        };
        check(New, Side::Agent, Public, None, Ok(Open));
        check(New, Side::Agent, Internal, None, Ok(New));
        check(New, Side::Customer, Public, None, Ok(New));
        check(Open, Side::Customer, Public, None, Ok(Open));
        check(PendingCustomer, Side::Customer, Public, None, Ok(Open));
        check(PendingCustomer, Side::Agent, Internal, None, Ok(PendingCustomer));
        check(PendingInternal, Side::Customer, Public, None, Ok(PendingInternal));
        check(Solved, Side::Customer, Public, None, Ok(Open));
        check(Solved, Side::Agent, Public, None, Ok(Solved));
        check(Open, Side::Agent, Public, Some(PendingCustomer), Ok(PendingCustomer));
        check(New, Side::Agent, Public, Some(Solved), Ok(Solved));
        check(Closed, Side::Customer, Public, None, Err(StatusError::Closed));
        check(Closed, Side::Agent, Internal, None, Err(StatusError::Closed));
        check(Open, Side::Customer, Public, Some(PendingInternal), Err(StatusError::CustomerMaySolveOnly));
        check(Open, Side::Customer, Public, Some(Solved), Ok(Solved));
    }

    #[test]
    fn explicit_changes_are_checked() {
        let check = |from, to, side, expect: Result<(), StatusError>| {
            assert_eq!(check_change(from, to, side), expect, "{from} -> {to} by {side:?}");
        };
        check(New, Open, Side::Agent, Ok(()));
        check(Open, New, Side::Agent, Err(StatusError::BackToNew));
        check(New, New, Side::Agent, Ok(()));
        check(Closed, Open, Side::Agent, Err(StatusError::Closed));
        check(Closed, Closed, Side::Agent, Ok(()));
        check(Solved, Closed, Side::Agent, Ok(()));
        check(Open, Solved, Side::Customer, Ok(()));
        check(Open, Closed, Side::Customer, Err(StatusError::CustomerMaySolveOnly));
        check(Open, Open, Side::Customer, Ok(()));
        for status in TicketStatus::ALL {
            assert_eq!(status.is_active(), !matches!(status, Solved | Closed));
        }
    }
}
