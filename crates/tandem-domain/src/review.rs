//! Reviews of services: who may read a review and what they may do with it. A public review is
//! for everyone (visitors too) while it is not hidden and its service is offered outside; a
//! private or hidden one only for its author and staff. Answering and hiding belong to the
//! service's team (and admins); editing to the author.

use crate::audience::Audience;
use crate::ids::{PersonId, TeamId};
use crate::macros::string_enum;
use crate::principal::Principal;

string_enum!(
    /// Who may read a review besides its author and staff.
    ReviewVisibility { Public => "public", Private => "private" }
);

/// What decides who may see a review.
#[derive(Clone, Copy, Debug)]
pub struct ReviewFacts {
    pub author_id: PersonId,
    /// The team that owns the reviewed service.
    pub team_id: TeamId,
    pub visibility: ReviewVisibility,
    pub hidden: bool,
    /// The reviewed service's audience now: a service made internal-only takes its reviews with it.
    pub service_audience: Audience,
}

/// How much of a review a reader gets, from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReviewAccess {
    /// Answered exactly like a review that does not exist.
    None,
    /// A public review, read by anyone.
    Reader,
    /// The person who wrote it: reads it whatever becomes of it, edits it.
    Author,
    /// Agents of other teams: read every review, change none.
    Staff,
    /// The service's team and admins: read, answer and hide.
    Owner,
}

impl ReviewFacts {
    /// What `reader` (`None`: a visitor) may do with this review.
    pub fn access(&self, reader: Option<&Principal>) -> ReviewAccess {
        match reader {
            Some(principal) if principal.is_admin || principal.is_member_of(self.team_id) => ReviewAccess::Owner,
            Some(principal) if principal.is_staff() => ReviewAccess::Staff,
            Some(principal) if principal.person_id == self.author_id => ReviewAccess::Author,
            _ if self.is_public() => ReviewAccess::Reader,
            _ => ReviewAccess::None,
        }
    }

    /// Whether the review is on the help centre for everyone.
    pub fn is_public(&self) -> bool {
        self.visibility == ReviewVisibility::Public && !self.hidden && self.service_audience != Audience::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::{PersonKind, TeamRole};
    use crate::principal::Membership;

    fn person(id: i64, kind: PersonKind, team: Option<i64>, admin: bool) -> Principal {
        Principal {
            person_id: PersonId(id),
            name: String::new(),
            email: String::new(),
            kind,
            department_id: None,
            is_admin: admin,
            organization_id: None,
            org_access: false,
            memberships: team
                .map(|team| Membership { team_id: TeamId(team), role: TeamRole::Agent })
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn each_reader_gets_what_the_review_allows() {
        let author = person(1, PersonKind::External, None, false);
        let other_customer = person(2, PersonKind::External, None, false);
        let employee = person(3, PersonKind::Employee, None, false);
        let owner = person(4, PersonKind::Employee, Some(10), false);
        let other_agent = person(5, PersonKind::Employee, Some(11), false);
        let admin = person(6, PersonKind::Employee, None, true);
        let readers: [(Option<&Principal>, &str); 7] = [
            (None, "visitor"),
            (Some(&author), "author"),
            (Some(&other_customer), "other customer"),
            (Some(&employee), "employee"),
            (Some(&owner), "owner"),
            (Some(&other_agent), "other agent"),
            (Some(&admin), "admin"),
        ];
        use ReviewAccess::{Author, Owner, Reader, Staff};
        const NO: ReviewAccess = ReviewAccess::None;
        let check = |visibility, hidden, service_audience, expect: [ReviewAccess; 7]| {
            let facts =
                ReviewFacts { author_id: PersonId(1), team_id: TeamId(10), visibility, hidden, service_audience };
            for ((reader, name), want) in readers.iter().zip(expect) {
                assert_eq!(facts.access(*reader), want, "{name} on {visibility} hidden={hidden} {service_audience}");
            }
        };
        let public = ReviewVisibility::Public;
        let private = ReviewVisibility::Private;
        check(public, false, Audience::External, [Reader, Author, Reader, Reader, Owner, Staff, Owner]);
        check(public, false, Audience::Both, [Reader, Author, Reader, Reader, Owner, Staff, Owner]);
        check(private, false, Audience::External, [NO, Author, NO, NO, Owner, Staff, Owner]);
        check(public, true, Audience::External, [NO, Author, NO, NO, Owner, Staff, Owner]);
        check(public, false, Audience::Internal, [NO, Author, NO, NO, Owner, Staff, Owner]);
    }
}
