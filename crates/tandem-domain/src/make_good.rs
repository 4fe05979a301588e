//! Make-goods: what the desk gives a customer after a bad experience (a credit, a voucher, a
//! reward), the state machine it moves through, who may move it, and when Tandem suggests one.

use crate::macros::string_enum;

string_enum!(
    /// What is given: money back on an account, a voucher to spend, or a reward (a free coffee).
    MakeGoodKind { Credit => "credit", Voucher => "voucher", Reward => "reward" }
);

string_enum!(
    /// Where a make-good stands. `pending_approval` waits on a lead (its value is above the team's
    /// approval limit); the customer sees it from `offered` on. The last four end it.
    MakeGoodState {
        PendingApproval => "pending_approval",
        Offered => "offered",
        Accepted => "accepted",
        Redeemed => "redeemed",
        Declined => "declined",
        Withdrawn => "withdrawn",
        Rejected => "rejected",
    }
);

string_enum!(
    /// A move on a make-good, named for what the person does.
    MakeGoodAction {
        Approve => "approve",
        Reject => "reject",
        Accept => "accept",
        Decline => "decline",
        Redeem => "redeem",
        Withdraw => "withdraw",
    }
);

string_enum!(
    /// Why Tandem suggests a make-good on a ticket.
    RecoveryReason { LowCsat => "low_csat", BreachedTarget => "breached_target", Incident => "incident" }
);

/// Who may make a move: the ticket's agents, its team's leads (and admins), or the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mover {
    Agent,
    Lead,
    Customer,
}

impl MakeGoodAction {
    /// Who makes this move. A lead is also an agent, so agents' moves are open to leads.
    pub fn mover(self) -> Mover {
        match self {
            MakeGoodAction::Approve | MakeGoodAction::Reject => Mover::Lead,
            MakeGoodAction::Accept | MakeGoodAction::Decline => Mover::Customer,
            MakeGoodAction::Redeem | MakeGoodAction::Withdraw => Mover::Agent,
        }
    }
}

impl MakeGoodState {
    /// The state `action` leads to from this one, or `None` when the move is not allowed here.
    pub fn after(self, action: MakeGoodAction) -> Option<MakeGoodState> {
        use MakeGoodAction as A;
        use MakeGoodState as S;
        match (self, action) {
            (S::PendingApproval, A::Approve) => Some(S::Offered),
            (S::PendingApproval, A::Reject) => Some(S::Rejected),
            (S::PendingApproval | S::Offered, A::Withdraw) => Some(S::Withdrawn),
            (S::Offered, A::Accept) => Some(S::Accepted),
            (S::Offered, A::Decline) => Some(S::Declined),
            (S::Accepted, A::Redeem) => Some(S::Redeemed),
            _ => None,
        }
    }

    /// Whether the make-good still spends (or will spend) its team's budget: once offered, until
    /// the customer declines or it is withdrawn. Pending ones are counted when approved.
    pub fn spends_budget(self) -> bool {
        matches!(self, MakeGoodState::Offered | MakeGoodState::Accepted | MakeGoodState::Redeemed)
    }

    /// Whether the make-good is still in play (a ticket has at most one such at a time).
    pub fn is_open(self) -> bool {
        matches!(self, MakeGoodState::PendingApproval | MakeGoodState::Offered | MakeGoodState::Accepted)
    }

    /// Whether the customer sees it: never before a lead approved it, never a rejected one.
    pub fn customer_sees(self, was_offered: bool) -> bool {
        was_offered && !matches!(self, MakeGoodState::PendingApproval | MakeGoodState::Rejected)
    }
}

/// What went wrong on a ticket, as far as recovery is concerned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecoveryFacts {
    /// The requester's CSAT rating, if they rated it.
    pub rating: Option<i64>,
    /// Service-standard targets of the ticket that breached.
    pub breached_targets: i64,
    /// Whether the ticket is linked to an incident.
    pub incident: bool,
}

/// A CSAT rating at or below this is a bad experience.
pub const LOW_CSAT: i64 = 2;

impl RecoveryFacts {
    /// The reasons to suggest a make-good, most serious first; empty when none applies.
    pub fn reasons(&self) -> Vec<RecoveryReason> {
        let mut reasons = Vec::new();
        if self.rating.is_some_and(|rating| rating <= LOW_CSAT) {
            reasons.push(RecoveryReason::LowCsat);
        }
        if self.breached_targets > 0 {
            reasons.push(RecoveryReason::BreachedTarget);
        }
        if self.incident {
            reasons.push(RecoveryReason::Incident);
        }
        reasons
    }
}

/// What Tandem suggests for these reasons: a credit for one thing gone wrong, a voucher worth
/// more for several (or for the lowest rating), in the currency's minor units.
pub fn suggested(reasons: &[RecoveryReason], rating: Option<i64>) -> Option<(MakeGoodKind, i64)> {
    const BASE_MINOR: i64 = 1_000;
    if reasons.is_empty() {
        return None;
    }
    let weight = reasons.len() as i64 + i64::from(rating == Some(1));
    let kind = if weight > 1 { MakeGoodKind::Voucher } else { MakeGoodKind::Credit };
    Some((kind, BASE_MINOR * weight))
}

