//! A conversation message, stored in one transaction: its sender (a new person when unknown),
//! then either a reply on the ticket it continues or a new ticket in the mailbox's queue, its
//! attachments, and the inbound record that makes the whole thing happen once.

use serde_json::{Map, json};
use sha2::{Digest, Sha256};
use tandem_domain::ticket::{Side, after_message};
use tandem_domain::{
    Assignment, Channel, InboundOutcome, MessageId, MessageVisibility, Millis, PersonId, PersonKind, Priority,
    TicketAudience, TicketId, TicketStatus,
};
use tandem_mail::{Address, Inbound};
use tandem_store::attachments::{self, NewAttachment};
use tandem_store::mailboxes::MailboxRow;
use tandem_store::messages::{self, NewMessage};
use tandem_store::people::{self, PersonFields, PersonRow};
use tandem_store::tickets::{self, NewTicket, TicketView};
use tandem_store::{Conn, Tx, events, services, teams};

use super::ingest::{Ingested, Outcome, Received, record};
use crate::chain::{StatusMove, status_moved};
use crate::tickets::attachments::{safe_content_type, safe_filename};
use crate::tickets::create::round_robin;
use crate::{App, AppError};

/// Tag on a ticket whose email was larger than the desk's limits (the original is kept whole).
pub const OVERSIZED_TAG: &str = "email-oversized";
/// CC'd addresses beyond this many are not made followers (a mass mailing is not a conversation).
const MAX_CC_FOLLOWERS: usize = 20;
const MAX_SUBJECT_CHARS: usize = 250;

/// What the message says, cut to the desk's limits.
struct Content {
    subject: String,
    body: String,
    oversized: bool,
}

impl App {
    pub(super) async fn store_conversation(
        &self,
        received: &Received<'_>,
        from: &Address,
        now: Millis,
    ) -> Result<Ingested, AppError> {
        let message = received.message;
        let mut tx = self.store().begin().await?;
        let own_domains: Vec<String> = received.own_addresses.iter().filter_map(|a| domain(a)).collect();
        let sender = person_for(tx.conn(), from, &own_domains, now).await?;
        if let Some(id) = &message.message_id
            && let Some(ticket) =
                tandem_store::inbound::ticket_of_message_ids(tx.conn(), std::slice::from_ref(id)).await?
        {
            // The same message reached another of our mailboxes first: it is on its ticket already.
            let outcome = Outcome {
                ticket: Some(ticket),
                ..Outcome::nothing(InboundOutcome::Duplicate, "on its ticket already")
            };
            return record(tx, received, outcome, now).await;
        }
        let content = self.content(message);
        let target = super::thread::find_ticket(tx.conn(), message, sender.id).await?;
        let (outcome, ticket, message_id) = match target {
            Some(ticket) => {
                let posted = continue_ticket(&mut tx, &ticket, &sender, &content.body, now).await?;
                (InboundOutcome::Threaded, ticket.id, posted)
            }
            None => {
                let (ticket, posted) = open_ticket(&mut tx, received.mailbox, &sender, &content, now).await?;
                add_cc_followers(&mut tx, ticket, message, &received.own_addresses, &own_domains, sender.id, now)
                    .await?;
                (InboundOutcome::Created, ticket, posted)
            }
        };
        self.attach(&mut tx, message, sender.id, message_id, now).await?;
        let outcome = Outcome {
            outcome,
            reason: None,
            ticket: Some(ticket),
            message: Some(message_id),
            oversized: content.oversized,
        };
        record(tx, received, outcome, now).await
    }

    fn content(&self, message: &Inbound) -> Content {
        let subject = message.subject.trim();
        let subject = if subject.is_empty() { "(no subject)" } else { subject };
        let mut body = tandem_mail::trim_reply(&message.text);
        if body.is_empty() {
            body = if message.attachments.is_empty() { "(no text)" } else { "(no text; see the attachments)" }.into();
        }
        let max = self.limits().max_body_chars;
        let too_long = body.chars().count() > max;
        if too_long {
            body = body.chars().take(max).collect();
        }
        // A file over the upload limit stays only in the original message.
        let file_left_out = message.attachments.iter().any(|file| file.data.len() > self.limits().max_upload_bytes);
        Content {
            subject: subject.chars().take(MAX_SUBJECT_CHARS).collect(),
            body,
            oversized: too_long || file_left_out,
        }
    }

