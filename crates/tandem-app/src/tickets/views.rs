//! What a ticket looks like in a response, in the agent view or the customer view. The customer
//! view is built field by field from what a customer may know: no internal notes, no emails, no
//! ids of staff, no tags, no audit trail.

use serde::Serialize;
use serde_json::{Map, Value};
use tandem_domain::{
    Channel, EmailStatus, MessageId, MessageVisibility, PersonId, Priority, TicketAccess, TicketAudience, TicketId,
    TicketStatus,
};
use tandem_store::attachments::{self, AttachmentRow};
use tandem_store::messages::MessageView;
use tandem_store::outbound::{self, DeliveryRow};
use tandem_store::tickets::TicketView;
use tandem_store::{Conn, StoreError};

use super::attachments::AttachmentOut;
use crate::{Instant, instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ViewKind {
    Agent,
    Customer,
}

/// A person as a ticket shows them: a name always, id and email in the agent view only.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PersonSummary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<PersonId>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A referenced record's id and names.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct NamedRef {
    pub id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    pub name: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TicketOut {
    /// The ticket's number, shown to people as `#<id>`.
    pub id: TicketId,
    pub view: ViewKind,
    pub subject: String,
    pub status: TicketStatus,
    pub channel: Channel,
    pub requester: PersonSummary,
    pub recipient: Option<PersonSummary>,
    pub service: Option<NamedRef>,
    pub team: NamedRef,
    pub assignee: Option<PersonSummary>,
    pub fields: Map<String, Value>,
    pub merged_into_id: Option<TicketId>,
    /// Send it back in `If-Match` to change the ticket.
    pub version: i64,
    pub created_at: Instant,
    pub updated_at: Instant,
    pub solved_at: Option<Instant>,
    /// Agent view only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<TicketAudience>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<NamedRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_responded_at: Option<Instant>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MessageOut {
    pub id: MessageId,
    pub author: Option<PersonSummary>,
    pub visibility: MessageVisibility,
    pub channel: Channel,
    pub body: String,
    pub attachments: Vec<AttachmentOut>,
    /// The emails that carried this message out (agents only): to whom, and whether they went.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<EmailDelivery>,
    pub created_at: Instant,
}

/// How the email of a message went.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct EmailDelivery {
    pub to: String,
    /// `queued` (being sent, retried with backoff), `sent` (the mail server took it) or `failed`.
    pub status: EmailStatus,
    pub attempts: i64,
    /// Why it failed, or why the last attempt did.
    pub error: Option<String>,
    pub finished_at: Option<Instant>,
}

/// What a page of messages carries besides the messages: their files, and (agents only) emails.
#[derive(Debug, Default)]
pub(crate) struct MessageExtras {
    files: Vec<AttachmentRow>,
    emails: Vec<DeliveryRow>,
}

impl MessageExtras {
    /// The attachments of `with_files` and (agents only) the emails of `with_emails`: the messages
    /// known to have some, or every message when that is not known.
    pub(crate) async fn load(
        mut conn: Conn<'_>,
        access: TicketAccess,
        with_files: &[MessageId],
        with_emails: &[MessageId],
    ) -> Result<MessageExtras, StoreError> {
        let files = attachments::for_messages(conn.reborrow(), with_files).await?;
        let emails = match access {
            TicketAccess::Agent => outbound::for_messages(conn, with_emails).await?,
            TicketAccess::Customer => Vec::new(),
        };
        Ok(MessageExtras { files, emails })
    }
}

/// A ticket with its conversation (the first page of it) and followers.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TicketDetail {
    pub ticket: TicketOut,
    pub messages: Vec<MessageOut>,
    /// Set when the conversation continues: fetch it from the messages endpoint.
    pub messages_next_cursor: Option<String>,
    pub followers: Vec<PersonSummary>,
    /// The service standard's targets as of the request (agents only; see `standards`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<crate::standards::TargetView>,
    /// Which service standard applies and why, or that none does (agents only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standard: Option<crate::standards::StandardMatch>,
    /// While the ticket waits on another team (`pending_internal`): a neutral notice for the
    /// requester, naming no team or request, with when the help is expected at the latest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting: Option<WaitingNotice>,
    /// The requester's rating once the ticket is solved and rated (they and agents see it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<crate::feedback::SatisfactionOut>,
    /// The incident the ticket is linked to (agents only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident: Option<crate::incidents::IncidentRef>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct WaitingNotice {
    pub message: String,
    /// The latest resolution due time of the open requests it waits on, when standards set one.
    pub expected_by: Option<Instant>,
}

pub(crate) fn person(access: TicketAccess, id: PersonId, name: String, email: Option<String>) -> PersonSummary {
    match access {
        TicketAccess::Agent => PersonSummary { id: Some(id), name, email },
        TicketAccess::Customer => PersonSummary { id: None, name, email: None },
    }
}

pub(crate) fn ticket_out(access: TicketAccess, row: TicketView) -> TicketOut {
    let agent = access == TicketAccess::Agent;
    let team = NamedRef { id: row.team_id.0, slug: Some(row.team_slug), name: row.team_name };
    let service = row.service_id.map(|id| NamedRef {
        id: id.0,
        slug: row.service_slug,
        name: row.service_name.unwrap_or_default(),
    });
    let organization = match (row.organization_id, row.organization_name) {
        (Some(id), Some(name)) if agent => Some(NamedRef { id: id.0, slug: None, name }),
        _ => None,
    };
    TicketOut {
        id: row.id,
        view: if agent { ViewKind::Agent } else { ViewKind::Customer },
        subject: row.subject,
        status: row.status,
        channel: row.channel,
        requester: person(access, row.requester_id, row.requester_name, Some(row.requester_email)),
        recipient: row.recipient_id.map(|id| person(access, id, row.recipient_name.unwrap_or_default(), None)),
        service,
        team,
        assignee: row.assignee_id.map(|id| person(access, id, row.assignee_name.unwrap_or_default(), None)),
        fields: row.fields.0,
        merged_into_id: row.merged_into_id,
        version: row.version,
        created_at: instant(row.created_at),
        updated_at: instant(row.updated_at),
        solved_at: row.solved_at.map(instant),
        priority: agent.then_some(row.priority),
        audience: agent.then_some(row.audience),
        organization,
        tags: agent.then_some(row.tags.0),
        first_responded_at: if agent { row.first_responded_at.map(instant) } else { None },
    }
}

pub(crate) fn message_out(access: TicketAccess, row: MessageView, extras: &MessageExtras) -> MessageOut {
    let author = row.author_id.map(|id| person(access, id, row.author_name.unwrap_or_default(), None));
    MessageOut {
        id: row.id,
        author,
        visibility: row.visibility,
        channel: row.channel,
        body: row.body,
        attachments: extras
            .files
            .iter()
            .filter(|attachment| attachment.message_id == Some(row.id))
            .cloned()
            .map(AttachmentOut::from)
            .collect(),
        emails: extras
            .emails
            .iter()
            .filter(|email| email.message_id == row.id && access == TicketAccess::Agent)
            .map(|email| EmailDelivery {
                to: email.envelope_to.clone(),
                status: email.status,
                attempts: email.attempts,
                error: email.last_error.clone(),
                finished_at: email.finished_at.map(instant),
            })
            .collect(),
        created_at: instant(row.created_at),
    }
}
