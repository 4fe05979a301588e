//! The outbox: each email the desk sends is rendered, composed and recorded in the transaction of
//! the change that causes it (an agent's reply, a new request, an escalation), with a job that
//! sends it once that transaction commits. A rolled-back change sends nothing; a committed one
//! is sent even if the node dies right after.
//!
//! Who gets what: the requester gets an agent's public replies and, when enabled, the
//! acknowledgement of their new request; staff get notifications. Internal notes never reach
//! this module. The sender is the ticket team's mailbox (the address customers already write to).
//! Employees get the announcements meant for them, from the desk's default sender.

use tandem_domain::{AnnouncementId, EmailKind, EmailStatus, MessageId, Millis, PersonId, TeamId, TicketId};
use tandem_mail::templates::{self, Rendered};
use tandem_mail::{Outgoing, Party};
use tandem_store::announcements::Recipient;
use tandem_store::outbound::{self, NewOutbound};
use tandem_store::people::{self, PersonRow};
use tandem_store::tickets::TicketView;
use tandem_store::{Conn, inbound, mailboxes, teams};

use super::{Outbound, SendEmail};
use crate::AppError;

/// An agent's public reply on `ticket`, to its requester (unless they wrote it themselves).
pub(crate) async fn queue_reply(
    mut conn: Conn<'_>,
    outbound: &Outbound,
    ticket: &TicketView,
    message: MessageId,
    author: PersonId,
    body: &str,
    now: Millis,
) -> Result<(), AppError> {
    if ticket.requester_id == author {
        return Ok(());
    }
    let requester = person(conn.reborrow(), ticket.requester_id).await?;
    let agent = person(conn.reborrow(), author).await?;
    let team = team_name(conn.reborrow(), ticket).await?;
    let link = outbound.link(&format!("/portal/requests/{}", ticket.id.0));
    let body = templates::Reply { body, agent: &agent.fields.name, team: &team, ticket: ticket.id.0, link: &link }
        .rendered()
        .map_err(render_error)?;
    let subject = tandem_mail::ticket_subject("Re: ", &ticket.subject, ticket.id.0);
    let email =
        Email { kind: EmailKind::Reply, message: Some(message), subject, body, automatic: false, threaded: true };
    queue(conn, outbound, ticket, &requester, &team, email, now).await
}

/// The confirmation of a new request, to its requester, when the desk is set to send it.
pub(crate) async fn queue_acknowledgement(
    mut conn: Conn<'_>,
    outbound: &Outbound,
    ticket: &TicketView,
    now: Millis,
) -> Result<(), AppError> {
    if !outbound.settings.acknowledge {
        return Ok(());
    }
    let requester = person(conn.reborrow(), ticket.requester_id).await?;
    let team = team_name(conn.reborrow(), ticket).await?;
    let link = outbound.link(&format!("/portal/requests/{}", ticket.id.0));
    let body = templates::Acknowledgement {
        name: &requester.fields.name,
        subject: &ticket.subject,
        team: &team,
        ticket: ticket.id.0,
        link: &link,
    }
    .rendered()
    .map_err(render_error)?;
    let subject = tandem_mail::ticket_subject("Received: ", &ticket.subject, ticket.id.0);
    let email =
        Email { kind: EmailKind::Acknowledgement, message: None, subject, body, automatic: true, threaded: true };
    queue(conn, outbound, ticket, &requester, &team, email, now).await
}

/// A notification about `ticket` to each of `people` (staff), one email each.
pub(crate) async fn queue_notification(
    mut conn: Conn<'_>,
    outbound: &Outbound,
    ticket: &TicketView,
    people: &[PersonId],
    headline: &str,
    detail: &str,
    now: Millis,
) -> Result<(), AppError> {
    let team = team_name(conn.reborrow(), ticket).await?;
    let link = outbound.link(&format!("/agent/tickets/{}", ticket.id.0));
    let body = templates::Notification { headline, detail, subject: &ticket.subject, ticket: ticket.id.0, link: &link }
        .rendered()
        .map_err(render_error)?;
    // No [#N] tag and no threading headers: a reply to a staff notification must never become a
    // public message on the ticket (the desk also never threads on a notification's Message-ID).
    let subject = format!("{headline}: {} (ticket {})", ticket.subject, ticket.id.0);
    for &id in people {
        let recipient = person(conn.reborrow(), id).await?;
        let email = Email {
            kind: EmailKind::Notification,
            message: None,
            subject: subject.clone(),
            body: body.clone(),
            automatic: true,
            threaded: false,
        };
        queue(conn.reborrow(), outbound, ticket, &recipient, &team, email, now).await?;
    }
    Ok(())
}

