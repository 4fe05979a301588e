//! Audiences: who a service (and later an article or announcement) is offered to, and which kind
//! of customer a ticket serves.

use crate::macros::string_enum;
use crate::person::PersonKind;

string_enum!(
    /// Who a service is offered to.
    Audience { Internal => "internal", External => "external", Both => "both" }
);

string_enum!(
    /// Which kind of customer a ticket serves: decided by its requester, fixed at creation.
    TicketAudience { Internal => "internal", External => "external" }
);

impl Audience {
    /// Whether a person of this kind may see and request something offered to this audience.
    pub fn offered_to(self, kind: PersonKind) -> bool {
        matches!(
            (self, kind),
            (Audience::Both, _)
                | (Audience::Internal, PersonKind::Employee)
                | (Audience::External, PersonKind::External)
        )
    }

    /// The audiences a person of this kind may see, for list filters.
    pub fn visible_to(kind: PersonKind) -> [Audience; 2] {
        match kind {
            PersonKind::Employee => [Audience::Internal, Audience::Both],
            PersonKind::External => [Audience::External, Audience::Both],
        }
    }
}

impl TicketAudience {
    pub fn of_requester(kind: PersonKind) -> Self {
        match kind {
            PersonKind::Employee => TicketAudience::Internal,
            PersonKind::External => TicketAudience::External,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_offers_never_reach_external_customers() {
        let check = |audience: Audience, kind: PersonKind, expect: bool| {
            assert_eq!(audience.offered_to(kind), expect, "{audience} to {kind}");
            assert_eq!(Audience::visible_to(kind).contains(&audience), expect, "{audience} list for {kind}");
        };
        check(Audience::Internal, PersonKind::External, false);
        check(Audience::Internal, PersonKind::Employee, true);
        check(Audience::External, PersonKind::External, true);
        check(Audience::External, PersonKind::Employee, false);
        check(Audience::Both, PersonKind::External, true);
        check(Audience::Both, PersonKind::Employee, true);
    }
}
