//! Help articles: who may read an article (its audience against the reader), what a reader may
//! say about one (a reaction), and the slug an article's address is made from.

use crate::macros::string_enum;
use crate::person::PersonKind;
use crate::principal::Principal;

string_enum!(
    /// Who may read an article: everyone (signed out and external customers included), the
    /// organization's employees (and staff), or staff only.
    ArticleAudience { Public => "public", Employees => "employees", Agents => "agents" }
);

string_enum!(
    /// A reader's one-word verdict on an article; one per reader, changeable.
    Reaction { Sucks => "sucks", Boring => "boring", Useful => "useful", Interesting => "interesting", Awesome => "awesome" }
);

impl ArticleAudience {
    /// The audiences a reader may read: `None` is a visitor who is not signed in. Staff read every
    /// article, an employee the public and employee ones, everyone else the public ones only.
    pub fn readable_by(reader: Option<&Principal>) -> &'static [ArticleAudience] {
        match reader {
            Some(principal) if principal.is_staff() => ArticleAudience::ALL,
            Some(principal) if principal.kind == PersonKind::Employee => {
                &[ArticleAudience::Public, ArticleAudience::Employees]
            }
            _ => &[ArticleAudience::Public],
        }
    }

    pub fn is_readable_by(self, reader: Option<&Principal>) -> bool {
        Self::readable_by(reader).contains(&self)
    }
}

/// Whether this person may write and publish an article owned by `team`: its agents and admins.
pub fn may_edit(principal: &Principal, team: crate::ids::TeamId) -> bool {
    principal.is_admin || principal.is_member_of(team)
}

/// An address-friendly slug from a title: lowercase ASCII letters and digits joined by single
/// dashes, at most 60 characters, starting with a letter ("article" when the title has none).
pub fn slug_from_title(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_matches('-').trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
    if slug.len() < 2 { "article".to_owned() } else { slug.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{PersonId, TeamId};
    use crate::person::TeamRole;
    use crate::principal::Membership;

    fn person(kind: PersonKind, is_admin: bool, teams: &[i64]) -> Principal {
        Principal {
            person_id: PersonId(1),
            name: "P".into(),
            email: "p@example.com".into(),
            kind,
            department_id: None,
            is_admin,
            organization_id: None,
            org_access: false,
            memberships: teams
                .iter()
                .map(|team| Membership { team_id: TeamId(*team), role: TeamRole::Agent })
                .collect(),
        }
    }

    #[test]
    fn each_reader_reads_only_their_audiences() {
        use ArticleAudience::*;
        let check = |reader: Option<&Principal>, expect: &[ArticleAudience]| {
            for audience in ArticleAudience::ALL {
                assert_eq!(audience.is_readable_by(reader), expect.contains(audience), "{audience} for {reader:?}");
            }
        };
        check(None, &[Public]);
        check(Some(&person(PersonKind::External, false, &[])), &[Public]);
        check(Some(&person(PersonKind::Employee, false, &[])), &[Public, Employees]);
        check(Some(&person(PersonKind::Employee, false, &[7])), &[Public, Employees, Agents]);
        check(Some(&person(PersonKind::Employee, true, &[])), &[Public, Employees, Agents]);
    }

    #[test]
    fn only_the_owning_team_and_admins_edit() {
        assert!(may_edit(&person(PersonKind::Employee, false, &[3]), TeamId(3)));
        assert!(!may_edit(&person(PersonKind::Employee, false, &[4]), TeamId(3)));
        assert!(may_edit(&person(PersonKind::Employee, true, &[]), TeamId(3)));
        assert!(!may_edit(&person(PersonKind::Employee, false, &[]), TeamId(3)));
    }

    #[test]
    fn slugs_are_made_from_titles() {
        let check = |title: &str, expect: &str| assert_eq!(slug_from_title(title), expect, "{title}");
        check("How to descale your espresso machine", "how-to-descale-your-espresso-machine");
        check("  VPN: set-up (Windows & macOS)! ", "vpn-set-up-windows-macos");
        check("2024 leave policy", "leave-policy");
        check("Café au lait", "caf-au-lait");
        check("!!!", "article");
        assert!(slug_from_title(&"word ".repeat(40)).len() <= 60);
    }
}
