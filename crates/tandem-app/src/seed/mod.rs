//! Builders for a desk's people, teams, services and tickets, shared by the tests and the demo
//! organization (so the demo is built by the code the tests exercise, and cannot rot).
//!
//! Every builder goes through the same use cases an admin would call, as that admin.

mod announcements;
mod articles;
mod demo;
mod feedback;
mod incidents;
mod recovery;
mod reviews;
mod standards;
mod stories;
mod surveys;

pub use demo::{DEMO_PASSWORD, DEMO_TICKETS, load_demo};

use serde_json::{Map, Value};
use tandem_domain::person::Assignment;
use tandem_domain::{
    Audience, FormDef, Millis, OrganizationId, PersonId, PersonKind, Principal, Priority, Stakeholder, TeamId,
    TeamKind, TeamRole, TicketId,
};
use tandem_store::people;

use crate::catalog::{ServiceInput, ServiceView};
use crate::directory::organizations::{OrganizationInput, OrganizationView};
use crate::directory::people::{NewPerson, PersonView};
use crate::directory::teams::{MemberInput, TeamInput, TeamView};
use crate::mail::{MailboxInput, MailboxView};
use crate::tickets::{NewMessage, NewTicket, TicketDetail};
use crate::{App, AppError, passwords};

/// Builds a desk as its admin.
#[derive(Clone, Debug)]
pub struct Builder {
    app: App,
    admin: Principal,
    now: Millis,
}

impl Builder {
    /// Creates the desk's admin and a builder acting as them.
    pub async fn new(app: &App, admin_email: &str, admin_name: &str, now: Millis) -> Result<Builder, AppError> {
        let admin = app.create_admin(admin_email, admin_name, None, now).await?;
        Ok(Builder { app: app.clone(), admin, now })
    }

    pub fn app(&self) -> &App {
        &self.app
    }

    pub fn admin(&self) -> &Principal {
        &self.admin
    }

    /// The instant the builder stamps on what it creates.
    pub fn at(&mut self, now: Millis) -> &mut Self {
        self.now = now;
        self
    }

    pub async fn department(&self, slug: &str, name: &str) -> Result<TeamView, AppError> {
        self.team_of_kind(slug, name, TeamKind::Department, None, false).await
    }

    /// A provider team, optionally inside a department.
    pub async fn team(&self, slug: &str, name: &str, parent: Option<TeamId>) -> Result<TeamView, AppError> {
        self.team_of_kind(slug, name, TeamKind::Team, parent, true).await
    }

    async fn team_of_kind(
        &self,
        slug: &str,
        name: &str,
        kind: TeamKind,
        parent_id: Option<TeamId>,
        is_provider: bool,
    ) -> Result<TeamView, AppError> {
        let input = TeamInput {
            slug: slug.into(),
            name: name.into(),
            kind,
            parent_id,
            is_provider,
            assignment: Assignment::Queue,
        };
        self.app.create_team(&self.admin, input, self.now).await
    }

    /// The team's mailbox, named by its slug: `care` receives `care@<domain>`.
    pub async fn mailbox(&self, team: &TeamView, domain: &str) -> Result<MailboxView, AppError> {
        let input = MailboxInput {
            name: team.slug.clone(),
            address: format!("{}@{domain}", team.slug),
            team_id: team.id,
            service_id: None,
        };
        self.app.create_mailbox(&self.admin, input, self.now).await
    }

    pub async fn organization(&self, name: &str, domain: Option<&str>) -> Result<OrganizationView, AppError> {
        let input = OrganizationInput { name: name.into(), domain: domain.map(Into::into), notes: String::new() };
        self.app.create_organization(&self.admin, input, self.now).await
    }

    pub async fn employee(&self, email: &str, name: &str, department: Option<TeamId>) -> Result<PersonView, AppError> {
        self.person(NewPerson { department_id: department, ..new_person(email, name, PersonKind::Employee) }).await
    }

    pub async fn external(
        &self,
        email: &str,
        name: &str,
        organization: Option<OrganizationId>,
        stakeholder: Option<Stakeholder>,
    ) -> Result<PersonView, AppError> {
        let new =
            NewPerson { organization_id: organization, stakeholder, ..new_person(email, name, PersonKind::External) };
        self.person(new).await
    }