    /// Stores the attachments that fit the upload limit on the message (the rest stay in the original).
    async fn attach(
        &self,
        tx: &mut Tx,
        message: &Inbound,
        uploader: PersonId,
        posted: MessageId,
        now: Millis,
    ) -> Result<(), AppError> {
        let mut ids = Vec::new();
        for file in &message.attachments {
            if file.data.len() > self.limits().max_upload_bytes || file.data.is_empty() {
                continue;
            }
            let sha256: String = Sha256::digest(&file.data).iter().map(|byte| format!("{byte:02x}")).collect();
            let upload = NewAttachment {
                uploader_id: uploader,
                filename: &safe_filename(&file.filename),
                content_type: &safe_content_type(&file.content_type),
                sha256: &sha256,
                data: &file.data,
            };
            ids.push(attachments::insert(tx.conn(), &upload, now).await?.id);
        }
        attachments::claim(tx.conn(), &ids, uploader, posted).await?;
        Ok(())
    }
}

fn domain(address: &str) -> Option<String> {
    address.rsplit_once('@').map(|(_, domain)| domain.to_owned())
}

/// The person with this address, created when new: an employee when the address is at one of the
/// organization's own mail domains (those of its mailboxes), an external contact otherwise.
async fn person_for(
    mut conn: Conn<'_>,
    address: &Address,
    own_domains: &[String],
    now: Millis,
) -> Result<PersonRow, AppError> {
    if let Some(person) = people::get_by_email(conn.reborrow(), &address.email).await? {
        return Ok(person);
    }
    let own = domain(&address.email).is_some_and(|domain| own_domains.contains(&domain));
    let kind = if own { PersonKind::Employee } else { PersonKind::External };
    let name = address.name.clone().unwrap_or_else(|| address.email.split('@').next().unwrap_or_default().to_owned());
    let fields = PersonFields::new(&address.email, name.chars().take(200).collect::<String>(), kind);
    match people::insert_if_absent(conn.reborrow(), &fields, None, now).await? {
        Some(person) => Ok(person),
        None => people::get_by_email(conn, &address.email).await?.ok_or(AppError::NotFound("person")),
    }
}

async fn open_ticket(
    tx: &mut Tx,
    mailbox: &MailboxRow,
    requester: &PersonRow,
    content: &Content,
    now: Millis,
) -> Result<(TicketId, MessageId), AppError> {
    let team = mailbox.fields.team_id;
    let service = match mailbox.fields.service_id {
        Some(id) => services::get(tx.conn(), id).await?,
        None => None,
    };
    let round_robin_team =
        teams::get(tx.conn(), team).await?.is_some_and(|row| row.assignment == Assignment::RoundRobin);
    let assignee = if round_robin_team { round_robin(tx, team).await? } else { None };
    let stored = NewTicket {
        subject: content.subject.clone(),
        status: TicketStatus::New,
        priority: service.as_ref().map_or(Priority::Normal, |service| service.default_priority),
        audience: TicketAudience::of_requester(requester.fields.kind),
        channel: Channel::Email,
        requester_id: requester.id,
        recipient_id: None,
        organization_id: requester.fields.organization_id,
        service_id: service.as_ref().map(|service| service.id),
        team_id: team,
        assignee_id: assignee,
        tags: if content.oversized { vec![OVERSIZED_TAG.to_owned()] } else { Vec::new() },
        fields: Map::new(),
    };
    let id = tickets::insert(tx.conn(), &stored, now).await?;
    let posted = insert_message(tx.conn(), id, requester.id, &content.body, now).await?;
    let mut trail = vec![(
        "created",
        json!({ "channel": Channel::Email, "mailbox": mailbox.fields.name, "requester_id": requester.id,
                "team_id": team, "service_id": stored.service_id, "priority": stored.priority, "tags": stored.tags }),
    )];
    if let Some(assignee) = assignee {
        trail.push(("assigned", json!({ "assignee_id": assignee, "how": "round_robin" })));
    }
    events::append_all(tx.conn(), id, Some(requester.id), &trail, now).await?;
    crate::incidents::link_on_arrival(tx.conn(), id, stored.service_id, &stored.subject, now).await?;
    Ok((id, posted))
}

