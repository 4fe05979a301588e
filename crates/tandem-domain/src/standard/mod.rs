//! Service standards (SLAs for external service, OLAs for internal): which standard applies to a
//! ticket (the first enabled one whose conditions all hold), what it promises (first response,
//! next response, resolution, in business minutes of a calendar), and each target's clock
//! (`clock.rs`). Pure: the app layer loads the rows and writes back what these rules decide.

mod clock;
mod escalation;

pub use clock::{Phase, TargetClock};
pub use escalation::{Escalation, Escalations, ONE_STEP};

use serde::{Deserialize, Serialize};

use crate::macros::string_enum;
use crate::validate::FieldErrors;
use crate::{OrganizationId, Priority, ServiceId, TeamId, TicketAudience};

string_enum!(
    /// What a target measures: the first public reply, each reply after a customer's message,
    /// or the ticket being solved.
    Metric { FirstResponse => "first_response", NextResponse => "next_response", Resolution => "resolution" }
);

string_enum!(
    /// Where a target stands. `breached` stays once the due time passed, even if met later.
    TargetState { Running => "running", Paused => "paused", Met => "met", Breached => "breached" }
);

/// Which tickets a standard applies to. Every condition that is set must hold; empty means "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StandardConditions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<TicketAudience>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_ids: Vec<ServiceId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub team_ids: Vec<TeamId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub priorities: Vec<Priority>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organization_ids: Vec<OrganizationId>,
}

/// What a ticket shows the conditions.
#[derive(Clone, Copy, Debug)]
pub struct StandardFacts {
    pub audience: TicketAudience,
    pub service_id: Option<ServiceId>,
    pub team_id: TeamId,
    pub priority: Priority,
    pub organization_id: Option<OrganizationId>,
}

impl StandardConditions {
    pub fn matches(&self, facts: &StandardFacts) -> bool {
        fn any_or<T: PartialEq>(allowed: &[T], value: Option<T>) -> bool {
            allowed.is_empty() || value.is_some_and(|value| allowed.contains(&value))
        }
        self.audience.is_none_or(|audience| audience == facts.audience)
            && any_or(&self.service_ids, facts.service_id)
            && any_or(&self.team_ids, Some(facts.team_id))
            && any_or(&self.priorities, Some(facts.priority))
            && any_or(&self.organization_ids, facts.organization_id)
    }
}

/// One condition of a standard that holds for a ticket: the reason the standard applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConditionHeld {
    Audience(TicketAudience),
    Service(ServiceId),
    Team(TeamId),
    Priority(Priority),
    Organization(OrganizationId),
}

impl StandardConditions {
    /// The set conditions, each with the ticket's value that satisfies it, in a fixed order;
    /// empty when the standard has no conditions (it applies to every ticket). Meaningful when
    /// [`StandardConditions::matches`] holds.
    pub fn held(&self, facts: &StandardFacts) -> Vec<ConditionHeld> {
        let mut held = Vec::new();
        if self.audience.is_some() {
            held.push(ConditionHeld::Audience(facts.audience));
        }
        if let Some(service) = facts.service_id.filter(|_| !self.service_ids.is_empty()) {
            held.push(ConditionHeld::Service(service));
        }
        if !self.team_ids.is_empty() {
            held.push(ConditionHeld::Team(facts.team_id));
        }
        if !self.priorities.is_empty() {
            held.push(ConditionHeld::Priority(facts.priority));
        }
        if let Some(organization) = facts.organization_id.filter(|_| !self.organization_ids.is_empty()) {
            held.push(ConditionHeld::Organization(organization));
        }
        held
    }
}

/// The promises of a standard, in business minutes; at least one must be set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    pub first_response_minutes: Option<i64>,
    pub next_response_minutes: Option<i64>,
    pub resolution_minutes: Option<i64>,
}

/// Longest target accepted: a year of business minutes is already no promise at all.
const MAX_TARGET_MINUTES: i64 = 525_600;

impl Targets {
    /// Refuses a standard that promises nothing or a target that is not a positive number of minutes.
    pub fn check(&self, errors: &mut FieldErrors) {
        let fields = [
            ("first_response_minutes", self.first_response_minutes),
            ("next_response_minutes", self.next_response_minutes),
            ("resolution_minutes", self.resolution_minutes),
        ];
        if fields.iter().all(|(_, minutes)| minutes.is_none()) {
            errors.add(
                "targets",
                "set at least one of first_response_minutes, next_response_minutes, resolution_minutes",
            );
        }
        for (field, minutes) in fields {
            if minutes.is_some_and(|minutes| !(1..=MAX_TARGET_MINUTES).contains(&minutes)) {
                errors.add(field, format!("must be between 1 and {MAX_TARGET_MINUTES} minutes"));
            }
        }
    }

    /// The target of one metric, in milliseconds of business time.
    pub fn of(&self, metric: Metric) -> Option<i64> {
        let minutes = match metric {
            Metric::FirstResponse => self.first_response_minutes,
            Metric::NextResponse => self.next_response_minutes,
            Metric::Resolution => self.resolution_minutes,
        };
        minutes.map(|minutes| minutes * 60_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> StandardFacts {
        StandardFacts {
            audience: TicketAudience::External,
            service_id: Some(ServiceId(3)),
            team_id: TeamId(1),
            priority: Priority::High,
            organization_id: None,
        }
    }

    #[test]
    fn every_set_condition_must_hold() {
        assert!(StandardConditions::default().matches(&facts()));
        let high = StandardConditions { priorities: vec![Priority::High, Priority::Urgent], ..Default::default() };
        assert!(high.matches(&facts()));
        let internal = StandardConditions { audience: Some(TicketAudience::Internal), ..high.clone() };
        assert!(!internal.matches(&facts()));
        let organization = StandardConditions { organization_ids: vec![OrganizationId(9)], ..Default::default() };
        assert!(!organization.matches(&facts()), "a ticket without an organization matches no organization list");
        let service = StandardConditions { service_ids: vec![ServiceId(3)], team_ids: vec![TeamId(1)], ..high };
        assert!(service.matches(&facts()));
        assert_eq!(
            service.held(&facts()),
            [
                ConditionHeld::Service(ServiceId(3)),
                ConditionHeld::Team(TeamId(1)),
                ConditionHeld::Priority(Priority::High)
            ]
        );
        let external = StandardConditions { audience: Some(TicketAudience::External), ..Default::default() };
        assert_eq!(external.held(&facts()), [ConditionHeld::Audience(TicketAudience::External)]);
        assert!(StandardConditions::default().held(&facts()).is_empty(), "no conditions: nothing to name");
    }

    #[test]
    fn a_standard_must_promise_something_sensible() {
        let mut errors = FieldErrors::new();
        Targets::default().check(&mut errors);
        assert!(errors.0.contains_key("targets"));
        let mut errors = FieldErrors::new();
        Targets { first_response_minutes: Some(0), resolution_minutes: Some(60), ..Default::default() }
            .check(&mut errors);
        assert_eq!(errors.0.keys().collect::<Vec<_>>(), ["first_response_minutes"]);
        assert_eq!(Targets { resolution_minutes: Some(2), ..Default::default() }.of(Metric::Resolution), Some(120_000));
    }
}
