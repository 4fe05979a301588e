//! What a standard does when one of its targets breaches: raise the ticket's priority (one step,
//! or to a named priority), move it to another team, and/or notify the assignee and team lead.
//! Pure: the scan applies it in the transaction that marks the breach, so it fires once.

use serde::{Deserialize, Serialize};

use super::Metric;
use crate::validate::FieldErrors;
use crate::{Priority, TeamId};

/// The word for "one priority higher" in `raise_priority`.
pub const ONE_STEP: &str = "one_step";

/// Per target, what its breach sets off. Absent targets do nothing beyond the `sla_breached` event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Escalations {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_response: Option<Escalation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_response: Option<Escalation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Escalation>,
}

/// The actions of one target's breach; at least one must be set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// `one_step` (urgent stays urgent) or a priority to raise to; never lowers a priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raise_priority: Option<String>,
    /// The team the ticket moves to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub move_to_team_id: Option<TeamId>,
    /// Notify the assignee and the leads of the ticket's team (recorded as a `notified` event).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub notify: bool,
}

impl Escalations {
    pub fn of(&self, metric: Metric) -> Option<&Escalation> {
        match metric {
            Metric::FirstResponse => self.first_response.as_ref(),
            Metric::NextResponse => self.next_response.as_ref(),
            Metric::Resolution => self.resolution.as_ref(),
        }
    }

    /// Each escalation with the field path that names it (`escalations.resolution`).
    pub fn each(&self) -> impl Iterator<Item = (String, &Escalation)> {
        Metric::ALL.iter().filter_map(|&metric| self.of(metric).map(|e| (format!("escalations.{metric}"), e)))
    }

    /// Refuses an unknown priority or an escalation that does nothing; teams are checked by the caller.
    pub fn check(&self, errors: &mut FieldErrors) {
        for (field, escalation) in self.each() {
            if let Some(raise) = &escalation.raise_priority
                && raise != ONE_STEP
                && let Err(unknown) = raise.parse::<Priority>()
            {
                let message = format!("unknown priority {}; allowed: {ONE_STEP}, {}", unknown.got, unknown.allowed);
                errors.add(format!("{field}.raise_priority"), message);
            }
            if escalation.raise_priority.is_none() && escalation.move_to_team_id.is_none() && !escalation.notify {
                errors.add(field, "set raise_priority, move_to_team_id or notify");
            }
        }
    }
}

impl Escalation {
    /// The priority after the escalation, if it raises `current`.
    pub fn raised(&self, current: Priority) -> Option<Priority> {
        let rank = |priority: Priority| Priority::ALL.iter().position(|&p| p == priority).unwrap_or(0);
        let target = match self.raise_priority.as_deref()? {
            ONE_STEP => *Priority::ALL.get(rank(current) + 1)?,
            name => name.parse::<Priority>().ok()?,
        };
        (rank(target) > rank(current)).then_some(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raise(to: &str) -> Escalation {
        Escalation { raise_priority: Some(to.into()), ..Escalation::default() }
    }

    #[test]
    fn raising_goes_up_one_step_or_to_a_priority_and_never_down() {
        assert_eq!(raise(ONE_STEP).raised(Priority::Normal), Some(Priority::High));
        assert_eq!(raise(ONE_STEP).raised(Priority::Urgent), None);
        assert_eq!(raise("urgent").raised(Priority::Low), Some(Priority::Urgent));
        assert_eq!(raise("normal").raised(Priority::High), None);
        assert_eq!(Escalation { notify: true, ..Escalation::default() }.raised(Priority::Low), None);
    }

    #[test]
    fn unknown_priorities_and_empty_escalations_are_refused_by_field() {
        let escalations = Escalations {
            first_response: Some(raise("asap")),
            resolution: Some(Escalation::default()),
            next_response: Some(raise(ONE_STEP)),
        };
        let mut errors = FieldErrors::new();
        escalations.check(&mut errors);
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["escalations.first_response.raise_priority", "escalations.resolution"]);
    }
}