/// Adds the message to the ticket; a sender who is not yet a party becomes a follower (never
/// the requester), and the status moves as for any message from their side.
async fn continue_ticket(
    tx: &mut Tx,
    found: &TicketView,
    sender: &PersonRow,
    body: &str,
    now: Millis,
) -> Result<MessageId, AppError> {
    tickets::lock(tx.conn(), found.id).await?;
    let ticket = tickets::get(tx.conn(), found.id).await?.ok_or(AppError::NotFound("ticket"))?;
    let agent = teams::is_member(tx.conn(), ticket.team_id, sender.id).await?;
    let side = if agent { Side::Agent } else { Side::Customer };
    let status = after_message(ticket.status, side, MessageVisibility::Public, None)
        .map_err(|error| AppError::Internal(anyhow::anyhow!("threading onto ticket {}: {error}", ticket.id)))?;
    let posted = insert_message(tx.conn(), ticket.id, sender.id, body, now).await?;
    let mut trail = vec![("message_added", json!({ "message_id": posted, "visibility": MessageVisibility::Public }))];
    let party = sender.id == ticket.requester_id || Some(sender.id) == ticket.recipient_id;
    if !agent && !party && tickets::add_follower(tx.conn(), ticket.id, sender.id).await? {
        trail.push(("follower_added", json!({ "person_id": sender.id, "how": "email" })));
    }
    let mut state = ticket.state();
    state.status = status;
    if agent && state.first_responded_at.is_none() {
        state.first_responded_at = Some(now);
    }
    if !matches!(status, TicketStatus::Solved | TicketStatus::Closed) {
        state.solved_at = None;
    }
    tickets::update(tx.conn(), ticket.id, ticket.version, &state, now)
        .await?
        .ok_or_else(|| AppError::version_conflict("ticket"))?;
    if status != ticket.status {
        trail.push(("status_changed", json!({ "from": ticket.status, "to": status })));
    }
    events::append_all(tx.conn(), ticket.id, Some(sender.id), &trail, now).await?;
    let moved = StatusMove {
        ticket: ticket.id,
        from: ticket.status,
        to: status,
        side,
        actor: Some(sender.id),
        open_links_reason: None,
    };
    // An emailed message never solves a ticket, so no parent can resume here: no email to send.
    status_moved(tx.conn(), None, moved, now).await?;
    Ok(posted)
}

async fn insert_message(
    conn: Conn<'_>,
    ticket: TicketId,
    author: PersonId,
    body: &str,
    now: Millis,
) -> Result<MessageId, AppError> {
    let message = NewMessage {
        ticket_id: ticket,
        author_id: Some(author),
        visibility: MessageVisibility::Public,
        channel: Channel::Email,
        body: body.to_owned(),
    };
    Ok(messages::insert(conn, &message, now).await?)
}

/// People CC'd on a new ticket's first message follow it (the desk's own addresses excepted).
async fn add_cc_followers(
    tx: &mut Tx,
    ticket: TicketId,
    message: &Inbound,
    own_addresses: &[String],
    own_domains: &[String],
    sender: PersonId,
    now: Millis,
) -> Result<(), AppError> {
    let copied = message.cc.iter().chain(message.to.iter()).filter(|address| !own_addresses.contains(&address.email));
    for address in copied.take(MAX_CC_FOLLOWERS) {
        let person = person_for(tx.conn(), address, own_domains, now).await?;
        if person.id != sender && tickets::add_follower(tx.conn(), ticket, person.id).await? {
            let data = json!({ "person_id": person.id, "how": "email_cc" });
            events::append(tx.conn(), ticket, Some(sender), "follower_added", &data, now).await?;
        }
    }
    Ok(())
}
