//! Opening a ticket: planned from reads (see `plan.rs`), then written in one transaction with its
//! first message, attachments, followers and audit trail.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use tandem_domain::person::next_round_robin;
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{
    AttachmentId, Channel, MessageVisibility, Millis, PersonId, Principal, Priority, ServiceId, TeamId, TicketId,
    TicketStatus, tags,
};
use tandem_store::messages::{self, MessageView, NewMessage as StoredMessage};
use tandem_store::tickets::{self, NewTicket as StoredTicket};
use tandem_store::{Tx, events, teams};

use super::plan::{Plan, plan};
use super::views::TicketDetail;
use crate::idempotency::{self, IdempotencyKey};
use crate::mail::Outbound;
use crate::{App, AppError};

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

impl App {
    /// Opens a ticket. With an idempotency key, a retry returns the ticket the first call made.
    pub async fn create_ticket(
        &self,
        principal: &Principal,
        new: NewTicket,
        key: Option<IdempotencyKey>,
        now: Millis,
    ) -> Result<TicketDetail, AppError> {
        let replayed = idempotency::replay(self.store(), principal.person_id, key.as_ref(), RESOURCE).await?;
        if let Some(id) = replayed {
            return self.get_ticket(principal, TicketId(id)).await;
        }
        let (subject, tags) = self.check_new(principal, &new)?;
        // Everything that only reads happens before the write lock is taken (SQLite has one writer:
        // the shorter its transactions, the more tickets per second).
        let mut reader = self.store().read().await?;
        let plan = plan(reader.conn(), principal, &new, &subject, tags).await?;
        drop(reader);
        let mut tx = self.store().begin().await?;
        let first = insert_ticket(&mut tx, principal, &new, subject, plan, now).await?;
        let id = first.ticket_id;
        if let Some(outbound) = self.outbound() {
            acknowledge(&mut tx, outbound, principal, id, now).await?;
        }
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
        if new.attachment_ids.is_empty() && new.follower_ids.is_empty() {
            // Nothing was written that the answer would have to read back but the ticket's names.
            return self.created_ticket(principal, first).await;
        }
        self.get_ticket(principal, id).await
    }

    /// Checks what can be checked without the database; returns the clean subject and tags.
    pub(crate) fn check_new(&self, principal: &Principal, new: &NewTicket) -> Result<(String, Vec<String>), AppError> {
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

/// Writes the planned ticket: its people (a new requester is created here), the ticket, its first
/// message, attachments, followers and audit trail. Returns the first message as stored.
pub(crate) async fn insert_ticket(
    tx: &mut Tx,
    principal: &Principal,
    new: &NewTicket,
    subject: String,
    plan: Plan,
    now: Millis,
) -> Result<MessageView, AppError> {
    let requester = plan.requester.stored(tx, now).await?;
    let recipient = match plan.recipient {
        Some(party) => Some(party.stored(tx, now).await?),
        None => None,
    };
    let assignee = match plan.assignee {
        Some(assignee) => Some(assignee),
        None if plan.round_robin => round_robin(tx, plan.team_id).await?.map(|next| (next, "round_robin")),
        None => None,
    };
    let stored = StoredTicket {
        subject,
        status: TicketStatus::New,
        priority: plan.priority,
        audience: plan.audience,
        channel: plan.channel,
        requester_id: requester.id,
        recipient_id: recipient.map(|person| person.id),
        organization_id: requester.organization_id,
        service_id: plan.service_id,
        team_id: plan.team_id,
        assignee_id: assignee.map(|(assignee, _)| assignee),
        tags: plan.tags,
        fields: plan.fields,
    };
    let id = tickets::insert(tx.conn(), &stored, now).await?;
    let message = StoredMessage {
        ticket_id: id,
        author_id: Some(principal.person_id),
        visibility: MessageVisibility::Public,
        channel: plan.channel,
        body: new.body.clone(),
    };
    let message_id = messages::insert(tx.conn(), &message, now).await?;
    super::attachments::claim(tx.conn(), &new.attachment_ids, principal.person_id, message_id).await?;
    for follower in &new.follower_ids {
        tickets::add_follower(tx.conn(), id, *follower).await?;
    }
    record_creation(tx, principal, id, &stored, plan.rule, assignee, now).await?;
    crate::incidents::link_on_arrival(tx.conn(), id, stored.service_id, &stored.subject, now).await?;
    crate::standards::refresh(tx.conn(), id, None, now).await?;
    Ok(MessageView {
        id: message_id,
        ticket_id: id,
        author_id: message.author_id,
        author_name: Some(principal.name.clone()),
        visibility: message.visibility,
        channel: message.channel,
        body: message.body,
        created_at: now,
    })
}

/// Confirms the new request to its requester by email, unless an agent opened it for themselves.
async fn acknowledge(
    tx: &mut Tx,
    outbound: &Outbound,
    principal: &Principal,
    id: TicketId,
    now: Millis,
) -> Result<(), AppError> {
    let ticket = tickets::get(tx.conn(), id).await?.ok_or(AppError::NotFound("ticket"))?;
    if principal.is_staff() && ticket.requester_id == principal.person_id {
        return Ok(());
    }
    crate::mail::outbox::queue_acknowledgement(tx.conn(), outbound, &ticket, now).await
}

async fn record_creation(
    tx: &mut Tx,
    principal: &Principal,
    id: TicketId,
    ticket: &StoredTicket,
    rule: Option<(i64, String)>,
    assignee: Option<(PersonId, &'static str)>,
    now: Millis,
) -> Result<(), AppError> {
    let created = json!({
        "channel": ticket.channel, "requester_id": ticket.requester_id, "team_id": ticket.team_id,
        "service_id": ticket.service_id, "priority": ticket.priority, "tags": ticket.tags,
    });
    let mut trail = vec![("created", created)];
    if let Some((rule_id, rule_name)) = rule {
        trail.push(("routed", json!({ "rule_id": rule_id, "rule_name": rule_name, "team_id": ticket.team_id })));
    }
    if let Some((assignee, how)) = assignee {
        trail.push(("assigned", json!({ "assignee_id": assignee, "how": how })));
    }
    events::append_all(tx.conn(), id, Some(principal.person_id), &trail, now).await?;
    Ok(())
}

pub(crate) async fn round_robin(tx: &mut Tx, team: TeamId) -> Result<Option<PersonId>, AppError> {
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