/// A budget period: a calendar month, `YYYY-MM`.
pub fn parse_period(text: &str) -> Option<(i16, i8)> {
    let (year, month) = text.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let (year, month) = (year.parse::<i16>().ok()?, month.parse::<i8>().ok()?);
    ((1970..=9999).contains(&year) && (1..=12).contains(&month)).then_some((year, month))
}

/// The budget period (UTC month, `YYYY-MM`) an instant falls in.
pub fn period_of(at: crate::Millis) -> String {
    let timestamp = jiff::Timestamp::from_millisecond(at).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let date = timestamp.to_zoned(jiff::tz::TimeZone::UTC).date();
    format!("{:04}-{:02}", date.year(), date.month())
}

/// A currency code: three upper-case letters (ISO 4217 form; amounts are in its minor unit).
pub fn is_currency(text: &str) -> bool {
    text.len() == 3 && text.bytes().all(|byte| byte.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use MakeGoodAction as A;
    use MakeGoodState as S;

    #[test]
    fn the_state_machine_allows_only_its_moves() {
        let allowed = [
            (S::PendingApproval, A::Approve, S::Offered),
            (S::PendingApproval, A::Reject, S::Rejected),
            (S::PendingApproval, A::Withdraw, S::Withdrawn),
            (S::Offered, A::Accept, S::Accepted),
            (S::Offered, A::Decline, S::Declined),
            (S::Offered, A::Withdraw, S::Withdrawn),
            (S::Accepted, A::Redeem, S::Redeemed),
        ];
        for state in S::ALL {
            for action in A::ALL {
                let expected = allowed.iter().find(|(from, by, _)| from == state && by == action).map(|(_, _, to)| *to);
                assert_eq!(state.after(*action), expected, "{state} --{action}-->");
            }
        }
    }

    #[test]
    fn ended_make_goods_take_no_moves_and_stop_spending() {
        for state in [S::Redeemed, S::Declined, S::Withdrawn, S::Rejected] {
            assert!(A::ALL.iter().all(|action| state.after(*action).is_none()), "{state}");
            assert!(!state.is_open());
        }
        assert!(!S::PendingApproval.spends_budget() && !S::Declined.spends_budget() && !S::Withdrawn.spends_budget());
        assert!(S::Offered.spends_budget() && S::Accepted.spends_budget() && S::Redeemed.spends_budget());
    }

    #[test]
    fn customers_see_only_what_was_offered_to_them() {
        assert!(!S::PendingApproval.customer_sees(false));
        assert!(!S::Rejected.customer_sees(false));
        assert!(!S::Withdrawn.customer_sees(false), "withdrawn before a lead approved it");
        assert!(S::Withdrawn.customer_sees(true));
        assert!(S::Offered.customer_sees(true) && S::Declined.customer_sees(true));
    }

    #[test]
    fn each_move_has_its_mover() {
        assert_eq!(A::Approve.mover(), Mover::Lead);
        assert_eq!(A::Reject.mover(), Mover::Lead);
        assert_eq!(A::Accept.mover(), Mover::Customer);
        assert_eq!(A::Decline.mover(), Mover::Customer);
        assert_eq!(A::Redeem.mover(), Mover::Agent);
        assert_eq!(A::Withdraw.mover(), Mover::Agent);
    }

    #[test]
    fn a_bad_experience_suggests_a_make_good_that_grows_with_it() {
        let facts = |rating, breached, incident| RecoveryFacts { rating, breached_targets: breached, incident };
        assert!(facts(Some(3), 0, false).reasons().is_empty());
        assert!(facts(None, 0, false).reasons().is_empty());
        assert_eq!(facts(Some(2), 0, false).reasons(), [RecoveryReason::LowCsat]);
        let all = facts(Some(1), 2, true).reasons();
        assert_eq!(all, [RecoveryReason::LowCsat, RecoveryReason::BreachedTarget, RecoveryReason::Incident]);
        assert_eq!(suggested(&[], None), None);
        assert_eq!(suggested(&[RecoveryReason::Incident], None), Some((MakeGoodKind::Credit, 1_000)));
        assert_eq!(suggested(&[RecoveryReason::LowCsat], Some(1)), Some((MakeGoodKind::Voucher, 2_000)));
        assert_eq!(suggested(&all, Some(1)), Some((MakeGoodKind::Voucher, 4_000)));
    }

    #[test]
    fn periods_are_months_and_currencies_three_letters() {
        assert_eq!(parse_period("2026-11"), Some((2026, 11)));
        for bad in ["2026-13", "2026-1", "26-11", "2026/11", "", "2026-00"] {
            assert_eq!(parse_period(bad), None, "{bad}");
        }
        assert_eq!(period_of(1_764_547_199_999), "2025-11", "the last millisecond of November");
        assert_eq!(period_of(1_764_547_200_000), "2025-12");
        assert!(is_currency("EUR"));
        assert!(!is_currency("eur") && !is_currency("EURO") && !is_currency("E1R"));
    }
}
