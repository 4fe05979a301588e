//! Routing rules: ordered conditions on a new ticket that set its team, priority, tags and
//! (optionally) assignee, so each request reaches the right department without a human sorting it.
//! The first enabled rule that matches wins.

use serde::{Deserialize, Serialize};

use crate::audience::TicketAudience;
use crate::ids::{OrganizationId, PersonId, ServiceId, TeamId};
use crate::ticket::{Channel, Priority};
use crate::validate::FieldErrors;

/// What a rule looks at. Every condition that is set must hold; an empty list means "any".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleConditions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<TicketAudience>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_ids: Vec<ServiceId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Channel>,
    /// The requester's department (for employees).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub department_ids: Vec<TeamId>,
    /// The requester's customer organization (for external contacts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organization_ids: Vec<OrganizationId>,
    /// Matches when the subject contains any of these words (whole words, any case).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subject_words: Vec<String>,
}

/// What a matching rule does.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleActions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<TeamId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<PersonId>,
}

/// The facts of a new ticket that rules look at.
#[derive(Clone, Debug)]
pub struct RoutingFacts<'a> {
    pub audience: TicketAudience,
    pub service_id: Option<ServiceId>,
    pub channel: Channel,
    pub department_id: Option<TeamId>,
    pub organization_id: Option<OrganizationId>,
    pub subject: &'a str,
}

impl RuleConditions {
    pub fn matches(&self, facts: &RoutingFacts<'_>) -> bool {
        self.audience.is_none_or(|audience| audience == facts.audience)
            && any_of(&self.service_ids, facts.service_id)
            && (self.channels.is_empty() || self.channels.contains(&facts.channel))
            && any_of(&self.department_ids, facts.department_id)
            && any_of(&self.organization_ids, facts.organization_id)
            && (self.subject_words.is_empty() || subject_has_any(facts.subject, &self.subject_words))
    }

    pub fn check(&self, errors: &mut FieldErrors) {
        for word in &self.subject_words {
            if word.split_whitespace().count() != 1 {
                errors.add("conditions.subject_words", format!("`{word}` must be one word"));
            }
        }
    }
}

impl RuleActions {
    pub fn check(&self, errors: &mut FieldErrors) {
        let does_something = self.team_id.is_some()
            || self.priority.is_some()
            || !self.add_tags.is_empty()
            || self.assignee_id.is_some();
        if !does_something {
            errors.add("actions", "a rule must set a team, a priority, tags or an assignee");
        }
        if self.assignee_id.is_some() && self.team_id.is_none() {
            errors.add("actions.assignee_id", "an assignee needs the team they work in (actions.team_id)");
        }
    }
}

/// Returns the index of the first rule whose conditions match.
pub fn first_match<'r, R>(
    rules: &'r [R],
    conditions: impl Fn(&R) -> &RuleConditions,
    facts: &RoutingFacts<'_>,
) -> Option<&'r R> {
    rules.iter().find(|rule| conditions(rule).matches(facts))
}

/// An empty list allows anything; otherwise the actual value must be set and listed.
fn any_of<T: PartialEq>(wanted: &[T], actual: Option<T>) -> bool {
    wanted.is_empty() || actual.is_some_and(|value| wanted.contains(&value))
}

fn subject_has_any(subject: &str, words: &[String]) -> bool {
    let subject_words: Vec<String> =
        subject.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_lowercase).collect();
    words.iter().any(|word| subject_words.contains(&word.trim().to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(subject: &str) -> RoutingFacts<'_> {
        RoutingFacts {
            audience: TicketAudience::External,
            service_id: Some(ServiceId(3)),
            channel: Channel::Email,
            department_id: None,
            organization_id: Some(OrganizationId(7)),
            subject,
        }
    }

    #[test]
    fn conditions_match_on_each_fact() {
        let check = |conditions: RuleConditions, subject: &str, expect: bool| {
            assert_eq!(conditions.matches(&facts(subject)), expect, "{conditions:?} on {subject:?}");
        };
        check(RuleConditions::default(), "anything", true);
        check(RuleConditions { audience: Some(TicketAudience::External), ..Default::default() }, "x", true);
        check(RuleConditions { audience: Some(TicketAudience::Internal), ..Default::default() }, "x", false);
        check(RuleConditions { service_ids: vec![ServiceId(3), ServiceId(4)], ..Default::default() }, "x", true);
        check(RuleConditions { service_ids: vec![ServiceId(4)], ..Default::default() }, "x", false);
        check(RuleConditions { channels: vec![Channel::Web], ..Default::default() }, "x", false);
        check(RuleConditions { channels: vec![Channel::Web, Channel::Email], ..Default::default() }, "x", true);
        check(RuleConditions { department_ids: vec![TeamId(1)], ..Default::default() }, "x", false);
        check(RuleConditions { organization_ids: vec![OrganizationId(7)], ..Default::default() }, "x", true);
        let refund = || RuleConditions { subject_words: vec!["Refund".into(), "invoice".into()], ..Default::default() };
        check(refund(), "Please REFUND my order!", true);
        check(refund(), "Invoice #12 is wrong", true);
        check(refund(), "refunded already", false);
        check(refund(), "Wrong order", false);
        // Every condition must hold.
        check(RuleConditions { channels: vec![Channel::Email], ..refund() }, "refund", true);
        check(RuleConditions { channels: vec![Channel::Web], ..refund() }, "refund", false);
    }

    #[test]
    fn the_first_matching_rule_wins() {
        let rules = [
            ("refunds", RuleConditions { subject_words: vec!["refund".into()], ..Default::default() }),
            ("email", RuleConditions { channels: vec![Channel::Email], ..Default::default() }),
            ("all", RuleConditions::default()),
        ];
        let name = |subject| first_match(&rules, |rule| &rule.1, &facts(subject)).map(|rule| rule.0);
        assert_eq!(name("refund please"), Some("refunds"));
        assert_eq!(name("hello"), Some("email"));
        assert_eq!(first_match(&rules[..0], |rule| &rule.1, &facts("x")).map(|rule| rule.0), None);
    }

    #[test]
    fn actions_must_do_something_coherent() {
        let check = |actions: RuleActions, expect: &[&str]| {
            let mut errors = FieldErrors::new();
            actions.check(&mut errors);
            assert_eq!(errors.0.keys().map(String::as_str).collect::<Vec<_>>(), expect);
        };
        check(RuleActions::default(), &["actions"]);
        check(RuleActions { priority: Some(Priority::High), ..Default::default() }, &[]);
        check(RuleActions { assignee_id: Some(PersonId(1)), ..Default::default() }, &["actions.assignee_id"]);
    }
}