    pub async fn person(&self, new: NewPerson) -> Result<PersonView, AppError> {
        self.app.create_person(&self.admin, new, self.now).await
    }

    /// An employee who works a team's queue (one person, both faces).
    pub async fn agent(&self, team: &TeamView, email: &str, name: &str, role: TeamRole) -> Result<Principal, AppError> {
        let person = self.employee(email, name, Some(team.id)).await?;
        self.member(team.id, person.id, role).await?;
        self.principal(person.id).await
    }

    pub async fn member(&self, team: TeamId, person: PersonId, role: TeamRole) -> Result<(), AppError> {
        self.app.put_member(&self.admin, team, person, MemberInput { role, available: true }).await?;
        Ok(())
    }

    pub async fn service(
        &self,
        slug: &str,
        name: &str,
        team: TeamId,
        audience: Audience,
        form: FormDef,
    ) -> Result<ServiceView, AppError> {
        let input = ServiceInput {
            slug: slug.into(),
            name: name.into(),
            description: String::new(),
            team_id: team,
            audience,
            default_priority: Priority::Normal,
            form,
            active: true,
        };
        self.app.create_service(&self.admin, input, self.now).await
    }

    pub async fn principal(&self, person: PersonId) -> Result<Principal, AppError> {
        self.app.principal_of(person).await
    }

    /// Sets a password without the length rule (demo accounts share a short one).
    pub async fn set_password(&self, person: PersonId, password: &str) -> Result<(), AppError> {
        let hash = passwords::hash(password.to_owned()).await?;
        self.set_password_hash(person, &hash).await
    }

    /// Sets an already hashed password (the demo hashes its shared password once).
    pub async fn set_password_hash(&self, person: PersonId, hash: &str) -> Result<(), AppError> {
        let mut tx = self.app.store().begin().await?;
        people::set_password_hash(tx.conn(), person, hash, self.now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Opens a ticket as `requester` for the service with this slug.
    pub async fn ticket(
        &self,
        requester: &Principal,
        service: &str,
        subject: &str,
        body: &str,
    ) -> Result<TicketDetail, AppError> {
        self.ticket_with(requester, new_ticket(Some(service), subject, body)).await
    }

    pub async fn ticket_with(&self, actor: &Principal, new: NewTicket) -> Result<TicketDetail, AppError> {
        self.app.create_ticket(actor, new, None, self.now).await
    }

    /// Posts a public reply (or an internal note) as `author`, optionally setting the status.
    pub async fn message(
        &self,
        author: &Principal,
        ticket: TicketId,
        body: &str,
        internal: bool,
        status: Option<tandem_domain::TicketStatus>,
    ) -> Result<(), AppError> {
        let visibility = Some(if internal {
            tandem_domain::MessageVisibility::Internal
        } else {
            tandem_domain::MessageVisibility::Public
        });
        let new = NewMessage {
            body: body.into(),
            visibility,
            status,
            attachment_ids: Vec::new(),
            channel: None,
            open_links_reason: None,
        };
        self.app.post_message(author, ticket, new, None, self.now).await?;
        Ok(())
    }
}

/// A person input with only the required fields set.
pub fn new_person(email: &str, name: &str, kind: PersonKind) -> NewPerson {
    NewPerson {
        email: email.into(),
        name: name.into(),
        kind,
        is_admin: false,
        title: None,
        department_id: None,
        manager_id: None,
        organization_id: None,
        stakeholder: None,
        connection: None,
        org_access: false,
        password: None,
    }
}

/// A ticket input with only subject, body and (optionally) service set.
pub fn new_ticket(service: Option<&str>, subject: &str, body: &str) -> NewTicket {
    NewTicket {
        subject: subject.into(),
        body: body.into(),
        service: service.map(Into::into),
        service_id: None,
        fields: Map::<String, Value>::new(),
        channel: None,
        attachment_ids: Vec::new(),
        requester: None,
        recipient: None,
        team_id: None,
        priority: None,
        assignee_id: None,
        tags: Vec::new(),
        follower_ids: Vec::new(),
    }
}
