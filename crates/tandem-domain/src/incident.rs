//! Incidents: their words (status, severity) and the match rule that links a new ticket to an open
//! incident as it arrives.

use crate::ids::ServiceId;
use crate::macros::string_enum;

string_enum!(
    /// An incident is open until it is solved; a solved incident takes no links, updates or rules.
    IncidentStatus { Open => "open", Solved => "solved" }
);

string_enum!(
    /// How bad it is, for people reading the list; no rule depends on it.
    Severity { Minor => "minor", Major => "major", Critical => "critical" }
);

/// Which new tickets an open incident takes as they arrive. Every condition set must hold; an
/// incident with no condition takes none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatchRules {
    pub service_id: Option<ServiceId>,
    /// Lower-case; the subject must contain at least one of them.
    pub words: Vec<String>,
}

impl MatchRules {
    pub fn is_empty(&self) -> bool {
        self.service_id.is_none() && self.words.is_empty()
    }

    /// Whether a ticket of `service` with `subject` belongs to the incident.
    pub fn matches(&self, service: Option<ServiceId>, subject: &str) -> bool {
        if self.is_empty() {
            return false;
        }
        let service_holds = self.service_id.is_none_or(|wanted| service == Some(wanted));
        let subject = subject.to_lowercase();
        let words_hold = self.words.is_empty() || self.words.iter().any(|word| subject.contains(word.as_str()));
        service_holds && words_hold
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_condition_of_a_match_rule_must_hold() {
        let rules = |service: Option<i64>, words: &[&str]| MatchRules {
            service_id: service.map(ServiceId),
            words: words.iter().map(|word| (*word).to_owned()).collect(),
        };
        let check = |rules: MatchRules, service: Option<i64>, subject: &str, expect: bool| {
            assert_eq!(rules.matches(service.map(ServiceId), subject), expect, "{rules:?} {service:?} {subject}");
        };
        check(rules(None, &[]), Some(1), "anything", false);
        check(rules(Some(1), &[]), Some(1), "anything", true);
        check(rules(Some(1), &[]), Some(2), "anything", false);
        check(rules(Some(1), &[]), None, "anything", false);
        check(rules(None, &["card", "till"]), None, "The TILL is frozen", true);
        check(rules(None, &["card", "till"]), Some(3), "printer jam", false);
        check(rules(Some(1), &["card"]), Some(1), "Card declined", true);
        check(rules(Some(1), &["card"]), Some(2), "Card declined", false);
        check(rules(Some(1), &["card"]), Some(1), "printer jam", false);
    }
}
