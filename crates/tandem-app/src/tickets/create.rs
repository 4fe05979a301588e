//! Opening a ticket: who asks, for which service, routed to which team, in one transaction with
//! its first message, attachments, followers and audit trail.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use tandem_domain::person::{Assignment, next_round_robin};
use tandem_domain::routing::RoutingFacts;
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{
    AttachmentId, Channel, MessageVisibility, Millis, PersonId, PersonKind, Principal, Priority, ServiceId, TeamId,
    TicketAudience, TicketId, TicketStatus, tags,
};
use tandem_store::messages::{self, NewMessage as StoredMessage};
use tandem_store::people::{self, PersonFields, PersonRow};
use tandem_store::services::{self, ServiceRow};
use tandem_store::tickets::{self, NewTicket as StoredTicket};
use tandem_store::{Conn, Tx, teams};

use super::events::record;
use super::views::TicketDetail;
use crate::idempotency::{self, IdempotencyKey};
use crate::{App, AppError, catalog, routing};

/// A new request. Customers and employees fill in the subject, body, service and its fields;
/// agents may also say who it is from and for, and set team, priority, assignee, tags, followers.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicket {
    pub subject: String,
    /// The first message: what the requester needs.
    pub body: String,
    /// The service, by slug (`till-or-laptop`)…
    pub service: Option<String>,
    /// …or by id.
    pub service_id: Option<ServiceId>,
    /// Answers to the service's request form, by field key.
    #[serde(default)]
    pub fields: Map<String, Value>,
    /// How the request arrived; `api` unless said otherwise.
    pub channel: Option<Channel>,
    /// Uploads to attach to the first message.
    #[serde(default)]
    pub attachment_ids: Vec<AttachmentId>,
    /// Agents: the person asking (default: the caller). A new email address creates an external contact.
    pub requester: Option<PersonRef>,
    /// Agents: the person the request is for, when not the requester (a purchaser asking for a user).
    pub recipient: Option<PersonRef>,
    /// Agents: the team (otherwise routing rules or the service decide).
    pub team_id: Option<TeamId>,
    pub priority: Option<Priority>,
    pub assignee_id: Option<PersonId>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub follower_ids: Vec<PersonId>,
}

/// A person named in a request: an existing id, or an email (created as an external contact
/// when new, with `name`).
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonRef {
    pub id: Option<PersonId>,
    pub email: Option<String>,
    pub name: Option<String>,
}

const MAX_SUBJECT_CHARS: usize = 250;
const RESOURCE: &str = "ticket";

/// The decisions made about a new ticket before it is stored.
struct Routed {
    team_id: TeamId,
    priority: Priority,
    tags: Vec<String>,
    assignee: Option<(PersonId, &'static str)>,
    rule: Option<(i64, String)>,
}

impl App {
    /// Opens a ticket. With an idempotency key, a retry returns the ticket the first call made.
    pub async fn create_ticket(
        &self,
        principal: &Principal,
        new: NewTicket,
        key: Option<IdempotencyKey>,
        now: Millis,
    ) -> Result<TicketDetail, AppError> {
        let mut reader = self.store().read().await?;
        let replayed = idempotency::replay(reader.conn(), principal.person_id, key.as_ref(), RESOURCE).await?;
        drop(reader);
        if let Some(id) = replayed {
            return self.get_ticket(principal, TicketId(id)).await;
        }
        let (subject, tags) = self.check_new(principal, &new)?;
        let mut tx = self.store().begin().await?;
        let id = insert_ticket(&mut tx, principal, &new, subject, tags, now).await?;
        match idempotency::record(&mut tx, principal.person_id, key.as_ref(), RESOURCE, id.0, now).await {
            Ok(()) => tx.commit().await?,
            Err(AppError::Conflict { code: "idempotency_race", .. }) => {
                // A concurrent retry with the same key committed first: answer with its ticket.
                drop(tx);
                let winner = idempotency::winner(self.store(), principal.person_id, key.as_ref(), RESOURCE).await?;
                return self.get_ticket(principal, TicketId(winner)).await;
            }
            Err(error) => return Err(error),
        }
        self.get_ticket(principal, id).await
    }

