//! The outbox: each email the desk sends is rendered, composed and recorded in the transaction of
//! the change that causes it (an agent's reply, a new request, an escalation), with a job that
//! sends it once that transaction commits. A rolled-back change sends nothing; a committed one
//! is sent even if the node dies right after.
//!
//! Who gets what: the requester gets an agent's public replies and, when enabled, the
//! acknowledgement of their new request; staff get notifications. Internal notes never reach
//! this module. The sender is the ticket team's mailbox (the address customers already write to).

use tandem_domain::{EmailKind, EmailStatus, MessageId, Millis, PersonId, TeamId};
use tandem_mail::templates::{self, Rendered};
use tandem_mail::{Outgoing, Party};
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

/// A team's feedback digest (`body`), to each of `readers`: about no ticket, so never threaded.
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
    let domain = from.rsplit_once('@').map_or("tandem.invalid", |(_, domain)| domain);
    let sender = Party { name: Some(team_name.to_owned()), email: from.clone() };
    for &reader in readers {
        let recipient = person(conn.reborrow(), reader).await?;
        let message_id = format!("tandem.digest.{}.{:016x}@{domain}", team.0, rand::random::<u64>());
        let to = [Party { name: Some(recipient.fields.name.clone()), email: recipient.fields.email.clone() }];
        let composed = Outgoing {
            from: &sender,
            to: &to,
            cc: &[],
            subject: &subject,
            message_id: &message_id,
            in_reply_to: None,
            references: &[],
            automatic: true,
            date: now,
            body,
        };
        let (raw, failure) = match (from.is_empty(), tandem_mail::compose(&composed)) {
            (true, _) => (
                Vec::new(),
                Some("not sent: the team has no mailbox and no default sender address is set (mail.from)".to_owned()),
            ),
            (false, Ok(raw)) => (raw, None),
            (false, Err(error)) => (Vec::new(), Some(format!("not sent: {error}"))),
        };
        let row = NewOutbound {
            kind: EmailKind::Notification,
            ticket_id: None,
            message_id: None,
            recipient_id: Some(recipient.id),
            envelope_from: &from,
            envelope_to: &recipient.fields.email,
            rfc_message_id: &message_id,
            subject: &subject,
            raw: &raw,
            status: if failure.is_some() { EmailStatus::Failed } else { EmailStatus::Queued },
            last_error: failure.as_deref(),
        };
        let id = outbound::insert(conn.reborrow(), &row, now).await?;
        if failure.is_none() {
            crate::jobs::enqueue_effect(conn.reborrow(), &SendEmail { email: id }, now).await?;
        }
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

/// Composes the email with the ticket's threading headers and records it; queues its sending
/// unless it is known up front that it cannot go (no sender address, an undeliverable recipient),
/// in which case it is recorded as failed with the reason, for the agent to see.
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
    let domain = from.as_deref().and_then(|from| from.rsplit_once('@')).map_or("tandem.invalid", |(_, domain)| domain);
    let message_id = format!("tandem.{}.{:016x}@{domain}", ticket.id.0, rand::random::<u64>());
    let to = &recipient.fields.email;
    let mut failure = match &from {
        None => {
            Some(format!("not sent: team \"{team}\" has no mailbox and no default sender address is set (mail.from)"))
        }
        Some(_) => inbound::undeliverable(conn.reborrow(), to)
            .await?
            .map(|(_, reason)| format!("not sent: mail to {to} was reported undeliverable ({reason})")),
    };
    let sender = Party { name: Some(team.to_owned()), email: from.clone().unwrap_or_default() };
    let recipients = [Party { name: Some(recipient.fields.name.clone()), email: to.clone() }];
    let composed = Outgoing {
        from: &sender,
        to: &recipients,
        cc: &[],
        subject: &email.subject,
        message_id: &message_id,
        in_reply_to: answered.map(|message| message.rfc_message_id.as_str()),
        references: &references,
        automatic: email.automatic,
        date: now,
        body: &email.body,
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
        kind: email.kind,
        ticket_id: Some(ticket.id),
        message_id: email.message,
        recipient_id: Some(recipient.id),
        envelope_from: from.as_deref().unwrap_or_default(),
        envelope_to: to,
        rfc_message_id: &message_id,
        subject: &email.subject,
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
