//! The acting person, as the app layer sees them: who they are and which faces they have
//! (customer, employee, agent of some teams, lead, admin).

use crate::ids::{OrganizationId, PersonId, TeamId};
use crate::person::{PersonKind, TeamRole};

/// A team the principal belongs to, and in which role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Membership {
    pub team_id: TeamId,
    pub role: TeamRole,
}

/// Everyone who acts in Tandem is a principal: loaded once per request from a token or session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub person_id: PersonId,
    pub name: String,
    pub email: String,
    pub kind: PersonKind,
    /// Employees: their department (routing rules can match on it).
    pub department_id: Option<TeamId>,
    pub is_admin: bool,
    pub organization_id: Option<OrganizationId>,
    /// An external contact allowed to follow every ticket of their organization.
    pub org_access: bool,
    pub memberships: Vec<Membership>,
}

impl Principal {
    /// An agent works at least one team's queue (an employee can be one, with one record).
    pub fn is_agent(&self) -> bool {
        !self.memberships.is_empty()
    }

    /// Agents and admins: the people who see the staff side of the desk.
    pub fn is_staff(&self) -> bool {
        self.is_admin || self.is_agent()
    }

    pub fn is_member_of(&self, team: TeamId) -> bool {
        self.memberships.iter().any(|membership| membership.team_id == team)
    }

    /// Leads manage their team's settings and services; admins manage every team.
    pub fn manages(&self, team: TeamId) -> bool {
        self.is_admin
            || self.memberships.iter().any(|membership| membership.team_id == team && membership.role == TeamRole::Lead)
    }

    pub fn team_ids(&self) -> Vec<TeamId> {
        self.memberships.iter().map(|membership| membership.team_id).collect()
    }
}