    /// Checks what can be checked without the database; returns the clean subject and tags.
    fn check_new(&self, principal: &Principal, new: &NewTicket) -> Result<(String, Vec<String>), AppError> {
        if !principal.is_staff() {
            let staff_only = [
                ("requester", new.requester.is_some()),
                ("recipient", new.recipient.is_some()),
                ("team_id", new.team_id.is_some()),
                ("priority", new.priority.is_some()),
                ("assignee_id", new.assignee_id.is_some()),
                ("tags", !new.tags.is_empty()),
                ("follower_ids", !new.follower_ids.is_empty()),
            ];
            let refused: Vec<&str> = staff_only.iter().filter(|(_, set)| *set).map(|(field, _)| *field).collect();
            if !refused.is_empty() {
                return Err(AppError::forbidden(format!("only agents may set: {}", refused.join(", "))));
            }
        }
        let mut errors = FieldErrors::new();
        let subject = validate::required_line(&mut errors, "subject", &new.subject, MAX_SUBJECT_CHARS);
        validate::bounded_text(&mut errors, "body", &new.body, self.limits().max_body_chars, true);
        let tags = tags::normalize(&mut errors, "tags", &new.tags);
        if new.service.is_some() && new.service_id.is_some() {
            errors.add("service", "give the service by slug or by id, not both");
        }
        errors.into_result()?;
        Ok((subject, tags))
    }
}

async fn insert_ticket(
    tx: &mut Tx,
    principal: &Principal,
    new: &NewTicket,
    subject: String,
    explicit_tags: Vec<String>,
    now: Millis,
) -> Result<TicketId, AppError> {
    let requester = match &new.requester {
        Some(reference) => resolve_person(tx.conn(), reference, "requester", now).await?,
        None => people::get(tx.conn(), principal.person_id).await?.ok_or(AppError::NotFound("person"))?,
    };
    let recipient = match &new.recipient {
        Some(reference) => Some(resolve_person(tx.conn(), reference, "recipient", now).await?),
        None => None,
    };
    let audience = TicketAudience::of_requester(requester.fields.kind);
    let service = find_service(tx.conn(), principal, new, &requester).await?;
    let fields = check_fields(service.as_ref(), &new.fields)?;
    let channel = new.channel.unwrap_or(Channel::Api);
    let facts = RoutingFacts {
        audience,
        service_id: service.as_ref().map(|service| service.id),
        channel,
        department_id: requester.fields.department_id,
        organization_id: requester.fields.organization_id,
        subject: &subject,
    };
    let routed = decide(tx, new, service.as_ref(), &facts, explicit_tags).await?;
    let stored = StoredTicket {
        subject,
        status: TicketStatus::New,
        priority: routed.priority,
        audience,
        channel,
        requester_id: requester.id,
        recipient_id: recipient.as_ref().map(|person| person.id),
        organization_id: requester.fields.organization_id,
        service_id: service.as_ref().map(|service| service.id),
        team_id: routed.team_id,
        assignee_id: routed.assignee.map(|(assignee, _)| assignee),
        tags: routed.tags.clone(),
        fields,
    };
    let id = tickets::insert(tx.conn(), &stored, now).await?;
    let message = StoredMessage {
        ticket_id: id,
        author_id: Some(principal.person_id),
        visibility: MessageVisibility::Public,
        channel,
        body: new.body.clone(),
    };
    let message_id = messages::insert(tx.conn(), &message, now).await?;
    super::attachments::claim(tx.conn(), &new.attachment_ids, principal.person_id, message_id).await?;
    for follower in &new.follower_ids {
        if people::get(tx.conn(), *follower).await?.is_none() {
            return Err(AppError::invalid("follower_ids", format!("no person with id {follower}")));
        }
        tickets::add_follower(tx.conn(), id, *follower).await?;
    }
    record_creation(tx, principal, id, &stored, &routed, now).await?;
    Ok(id)
}

async fn record_creation(
    tx: &mut Tx,
    principal: &Principal,
    id: TicketId,
    ticket: &StoredTicket,
    routed: &Routed,
    now: Millis,
) -> Result<(), AppError> {
    let actor = Some(principal.person_id);
    let created = json!({
        "channel": ticket.channel, "requester_id": ticket.requester_id, "team_id": ticket.team_id,
        "service_id": ticket.service_id, "priority": ticket.priority, "tags": ticket.tags,
    });
    record(tx.conn(), id, actor, "created", created, now).await?;
    if let Some((rule_id, rule_name)) = &routed.rule {
        let routed_event = json!({ "rule_id": rule_id, "rule_name": rule_name, "team_id": routed.team_id });
        record(tx.conn(), id, actor, "routed", routed_event, now).await?;
    }
    if let Some((assignee, how)) = routed.assignee {
        record(tx.conn(), id, actor, "assigned", json!({ "assignee_id": assignee, "how": how }), now).await?;
    }
    Ok(())
}

/// Finds a person by id, or by email (creating an external contact for a new address; two
/// requests racing with one new address still make one person).
async fn resolve_person(
    mut conn: Conn<'_>,
    reference: &PersonRef,
    field: &str,
    now: Millis,
) -> Result<PersonRow, AppError> {
    if let Some(id) = reference.id {
        return people::get(conn, id).await?.ok_or_else(|| AppError::invalid(format!("{field}.id"), "no such person"));
    }
    let Some(email) = &reference.email else {
        return Err(AppError::invalid(field, "give an id or an email"));
    };
    let email = validate::email(email).map_err(|message| AppError::invalid(format!("{field}.email"), message))?;
    if let Some(existing) = people::get_by_email(conn.reborrow(), &email).await? {
        return Ok(existing);
    }
    let name = reference.name.as_deref().map(str::trim).filter(|name| !name.is_empty());
    let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or_default()).to_owned();
    let fields = PersonFields {
        email: email.clone(),
        name,
        kind: PersonKind::External,
        is_admin: false,
        title: None,
        department_id: None,
        manager_id: None,
        organization_id: None,
        stakeholder: None,
        connection: None,
        org_access: false,
    };
    match people::insert_if_absent(conn.reborrow(), &fields, None, now).await? {
        Some(created) => Ok(created),
        None => people::get_by_email(conn, &email).await?.ok_or(AppError::NotFound("person")),
    }
}