/// A team's feedback digest (`body`), to each of `readers`, from the team's mailbox or the
/// desk's default sender: about no ticket, so never threaded.
pub(crate) async fn queue_digest(
    mut conn: Conn<'_>,
    outbound: &Outbound,
    team: TeamId,
    team_name: &str,
    readers: &[PersonId],
    body: &Rendered,
    now: Millis,
) -> Result<(), AppError> {
    let from = match mailboxes::first_of_team(conn.reborrow(), team).await? {
        Some(mailbox) => mailbox.fields.address,
        None => outbound.settings.from.clone().unwrap_or_default(),
    };
    let subject = format!("Feedback digest for {team_name}");
    for &reader in readers {
        let recipient = person(conn.reborrow(), reader).await?;
        let envelope = Envelope {
            kind: EmailKind::Notification,
            ticket_id: None,
            message: None,
            recipient: Party { name: Some(recipient.fields.name.clone()), email: recipient.fields.email.clone() },
            recipient_id: recipient.id,
            sender: Party { name: Some(team_name.to_owned()), email: from.clone() },
            id_prefix: format!("tandem.digest.{}", team.0),
            subject: &subject,
            in_reply_to: None,
            references: &[],
            automatic: true,
            body,
        };
        let no_sender =
            || "not sent: the team has no mailbox and no default sender address is set (mail.from)".to_owned();
        record(conn.reborrow(), envelope, no_sender, now).await?;
    }
    Ok(())
}

/// One email about a ticket, before it has headers.
struct Email {
    kind: EmailKind,
    message: Option<MessageId>,
    subject: String,
    body: Rendered,
    automatic: bool,
    /// Part of the customer's email conversation (In-Reply-To, References).
    threaded: bool,
}

/// Composes the email with the ticket's threading headers and records it (see [`record`]).
async fn queue(
    mut conn: Conn<'_>,
    outbound: &Outbound,
    ticket: &TicketView,
    recipient: &PersonRow,
    team: &str,
    email: Email,
    now: Millis,
) -> Result<(), AppError> {
    let from = match mailboxes::first_of_team(conn.reborrow(), ticket.team_id).await? {
        Some(mailbox) => Some(mailbox.fields.address),
        None => outbound.settings.from.clone(),
    };
    let thread = if email.threaded { outbound::thread(conn.reborrow(), ticket.id).await? } else { Vec::new() };
    // It answers the customer's latest email; failing that, the desk's own latest.
    let answered = thread.iter().rev().find(|message| message.inbound).or(thread.last());
    let references: Vec<String> = thread.iter().map(|message| message.rfc_message_id.clone()).collect();
    let envelope = Envelope {
        kind: email.kind,
        ticket_id: Some(ticket.id),
        message: email.message,
        recipient: Party { name: Some(recipient.fields.name.clone()), email: recipient.fields.email.clone() },
        recipient_id: recipient.id,
        sender: Party { name: Some(team.to_owned()), email: from.unwrap_or_default() },
        id_prefix: format!("tandem.{}", ticket.id.0),
        subject: &email.subject,
        in_reply_to: answered.map(|message| message.rfc_message_id.as_str()),
        references: &references,
        automatic: email.automatic,
        body: &email.body,
    };
    let no_sender =
        || format!("not sent: team \"{team}\" has no mailbox and no default sender address is set (mail.from)");
    record(conn, envelope, no_sender, now).await
}

