//! An outgoing email as bytes: headers that keep the conversation threaded in the customer's mail
//! program (Message-ID, In-Reply-To, References, a `[#N]` ticket tag in the subject), a text and
//! an HTML part, and `Auto-Submitted` on what a person did not write, so that other systems never
//! answer it with an auto-reply (and ours never answers theirs: see `classify`).

use std::time::{Duration, SystemTime};

use lettre::Message;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

use crate::templates::Rendered;

/// One party of an email: a display name (optional) and an address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    pub name: Option<String>,
    pub email: String,
}

/// Everything an outgoing email says. Message-IDs are given without angle brackets, as the
/// desk stores them.
#[derive(Clone, Debug)]
pub struct Outgoing<'a> {
    pub from: &'a Party,
    pub to: &'a [Party],
    pub cc: &'a [Party],
    pub subject: &'a str,
    pub message_id: &'a str,
    /// The message this one answers.
    pub in_reply_to: Option<&'a str>,
    /// The conversation so far, oldest first.
    pub references: &'a [String],
    /// `true` for what the desk wrote by itself (acknowledgements, notifications).
    pub automatic: bool,
    /// Unix milliseconds, for the Date header.
    pub date: i64,
    pub body: &'a Rendered,
}

/// Why an email could not be composed: an address that is not one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposeError(String);

impl std::fmt::Display for ComposeError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "cannot compose the email: {}", self.0)
    }
}

impl std::error::Error for ComposeError {}

/// The References header keeps the first message and the latest ones: enough for every mail
/// program to thread, without growing without bound on a long conversation.
const MAX_REFERENCES: usize = 20;

/// The raw RFC 5322 bytes of the email.
pub fn compose(email: &Outgoing<'_>) -> Result<Vec<u8>, ComposeError> {
    let mut builder = Message::builder()
        .from(mailbox(email.from)?)
        .reply_to(mailbox(email.from)?)
        .subject(email.subject)
        .message_id(Some(bracketed(email.message_id)))
        .date(SystemTime::UNIX_EPOCH + Duration::from_millis(email.date.max(0).unsigned_abs()));
    for party in email.to {
        builder = builder.to(mailbox(party)?);
    }
    for party in email.cc {
        builder = builder.cc(mailbox(party)?);
    }
    if let Some(answered) = email.in_reply_to {
        builder = builder.in_reply_to(bracketed(answered));
    }
    let references = kept_references(email.references);
    if !references.is_empty() {
        builder = builder.references(references.iter().map(|id| bracketed(id)).collect::<Vec<_>>().join(" "));
    }
    if email.automatic {
        // RFC 3834: a machine wrote this; auto-responders must not answer it.
        builder = builder
            .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("Auto-Submitted"), "auto-generated".into()))
            .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("X-Auto-Response-Suppress"), "All".into()));
    }
    let body = MultiPart::alternative_plain_html(email.body.text.clone(), email.body.html.clone());
    let message = builder.multipart(body).map_err(|error| ComposeError(error.to_string()))?;
    Ok(message.formatted())
}

fn kept_references(all: &[String]) -> Vec<&String> {
    if all.len() <= MAX_REFERENCES {
        return all.iter().collect();
    }
    let tail = &all[all.len() - (MAX_REFERENCES - 1)..];
    all.iter().take(1).chain(tail).collect()
}

fn bracketed(id: &str) -> String {
    format!("<{}>", id.trim_start_matches('<').trim_end_matches('>'))
}

fn mailbox(party: &Party) -> Result<Mailbox, ComposeError> {
    let address =
        party.email.parse().map_err(|_| ComposeError(format!("`{}` is not an email address", party.email)))?;
    Ok(Mailbox::new(party.name.clone(), address))
}