/// The service asked for, if it exists and is offered to both the caller and the requester.
async fn find_service(
    conn: Conn<'_>,
    principal: &Principal,
    new: &NewTicket,
    requester: &PersonRow,
) -> Result<Option<ServiceRow>, AppError> {
    let (row, field) = match (&new.service, new.service_id) {
        (Some(slug), _) => (services::get_by_slug(conn, slug).await?, "service"),
        (None, Some(id)) => (services::get(conn, id).await?, "service_id"),
        (None, None) => return Ok(None),
    };
    let Some(row) = row.filter(|row| catalog::offered(principal, row)) else {
        return Err(AppError::invalid(field, "no such service"));
    };
    if !row.active {
        return Err(AppError::invalid(field, "this service no longer takes requests"));
    }
    if !row.audience.offered_to(requester.fields.kind) {
        return Err(AppError::invalid(
            field,
            format!("this service is not offered to {} requesters", requester.fields.kind),
        ));
    }
    Ok(Some(row))
}

fn check_fields(service: Option<&ServiceRow>, values: &Map<String, Value>) -> Result<Map<String, Value>, AppError> {
    let mut errors = FieldErrors::new();
    let normalized = match service {
        Some(service) => service.form.0.check_values(values, &mut errors),
        None if values.is_empty() => Map::new(),
        None => {
            errors.add("fields", "custom fields need a service with a request form");
            Map::new()
        }
    };
    errors.into_result()?;
    Ok(normalized)
}

/// Decides team, priority, tags and assignee: what an agent set explicitly, else the first
/// matching routing rule, else the service's defaults; then round robin if the team uses it.
async fn decide(
    tx: &mut Tx,
    new: &NewTicket,
    service: Option<&ServiceRow>,
    facts: &RoutingFacts<'_>,
    explicit_tags: Vec<String>,
) -> Result<Routed, AppError> {
    let rule = routing::route(tx.conn(), facts).await?;
    let actions = rule.as_ref().map(|rule| rule.actions.0.clone()).unwrap_or_default();
    let team_id = new
        .team_id
        .or(actions.team_id)
        .or(service.map(|service| service.team_id))
        .ok_or_else(|| AppError::invalid("team_id", "say which team should work this (or pick a service)"))?;
    let team = teams::get(tx.conn(), team_id).await?.filter(|team| team.is_provider);
    let team = team.ok_or_else(|| AppError::invalid("team_id", "must be a team that provides services"))?;
    let priority = new
        .priority
        .or(actions.priority)
        .or(service.map(|service| service.default_priority))
        .unwrap_or(Priority::Normal);
    let tags = tags::union(&explicit_tags, &actions.add_tags);
    let assignee = match (new.assignee_id, actions.assignee_id.filter(|_| actions.team_id == Some(team_id))) {
        (Some(explicit), _) => Some((explicit, "explicit")),
        (None, Some(by_rule)) => Some((by_rule, "rule")),
        (None, None) if team.assignment == Assignment::RoundRobin => {
            round_robin(tx, team_id).await?.map(|next| (next, "round_robin"))
        }
        (None, None) => None,
    };
    if let Some((assignee, _)) = assignee
        && !teams::is_member(tx.conn(), team_id, assignee).await?
    {
        return Err(AppError::invalid("assignee_id", "must be a member of the ticket's team"));
    }
    Ok(Routed { team_id, priority, tags, assignee, rule: rule.map(|rule| (rule.id.0, rule.name)) })
}

async fn round_robin(tx: &mut Tx, team: TeamId) -> Result<Option<PersonId>, AppError> {
    let (members, last) = teams::round_robin_state(tx.conn(), team).await?;
    let next = next_round_robin(&members, last);
    if let Some(next) = next {
        teams::set_last_assigned(tx.conn(), team, next).await?;
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_tickets_refuse_unknown_fields() {
        let error =
            serde_json::from_value::<NewTicket>(json!({"subject": "x", "body": "y", "colour": "red"})).unwrap_err();
        assert!(error.to_string().contains("colour"), "{error}");
    }
}