/// An announcement to one of its recipients, from the desk's default sender (an announcement
/// belongs to no team's mailbox). Not threaded: a reply to it never becomes a ticket message.
pub(crate) async fn queue_announcement(
    conn: Conn<'_>,
    outbound: &Outbound,
    announcement: &AnnouncementEmail<'_>,
    recipient: &Recipient,
    now: Millis,
) -> Result<(), AppError> {
    let link = outbound.link(&format!("/portal/announcements/{}", announcement.id.0));
    let body = templates::Announcement {
        name: &recipient.name,
        author: announcement.author,
        title: announcement.title,
        body: announcement.body,
        link: &link,
    }
    .rendered()
    .map_err(render_error)?;
    let envelope = Envelope {
        kind: EmailKind::Notification,
        ticket_id: None,
        message: None,
        recipient: Party { name: Some(recipient.name.clone()), email: recipient.email.clone() },
        recipient_id: recipient.id,
        sender: Party {
            name: Some(announcement.author.to_owned()),
            email: outbound.settings.from.clone().unwrap_or_default(),
        },
        id_prefix: format!("tandem.announcement.{}", announcement.id.0),
        subject: &format!("Announcement: {}", announcement.title),
        in_reply_to: None,
        references: &[],
        automatic: true,
        body: &body,
    };
    record(conn, envelope, no_default_sender, now).await
}

/// Why an email from the desk itself (not a team's mailbox) was not sent.
fn no_default_sender() -> String {
    "not sent: no default sender address is set (mail.from)".to_owned()
}

/// What an announcement's email says, the same for each recipient.
pub(crate) struct AnnouncementEmail<'a> {
    pub id: AnnouncementId,
    pub title: &'a str,
    /// Markdown.
    pub body: &'a str,
    pub author: &'a str,
}

/// After a solve: asks `recipient` to rate `ticket`, one signed link per rating (`/survey/{token}`
/// with the rating preselected; the page records nothing until the answer is sent).
pub(crate) async fn queue_rating_request(
    mut conn: Conn<'_>,
    outbound: &Outbound,
    ticket: &TicketView,
    recipient: PersonId,
    token: &str,
    closes: Millis,
    now: Millis,
) -> Result<(), AppError> {
    let recipient = person(conn.reborrow(), recipient).await?;
    let team = team_name(conn.reborrow(), ticket).await?;
    let links = (1..=5).map(|stars| (stars, outbound.link(&format!("/survey/{token}?rating={stars}")))).collect();
    let body = templates::RatingRequest {
        name: &recipient.fields.name,
        subject: &ticket.subject,
        team: &team,
        ticket: ticket.id.0,
        links,
        closes: &day(closes),
    }
    .rendered()
    .map_err(render_error)?;
    // No [#N] tag and no threading: the links are the answer, not a reply on the ticket.
    let subject = format!("How did we do? {} (request {})", ticket.subject, ticket.id.0);
    let email = Email { kind: EmailKind::Notification, message: None, subject, body, automatic: true, threaded: false };
    queue(conn, outbound, ticket, &recipient, &team, email, now).await
}

/// What a survey invitation says besides its link.
pub(crate) struct Invitation<'a> {
    pub title: &'a str,
    pub intro: &'a str,
    pub anonymous: bool,
    pub min_group: i64,
    pub closes: Millis,
}

/// A survey invitation to `recipient` with their own signed link, from the desk's default sender.
pub(crate) async fn queue_survey_invitation(
    mut conn: Conn<'_>,
    outbound: &Outbound,
    recipient: PersonId,
    invitation: &Invitation<'_>,
    token: &str,
    now: Millis,
) -> Result<(), AppError> {
    let recipient = person(conn.reborrow(), recipient).await?;
    let link = outbound.link(&format!("/survey/{token}"));
    let body = templates::SurveyInvitation {
        name: &recipient.fields.name,
        title: invitation.title,
        intro: invitation.intro,
        link: &link,
        anonymous: invitation.anonymous,
        min_group: invitation.min_group,
        closes: &day(invitation.closes),
        sender: SURVEY_SENDER,
    }
    .rendered()
    .map_err(render_error)?;
    let email = Email {
        kind: EmailKind::Notification,
        message: None,
        subject: invitation.title.to_owned(),
        body,
        automatic: true,
        threaded: false,
    };
    let envelope = Envelope {
        kind: email.kind,
        ticket_id: None,
        message: None,
        recipient: Party { name: Some(recipient.fields.name.clone()), email: recipient.fields.email.clone() },
        recipient_id: recipient.id,
        sender: Party {
            name: Some(SURVEY_SENDER.to_owned()),
            email: outbound.settings.from.clone().unwrap_or_default(),
        },
        id_prefix: "tandem.survey".to_owned(),
        subject: &email.subject,
        in_reply_to: None,
        references: &[],
        automatic: email.automatic,
        body: &email.body,
    };
    record(conn, envelope, no_default_sender, now).await
}