/// The subject line of a ticket's email, tagged with its number so that a reply threads even when
/// a mail program drops In-Reply-To and References (see [`crate::ticket_number`]).
pub fn ticket_subject(prefix: &str, subject: &str, ticket: i64) -> String {
    let tag = format!("[#{ticket}]");
    let subject = subject.trim();
    let already_tagged = crate::ticket_number(subject) == Some(ticket);
    let subject = if already_tagged { subject.to_owned() } else { format!("{subject} {tag}") };
    if prefix.is_empty() || subject.to_lowercase().starts_with(&prefix.to_lowercase()) {
        subject
    } else {
        format!("{prefix}{subject}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn party(name: &str, email: &str) -> Party {
        Party { name: Some(name.to_owned()), email: email.to_owned() }
    }

    #[test]
    fn a_composed_reply_parses_back_with_its_threading_headers() {
        let from = party("Customer Care", "care@harbor.example");
        let to = [party("Erin Ng", "erin@example.com")];
        let references = vec!["first@mail.example".to_owned(), "tandem.1.a@harbor.example".to_owned()];
        let body =
            Rendered { text: "Your grinder ships today.\n".into(), html: "<p>Your grinder ships today.</p>".into() };
        let email = Outgoing {
            from: &from,
            to: &to,
            cc: &[],
            subject: &ticket_subject("Re: ", "Grinder broken – again", 42),
            message_id: "tandem.2.b@harbor.example",
            in_reply_to: Some("first@mail.example"),
            references: &references,
            automatic: false,
            date: 1_700_000_000_000,
            body: &body,
        };
        let raw = compose(&email).unwrap();
        let parsed = parse(&raw).unwrap();
        assert_eq!(parsed.message_id.as_deref(), Some("tandem.2.b@harbor.example"));
        assert_eq!(parsed.in_reply_to, vec!["first@mail.example".to_owned()]);
        assert_eq!(parsed.references, references);
        assert_eq!(parsed.subject, "Re: Grinder broken – again [#42]");
        assert_eq!(crate::ticket_number(&parsed.subject), Some(42));
        assert_eq!(parsed.from.as_ref().map(|from| from.email.as_str()), Some("care@harbor.example"));
        assert_eq!(parsed.to.first().map(|to| to.email.as_str()), Some("erin@example.com"));
        assert!(parsed.text.contains("Your grinder ships today."));
        assert!(parsed.html.as_deref().is_some_and(|html| html.contains("ships today")));
        assert_eq!(parsed.kind, crate::Kind::Conversation);
    }

    #[test]
    fn automatic_mail_says_so_and_our_own_classifier_would_ignore_it() {
        let from = party("Customer Care", "care@harbor.example");
        let to = [party("Erin", "erin@example.com")];
        let body = Rendered { text: "We got it.".into(), html: "<p>We got it.</p>".into() };
        let email = Outgoing {
            from: &from,
            to: &to,
            cc: &[],
            subject: "We got your request",
            message_id: "ack.1@harbor.example",
            in_reply_to: None,
            references: &[],
            automatic: true,
            date: 0,
            body: &body,
        };
        let raw = String::from_utf8(compose(&email).unwrap()).unwrap();
        assert!(raw.contains("Auto-Submitted: auto-generated\r\n"), "{raw}");
        let parsed = parse(raw.as_bytes()).unwrap();
        assert_ne!(parsed.kind, crate::Kind::Conversation);
    }

    #[test]
    fn a_bad_address_is_an_error_not_a_panic() {
        let from = party("Care", "care@harbor.example");
        let to = [party("Nobody", "not an address")];
        let body = Rendered { text: String::new(), html: String::new() };
        let email = Outgoing {
            from: &from,
            to: &to,
            cc: &[],
            subject: "x",
            message_id: "x@y",
            in_reply_to: None,
            references: &[],
            automatic: false,
            date: 0,
            body: &body,
        };
        assert!(compose(&email).unwrap_err().to_string().contains("not an email address"));
    }

    #[test]
    fn long_conversations_keep_the_first_and_latest_references() {
        let all: Vec<String> = (0..50).map(|n| format!("m{n}@x")).collect();
        let kept = kept_references(&all);
        assert_eq!(kept.len(), MAX_REFERENCES);
        assert_eq!(kept[0], "m0@x");
        assert_eq!(kept[1], "m31@x");
        assert_eq!(kept[MAX_REFERENCES - 1], "m49@x");
    }

    #[test]
    fn subjects_are_tagged_once_and_prefixed_once() {
        assert_eq!(ticket_subject("Re: ", "Broken grinder", 7), "Re: Broken grinder [#7]");
        assert_eq!(ticket_subject("Re: ", "Re: Broken grinder [#7]", 7), "Re: Broken grinder [#7]");
        assert_eq!(ticket_subject("", "Broken grinder", 7), "Broken grinder [#7]");
        assert_eq!(ticket_subject("Re: ", "Order [#3] late", 7), "Re: Order [#3] late [#7]");
    }
}
