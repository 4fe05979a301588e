//! Announcements: who may write them (admins and team leads: the organization's leadership), who
//! receives one (employees, all of them or one department's; never an external customer), and
//! where one stands in its life (draft, published, expired, withdrawn) at a given instant.

use crate::Millis;
use crate::ids::TeamId;
use crate::macros::string_enum;
use crate::person::{PersonKind, TeamRole};
use crate::principal::Principal;

string_enum!(
    /// Where an announcement stands: a `draft` only writers see; `published` to its recipients;
    /// `expired` after its end date; `withdrawn` by its author or an admin. Only `published` ones
    /// reach readers.
    AnnouncementStatus { Draft => "draft", Published => "published", Expired => "expired", Withdrawn => "withdrawn" }
);

impl AnnouncementStatus {
    /// The status at `now` from the announcement's instants.
    pub fn at(
        published_at: Option<Millis>,
        withdrawn_at: Option<Millis>,
        expires_at: Option<Millis>,
        now: Millis,
    ) -> Self {
        match (published_at, withdrawn_at) {
            (_, Some(_)) => AnnouncementStatus::Withdrawn,
            (None, None) => AnnouncementStatus::Draft,
            (Some(_), None) if expires_at.is_some_and(|end| end <= now) => AnnouncementStatus::Expired,
            (Some(_), None) => AnnouncementStatus::Published,
        }
    }
}

/// Admins and the leads of any team write announcements and see every one with its read counts.
pub fn may_announce(principal: &Principal) -> bool {
    principal.is_admin || principal.memberships.iter().any(|membership| membership.role == TeamRole::Lead)
}

/// Whether the principal is among an announcement's recipients: an employee, and for a
/// department's announcement, one of that department.
pub fn is_recipient(principal: &Principal, department: Option<TeamId>) -> bool {
    principal.kind == PersonKind::Employee
        && department.is_none_or(|department| principal.department_id == Some(department))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PersonId;
    use crate::principal::Membership;

    fn person(kind: PersonKind, department: Option<i64>, is_admin: bool, roles: &[TeamRole]) -> Principal {
        Principal {
            person_id: PersonId(1),
            name: "P".into(),
            email: "p@example.com".into(),
            kind,
            department_id: department.map(TeamId),
            is_admin,
            organization_id: None,
            org_access: false,
            memberships: roles.iter().map(|&role| Membership { team_id: TeamId(9), role }).collect(),
        }
    }

    #[test]
    fn leadership_writes() {
        let check = |principal: Principal, expect: bool| assert_eq!(may_announce(&principal), expect, "{principal:?}");
        check(person(PersonKind::Employee, None, true, &[]), true);
        check(person(PersonKind::Employee, None, false, &[TeamRole::Agent, TeamRole::Lead]), true);
        check(person(PersonKind::Employee, None, false, &[TeamRole::Agent]), false);
        check(person(PersonKind::Employee, Some(3), false, &[]), false);
        check(person(PersonKind::External, None, false, &[]), false);
    }

    #[test]
    fn employees_of_the_audience_receive() {
        let check = |principal: Principal, department: Option<i64>, expect: bool| {
            assert_eq!(is_recipient(&principal, department.map(TeamId)), expect, "{principal:?} {department:?}");
        };
        check(person(PersonKind::Employee, Some(3), false, &[]), None, true);
        check(person(PersonKind::Employee, None, false, &[]), None, true);
        check(person(PersonKind::Employee, Some(3), false, &[]), Some(3), true);
        check(person(PersonKind::Employee, Some(4), false, &[]), Some(3), false);
        check(person(PersonKind::Employee, None, true, &[]), Some(3), false);
        check(person(PersonKind::External, None, false, &[]), None, false);
        check(person(PersonKind::External, Some(3), false, &[]), Some(3), false);
    }

    #[test]
    fn status_follows_the_instants() {
        use AnnouncementStatus::*;
        let check = |published, withdrawn, expires, expect| {
            assert_eq!(AnnouncementStatus::at(published, withdrawn, expires, 100), expect);
        };
        check(None, None, None, Draft);
        check(None, None, Some(50), Draft);
        check(Some(10), None, None, Published);
        check(Some(10), None, Some(101), Published);
        check(Some(10), None, Some(100), Expired);
        check(Some(10), Some(20), None, Withdrawn);
        check(None, Some(20), Some(50), Withdrawn);
    }
}
