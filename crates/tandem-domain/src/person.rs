//! The directory's closed sets: what kind of person someone is, how an outside stakeholder relates
//! to the organization, and what a team member may do.

use crate::macros::string_enum;

string_enum!(
    /// An employee is an internal customer (and may also be an agent); an external contact is not
    /// part of the organization.
    PersonKind { Employee => "employee", External => "external" }
);

string_enum!(
    /// How an external contact relates to the organization.
    Stakeholder {
        Client => "client",
        Consumer => "consumer",
        Supplier => "supplier",
        Shareholder => "shareholder",
        Partner => "partner",
        Community => "community",
    }
);

string_enum!(
    /// Strength of an outside stakeholder's connection: suppliers and shareholders are connected,
    /// the local community is loosely connected.
    Connection { Connected => "connected", Loose => "loose" }
);

string_enum!(
    /// A team provides or receives services; a department groups people (and teams) in the tree.
    TeamKind { Team => "team", Department => "department" }
);

string_enum!(
    /// A member's role in a team: agents work its queue, leads also manage its settings.
    TeamRole { Agent => "agent", Lead => "lead" }
);

string_enum!(
    /// How new tickets of a team get an assignee.
    Assignment { Queue => "queue", RoundRobin => "round_robin" }
);

/// Picks the next agent for round-robin assignment: the first available member after the one
/// assigned last, wrapping around. `members` must be sorted by id.
pub fn next_round_robin<T: Copy + Ord>(members: &[T], last: Option<T>) -> Option<T> {
    let after_last = last.and_then(|last| members.iter().copied().find(|member| *member > last));
    after_last.or_else(|| members.first().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_robin_cycles_through_available_members() {
        let check = |members: &[i64], last: Option<i64>, expect: Option<i64>| {
            assert_eq!(next_round_robin(members, last), expect, "{members:?} after {last:?}");
        };
        check(&[], None, None);
        check(&[], Some(3), None);
        check(&[4], None, Some(4));
        check(&[4], Some(4), Some(4));
        check(&[1, 4, 9], None, Some(1));
        check(&[1, 4, 9], Some(1), Some(4));
        check(&[1, 4, 9], Some(4), Some(9));
        check(&[1, 4, 9], Some(9), Some(1));
        // The last assignee left the team or went unavailable: continue after their place.
        check(&[1, 4, 9], Some(5), Some(9));
        check(&[1, 4, 9], Some(10), Some(1));
    }

    #[test]
    fn words_round_trip_and_refuse_strangers() {
        for kind in Stakeholder::ALL {
            assert_eq!(kind.as_str().parse::<Stakeholder>().unwrap(), *kind);
        }
        let error = "vendor".parse::<Stakeholder>().unwrap_err();
        assert!(error.to_string().contains("supplier"), "{error}");
    }
}
