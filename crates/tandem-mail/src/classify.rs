//! Is this message a conversation? Auto-replies, bounces, read receipts, abuse reports and
//! mailing-list traffic are not: answering them or opening tickets for them starts mail loops.
//! Signals are the standard headers first (RFC 3834 `Auto-Submitted`, RFC 3464 delivery status,
//! RFC 2369/2919 list headers), then the habits of well-known clients (Outlook's
//! `X-Auto-Response-Suppress`, "Automatic reply:" subjects, `MAILER-DAEMON` senders).

use mail_parser::{Message, MimeHeaders};

/// What kind of mail a message is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Written by a person to the desk: it opens or continues a ticket.
    Conversation,
    /// Sent by a machine: vacation notices, read receipts, abuse and feedback reports.
    AutoReply,
    /// A delivery failure report; `failed` holds the addresses that could not be reached.
    Bounce { failed: Vec<String> },
    /// Traffic of a mailing list or bulk sender.
    MailingList,
}

impl Kind {
    /// The word stored with an ignored message (`auto_reply`, `bounce`, `mailing_list`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Conversation => "conversation",
            Kind::AutoReply => "auto_reply",
            Kind::Bounce { .. } => "bounce",
            Kind::MailingList => "mailing_list",
        }
    }
}

pub(crate) fn classify(message: &Message<'_>) -> Kind {
    let report = message.content_type().filter(|kind| kind.ctype().eq_ignore_ascii_case("multipart"));
    let report_type = report.and_then(|kind| kind.attribute("report-type")).unwrap_or_default().to_ascii_lowercase();
    let status = delivery_status(message);
    if report_type.contains("delivery-status") || status.is_some() || looks_like_bounce(message) {
        let mut failed = status.map(|text| failed_recipients(&text)).unwrap_or_default();
        failed.extend(header(message, "X-Failed-Recipients").split(',').map(|a| a.trim().to_lowercase()));
        failed.retain(|address| crate::parse::is_address(address));
        failed.sort();
        failed.dedup();
        return Kind::Bounce { failed };
    }
    if !report_type.is_empty() || is_auto_reply(message) {
        return Kind::AutoReply;
    }
    if is_list(message) {
        return Kind::MailingList;
    }
    Kind::Conversation
}

fn header<'m>(message: &'m Message<'m>, name: &'static str) -> &'m str {
    message.header_raw(name).map(str::trim).unwrap_or_default()
}

/// The text of the first `message/delivery-status` part, wherever it sits.
fn delivery_status(message: &Message<'_>) -> Option<String> {
    message.parts.iter().find_map(|part| {
        let kind = part.content_type()?;
        let subtype = kind.subtype()?.to_ascii_lowercase();
        (kind.ctype().eq_ignore_ascii_case("message") && subtype.ends_with("delivery-status"))
            .then(|| String::from_utf8_lossy(part.contents()).into_owned())
    })
}

/// Recipients whose per-recipient block says `Action: failed` (delayed ones are not failures).
fn failed_recipients(status: &str) -> Vec<String> {
    let mut failed = Vec::new();
    let mut recipient: Option<String> = None;
    let mut action_failed = false;
    for line in status.lines().chain([""]) {
        let line = line.trim();
        if line.is_empty() {
            if let (Some(address), true) = (recipient.take(), action_failed) {
                failed.push(address);
            }
            action_failed = false;
            continue;
        }
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "final-recipient" => {
                let address = value.rsplit(';').next().unwrap_or(value);
                recipient = Some(address.trim().trim_matches(['<', '>']).to_lowercase());
            }
            "original-recipient" if recipient.is_none() => {
                let address = value.rsplit(';').next().unwrap_or(value);
                recipient = Some(address.trim().trim_matches(['<', '>']).to_lowercase());
            }
            "action" => action_failed = value.to_ascii_lowercase().starts_with("failed"),
            _ => {}
        }
    }
    failed
}

const BOUNCE_SENDERS: [&str; 4] = ["mailer-daemon", "postmaster", "mail-delivery-subsystem", "mail.delivery.system"];
const BOUNCE_SUBJECTS: [&str; 12] = [
    "undeliver",
    "delivery status notification",
    "delivery failure",
    "delivery has failed",
    "failure notice",
    "returned mail",
    "mail delivery failed",
    "could not be delivered",
    "delivery notification",
    "nondeliverable",
    "unzustellbar",
    "non remis",
];

/// Bounces that are not RFC 3464 reports (qmail, old Exchange, many hosted MTAs).
fn looks_like_bounce(message: &Message<'_>) -> bool {
    let from = message.from().and_then(|list| list.first());
    let address = from.and_then(|addr| addr.address()).unwrap_or_default();
    let local = address.split('@').next().unwrap_or_default().to_ascii_lowercase();
    // `MAILER-DAEMON <>`: some MTAs give the name and an empty address.
    let name = from.and_then(|addr| addr.name()).unwrap_or_default().trim().to_ascii_lowercase();
    let subject = message.subject().unwrap_or_default().to_lowercase();
    // MAILER-DAEMON is never a person, whatever its subject says.
    let daemon = local == "mailer-daemon"
        || local == "double-bounce"
        || name == "mailer-daemon"
        || header(message, "Return-Path").to_ascii_lowercase().contains("mailer-daemon");
    let machine_sender = BOUNCE_SENDERS.iter().any(|sender| local == *sender || name == *sender)
        || header(message, "Return-Path") == "<>";
    let ses_report = || {
        // Amazon SES forwards bounces as SNS notifications: a JSON body, no report structure.
        message.body_text(0).is_some_and(|text| {
            text.trim_start().starts_with('{')
                && (text.contains("\"notificationType\":\"Bounce\"")
                    || text.contains("\\\"notificationType\\\":\\\"Bounce\\\""))
        })
    };
    daemon || (machine_sender && BOUNCE_SUBJECTS.iter().any(|words| subject.contains(words))) || ses_report()
}

