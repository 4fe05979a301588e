//! Who may see a ticket, and how much of it: the visibility rules at the heart of Tandem.
//!
//! - An admin, and an agent of the ticket's team, see everything, internal notes included.
//! - The requester, the person it is for, and followers see the customer view: public messages only.
//! - An external contact granted organization access sees their organization's tickets the same way.
//! - Anyone else does not see the ticket at all (and is answered as if it did not exist).

use crate::ids::{OrganizationId, PersonId, TeamId};
use crate::person::PersonKind;
use crate::principal::Principal;
use crate::ticket::Side;

/// The facts about a ticket that decide who may see it.
#[derive(Clone, Copy, Debug)]
pub struct TicketParties {
    pub team_id: TeamId,
    pub requester_id: PersonId,
    pub recipient_id: Option<PersonId>,
    pub organization_id: Option<OrganizationId>,
    pub principal_follows: bool,
}

/// How much of a ticket a principal may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TicketAccess {
    /// The whole ticket: internal notes, audit trail, every field. May work it.
    Agent,
    /// Public messages and the ticket's public state. May reply, attach and mark solved.
    Customer,
}

impl TicketAccess {
    pub fn side(self) -> Side {
        match self {
            TicketAccess::Agent => Side::Agent,
            TicketAccess::Customer => Side::Customer,
        }
    }
}

/// Decides the access of `principal` to a ticket; `None` means the ticket is invisible to them.
pub fn ticket_access(principal: &Principal, ticket: &TicketParties) -> Option<TicketAccess> {
    if principal.is_admin || principal.is_member_of(ticket.team_id) {
        return Some(TicketAccess::Agent);
    }
    let me = principal.person_id;
    let party = ticket.requester_id == me || ticket.recipient_id == Some(me) || ticket.principal_follows;
    let organization_wide = principal.kind == PersonKind::External
        && principal.org_access
        && principal.organization_id.is_some()
        && principal.organization_id == ticket.organization_id;
    (party || organization_wide).then_some(TicketAccess::Customer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::TeamRole;
    use crate::principal::Membership;

    fn person(id: i64, kind: PersonKind) -> Principal {
        Principal {
            person_id: PersonId(id),
            name: format!("person {id}"),
            email: format!("person{id}@example.com"),
            kind,
            department_id: None,
            is_admin: false,
            organization_id: None,
            org_access: false,
            memberships: vec![],
        }
    }

    fn ticket() -> TicketParties {
        TicketParties {
            team_id: TeamId(1),
            requester_id: PersonId(10),
            recipient_id: Some(PersonId(11)),
            organization_id: Some(OrganizationId(5)),
            principal_follows: false,
        }
    }

    #[test]
    fn each_rule_of_ticket_visibility() {
        let check = |principal: &Principal, parties: TicketParties, expect: Option<TicketAccess>| {
            assert_eq!(ticket_access(principal, &parties), expect, "{principal:?}");
        };
        let requester = person(10, PersonKind::External);
        check(&requester, ticket(), Some(TicketAccess::Customer));
        let recipient = person(11, PersonKind::External);
        check(&recipient, ticket(), Some(TicketAccess::Customer));

        let stranger = person(12, PersonKind::External);
        check(&stranger, ticket(), None);
        check(&stranger, TicketParties { principal_follows: true, ..ticket() }, Some(TicketAccess::Customer));

        let mut colleague = person(13, PersonKind::External);
        colleague.organization_id = Some(OrganizationId(5));
        check(&colleague, ticket(), None);
        colleague.org_access = true;
        check(&colleague, ticket(), Some(TicketAccess::Customer));
        check(&colleague, TicketParties { organization_id: Some(OrganizationId(6)), ..ticket() }, None);
        check(&colleague, TicketParties { organization_id: None, ..ticket() }, None);

        let mut agent = person(20, PersonKind::Employee);
        agent.memberships = vec![Membership { team_id: TeamId(2), role: TeamRole::Agent }];
        check(&agent, ticket(), None);
        agent.memberships.push(Membership { team_id: TeamId(1), role: TeamRole::Agent });
        check(&agent, ticket(), Some(TicketAccess::Agent));

        let mut admin = person(30, PersonKind::Employee);
        admin.is_admin = true;
        check(&admin, ticket(), Some(TicketAccess::Agent));

        // An employee who asked for help sees their own request, but only its customer view.
        let employee = person(10, PersonKind::Employee);
        check(&employee, ticket(), Some(TicketAccess::Customer));
        // Organization access is for external contacts only.
        let mut insider = person(14, PersonKind::Employee);
        insider.organization_id = Some(OrganizationId(5));
        insider.org_access = true;
        check(&insider, ticket(), None);
    }
}