/// The display name survey invitations come from.
const SURVEY_SENDER: &str = "Surveys";

/// A date a person reads in an email ("24 December 2026", UTC).
fn day(at: Millis) -> String {
    jiff::Timestamp::from_millisecond(at).map_or_else(|_| at.to_string(), |at| at.strftime("%-d %B %Y").to_string())
}

/// One email with its parties and headers, before it is composed.
struct Envelope<'a> {
    kind: EmailKind,
    ticket_id: Option<TicketId>,
    message: Option<MessageId>,
    recipient: Party,
    recipient_id: PersonId,
    /// An empty address: there is no one to send it as.
    sender: Party,
    /// The Message-ID's local part starts with it (what the email is about).
    id_prefix: String,
    subject: &'a str,
    in_reply_to: Option<&'a str>,
    references: &'a [String],
    automatic: bool,
    body: &'a Rendered,
}

/// Composes the email and records it in the outbox; queues its sending unless it is known up
/// front that it cannot go (no sender address, an undeliverable recipient), in which case it is
/// recorded as failed with the reason, for staff to see.
async fn record(
    mut conn: Conn<'_>,
    envelope: Envelope<'_>,
    no_sender: impl FnOnce() -> String,
    now: Millis,
) -> Result<(), AppError> {
    let from = &envelope.sender.email;
    let domain = from.rsplit_once('@').map_or("tandem.invalid", |(_, domain)| domain);
    let message_id = format!("{}.{:016x}@{domain}", envelope.id_prefix, rand::random::<u64>());
    let to = &envelope.recipient.email;
    let mut failure = if from.is_empty() {
        Some(no_sender())
    } else {
        inbound::undeliverable(conn.reborrow(), to)
            .await?
            .map(|(_, reason)| format!("not sent: mail to {to} was reported undeliverable ({reason})"))
    };
    let recipients = [envelope.recipient.clone()];
    let composed = Outgoing {
        from: &envelope.sender,
        to: &recipients,
        cc: &[],
        subject: envelope.subject,
        message_id: &message_id,
        in_reply_to: envelope.in_reply_to,
        references: envelope.references,
        automatic: envelope.automatic,
        date: now,
        body: envelope.body,
    };
    let raw = match (&failure, tandem_mail::compose(&composed)) {
        (_, Ok(raw)) => raw,
        (None, Err(error)) => {
            failure = Some(format!("not sent: {error}"));
            Vec::new()
        }
        (Some(_), Err(_)) => Vec::new(),
    };
    let row = NewOutbound {
        kind: envelope.kind,
        ticket_id: envelope.ticket_id,
        message_id: envelope.message,
        recipient_id: Some(envelope.recipient_id),
        envelope_from: from,
        envelope_to: to,
        rfc_message_id: &message_id,
        subject: envelope.subject,
        raw: &raw,
        status: if failure.is_some() { EmailStatus::Failed } else { EmailStatus::Queued },
        last_error: failure.as_deref(),
    };
    let id = outbound::insert(conn.reborrow(), &row, now).await?;
    if failure.is_none() {
        crate::jobs::enqueue_effect(conn, &SendEmail { email: id }, now).await?;
    }
    Ok(())
}

async fn person(conn: Conn<'_>, id: PersonId) -> Result<PersonRow, AppError> {
    people::get(conn, id).await?.ok_or(AppError::NotFound("person"))
}

async fn team_name(conn: Conn<'_>, ticket: &TicketView) -> Result<String, AppError> {
    Ok(teams::get(conn, ticket.team_id).await?.map(|team| team.name).unwrap_or_default())
}

fn render_error(error: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("rendering an email: {error}"))
}