const AUTO_SUBJECTS: [&str; 10] = [
    "automatic reply:",
    "auto reply:",
    "auto-reply:",
    "autoreply:",
    "auto response:",
    "out of office",
    "out-of-office",
    "abwesenheitsnotiz",
    "réponse automatique",
    // Microsoft's junk-mail feedback (JMRP) reports, which are not RFC 5965 multipart/reports.
    "complaint about message from",
];

fn is_auto_reply(message: &Message<'_>) -> bool {
    let submitted = header(message, "Auto-Submitted").to_ascii_lowercase();
    let precedence = header(message, "Precedence").to_ascii_lowercase();
    let subject = message.subject().unwrap_or_default().trim_start().to_lowercase();
    (!submitted.is_empty() && !submitted.starts_with("no"))
        || message.header_raw("X-Auto-Response-Suppress").is_some()
        || message.header_raw("X-Autoreply").is_some()
        || message.header_raw("X-Autorespond").is_some()
        || precedence == "auto_reply"
        // A null envelope sender is reserved for automatic mail (RFC 5321 §4.5.5); cloud
        // notification services (Amazon SNS) send only machine notifications.
        || header(message, "Return-Path") == "<>"
        || AUTO_SUBJECTS.iter().any(|start| subject.starts_with(start))
        || sender_domain(message).ends_with(".amazonaws.com")
}

/// The From address's domain, lower-case ("" without one).
fn sender_domain(message: &Message<'_>) -> String {
    let from = message.from().and_then(|list| list.first()).and_then(|addr| addr.address()).unwrap_or_default();
    from.rsplit_once('@').map(|(_, domain)| domain.to_ascii_lowercase()).unwrap_or_default()
}

fn is_list(message: &Message<'_>) -> bool {
    let precedence = header(message, "Precedence").to_ascii_lowercase();
    !message.list_id().is_empty()
        || !message.list_post().is_empty()
        || !message.list_unsubscribe().is_empty()
        || matches!(precedence.as_str(), "list" | "bulk" | "junk")
}

#[cfg(test)]
mod tests {
    use mail_parser::MessageParser;

    use super::*;

    fn kind(raw: &str) -> Kind {
        classify(&MessageParser::default().parse(raw.as_bytes()).unwrap())
    }

    #[test]
    fn people_writing_are_conversations() {
        assert_eq!(kind("From: a@example.com\r\nSubject: Re: hello\r\n\r\nhi\r\n"), Kind::Conversation);
        assert_eq!(kind("From: a@example.com\r\nAuto-Submitted: no\r\nSubject: x\r\n\r\nhi\r\n"), Kind::Conversation);
    }

    #[test]
    fn auto_replies_are_recognized_by_header_or_subject() {
        for headers in [
            "Auto-Submitted: auto-replied\r\nSubject: Away",
            "X-Auto-Response-Suppress: All\r\nSubject: hi",
            "Subject: Automatic reply: your order",
            "Subject: Auto reply: hello",
            "Precedence: auto_reply\r\nSubject: x",
            "Return-Path: <>\r\nSubject: x",
        ] {
            assert_eq!(
                kind(&format!("From: a@example.com\r\n{headers}\r\n\r\nbody\r\n")),
                Kind::AutoReply,
                "{headers}"
            );
        }
    }

    #[test]
    fn lists_are_recognized() {
        for header in ["List-Id: <dev.lists.example>", "Precedence: bulk", "List-Unsubscribe: <mailto:u@x.example>"] {
            assert_eq!(
                kind(&format!("From: a@example.com\r\n{header}\r\n\r\nbody\r\n")),
                Kind::MailingList,
                "{header}"
            );
        }
    }

    #[test]
    fn delivery_reports_name_the_failed_recipients_only() {
        let raw = "From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered Mail\r\n\
            Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\n\
            Content-Type: text/plain\r\n\r\nSorry.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n\
            Reporting-MTA: dns; mx.example\r\n\r\nFinal-Recipient: rfc822; Gone@Example.com\r\nAction: failed\r\n\
            Status: 5.1.1\r\n\r\nFinal-Recipient: rfc822; slow@example.com\r\nAction: delayed\r\nStatus: 4.0.0\r\n\
            --b--\r\n";
        assert_eq!(kind(raw), Kind::Bounce { failed: vec!["gone@example.com".into()] });
    }

    #[test]
    fn bounces_without_a_report_are_recognized_by_sender_and_subject() {
        let raw = "From: MAILER-DAEMON@mx.example\r\nSubject: failure notice\r\nX-Failed-Recipients: x@example.com\r\n\r\nx\r\n";
        assert_eq!(kind(raw), Kind::Bounce { failed: vec!["x@example.com".into()] });
        let person = "From: postmaster@example.com\r\nSubject: Question about the invoice\r\n\r\nhi\r\n";
        assert_eq!(kind(person), Kind::Conversation);
    }
}
