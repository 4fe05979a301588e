//! From raw bytes to an [`Inbound`]: the sender, the threading keys, the text and sanitized HTML
//! bodies and the attachments, with every odd input answered by a value (a missing Message-ID
//! becomes a hash of the bytes, a nameless attachment gets a name), never a panic.

use std::fmt;

use mail_parser::{HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType};
use sha2::{Digest, Sha256};

use crate::classify::{Kind, classify};
use crate::html::sanitize_html;

/// One mailbox of an address header, its address lower-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    pub email: String,
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// What Tandem needs of a message, extracted once.
#[derive(Clone, Debug)]
pub struct Inbound {
    /// The Message-ID, without angle brackets, when the message has a usable one.
    pub message_id: Option<String>,
    /// What makes a delivery "the same message": the Message-ID, or `sha256:<hex>` of the raw
    /// bytes when there is none.
    pub dedup_key: String,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    /// The sender; always present for a [`Kind::Conversation`], maybe absent for machine mail.
    pub from: Option<Address>,
    pub to: Vec<Address>,
    pub cc: Vec<Address>,
    pub subject: String,
    /// Every text body joined (HTML-only messages converted to text), quoted history included.
    pub text: String,
    /// The HTML body, sanitized (no scripts, handlers or `javascript:` links), if there was one.
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
    pub kind: Kind,
    /// Size of the raw message in bytes.
    pub size: usize,
}

/// Why a message cannot become a conversation at all (it is quarantined with this reason).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// Not a message: empty, or nothing a MIME parser can read.
    Unparsable,
    /// No From (or Sender) with a usable address: nobody to answer.
    NoSender,
}

impl fmt::Display for ParseError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            ParseError::Unparsable => "the message could not be parsed as email",
            ParseError::NoSender => "the message has no sender address",
        })
    }
}

impl std::error::Error for ParseError {}

/// Longest Message-ID kept as a key; a longer one (never legitimate) is treated as missing.
const MAX_ID_CHARS: usize = 500;

pub fn parse(raw: &[u8]) -> Result<Inbound, ParseError> {
    let message = MessageParser::default().parse(raw).ok_or(ParseError::Unparsable)?;
    if message.headers().is_empty() {
        return Err(ParseError::Unparsable);
    }
    let kind = classify(&message);
    let from = sender(&message);
    // A person must be answerable; machines (MAILER-DAEMON <>) often have no address at all.
    if from.is_none() && kind == Kind::Conversation {
        return Err(ParseError::NoSender);
    }
    let message_id =
        message.message_id().map(clean_id).filter(|id| !id.is_empty() && id.chars().count() <= MAX_ID_CHARS);
    let dedup_key = match &message_id {
        Some(id) => id.clone(),
        None => format!("sha256:{}", hex(&Sha256::digest(raw))),
    };
    Ok(Inbound {
        dedup_key,
        message_id,
        in_reply_to: id_list(message.in_reply_to()),
        references: id_list(message.references()),
        to: addresses(message.to()),
        cc: addresses(message.cc()),
        from,
        subject: message.subject().unwrap_or_default().trim().to_owned(),
        text: text_body(&message),
        html: html_body(&message),
        attachments: attachments(&message),
        kind,
        size: raw.len(),
    })
}

fn sender(message: &Message<'_>) -> Option<Address> {
    [message.from(), message.sender()].into_iter().flatten().find_map(|list| addresses(Some(list)).into_iter().next())
}

fn addresses(list: Option<&mail_parser::Address<'_>>) -> Vec<Address> {
    let Some(list) = list else { return Vec::new() };
    list.iter()
        .filter_map(|addr| {
            let email = addr.address()?.trim().to_lowercase();
            is_address(&email).then(|| Address {
                email,
                name: addr.name().map(str::trim).filter(|name| !name.is_empty()).map(str::to_owned),
            })
        })
        .collect()
}

/// A plausible mailbox: one `@`, something on each side, no spaces or control characters.
pub fn is_address(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.contains('@')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
}

fn clean_id(id: &str) -> String {
    id.trim().trim_start_matches('<').trim_end_matches('>').trim().to_owned()
}

fn id_list(value: &HeaderValue<'_>) -> Vec<String> {
    let ids: Vec<String> = match value {
        HeaderValue::Text(id) => vec![clean_id(id)],
        HeaderValue::TextList(ids) => ids.iter().map(|id| clean_id(id)).collect(),
        _ => Vec::new(),
    };
    ids.into_iter().filter(|id| !id.is_empty() && id.chars().count() <= MAX_ID_CHARS).collect()
}

fn text_body(message: &Message<'_>) -> String {
    let bodies: Vec<String> = (0..message.text_body_count())
        .filter_map(|position| message.body_text(position))
        .map(|text| text.into_owned())
        .collect();
    bodies.join("\n\n").replace("\r\n", "\n").trim().to_owned()
}

fn html_body(message: &Message<'_>) -> Option<String> {
    let html = message.html_bodies().find(|part| matches!(part.body, PartType::Html(_)))?;
    Some(sanitize_html(html.text_contents()?))
}

fn attachments(message: &Message<'_>) -> Vec<Attachment> {
    message
        .attachments()
        .enumerate()
        .filter(|(_, part)| !matches!(part.body, PartType::Multipart(_)))
        .map(|(position, part)| Attachment {
            filename: filename(part, position),
            content_type: content_type(part),
            data: part.contents().to_vec(),
        })
        .collect()
}

fn content_type(part: &MessagePart<'_>) -> String {
    match part.content_type() {
        Some(kind) => match kind.subtype() {
            Some(subtype) => format!("{}/{}", kind.ctype(), subtype).to_lowercase(),
            None => kind.ctype().to_lowercase(),
        },
        None if part.is_message() => "message/rfc822".to_owned(),
        None => "application/octet-stream".to_owned(),
    }
}

/// The part's own name with any path removed, or `attachment-N` (`.eml` for a forwarded message).
fn filename(part: &MessagePart<'_>, position: usize) -> String {
    let named = part.attachment_name().map(|name| name.rsplit(['/', '\\']).next().unwrap_or(name).trim());
    match named.filter(|name| !name.is_empty() && *name != "." && *name != "..") {
        Some(name) => name.chars().filter(|c| !c.is_control()).take(200).collect(),
        None if part.is_message() => format!("attachment-{}.eml", position + 1),
        None => format!("attachment-{}", position + 1),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_message_gives_its_sender_keys_and_body() {
        let raw = b"From: Erin <Erin@Example.com>\r\nTo: care@harbor.example\r\nCc: Olga <olga@bayside.example>\r\n\
            Subject: Re: Broken grinder [#12]\r\nMessage-ID: <abc@example.com>\r\nIn-Reply-To: <x1@harbor.example>\r\n\
            References: <x0@harbor.example> <x1@harbor.example>\r\n\r\nIt still grinds.\r\n";
        let inbound = parse(raw).unwrap();
        assert_eq!(inbound.from, Some(Address { email: "erin@example.com".into(), name: Some("Erin".into()) }));
        assert_eq!(inbound.cc[0].email, "olga@bayside.example");
        assert_eq!(inbound.message_id.as_deref(), Some("abc@example.com"));
        assert_eq!(inbound.dedup_key, "abc@example.com");
        assert_eq!(inbound.in_reply_to, ["x1@harbor.example"]);
        assert_eq!(inbound.references, ["x0@harbor.example", "x1@harbor.example"]);
        assert_eq!(inbound.text, "It still grinds.");
        assert_eq!(inbound.kind, Kind::Conversation);
    }

    #[test]
    fn without_a_message_id_the_bytes_are_the_key() {
        let first = parse(b"From: a@example.com\r\nSubject: one\r\n\r\nbody\r\n").unwrap();
        let again = parse(b"From: a@example.com\r\nSubject: one\r\n\r\nbody\r\n").unwrap();
        let other = parse(b"From: a@example.com\r\nSubject: two\r\n\r\nbody\r\n").unwrap();
        assert!(first.message_id.is_none());
        assert!(first.dedup_key.starts_with("sha256:"));
        assert_eq!(first.dedup_key, again.dedup_key);
        assert_ne!(first.dedup_key, other.dedup_key);
    }

    #[test]
    fn no_usable_sender_or_no_message_is_an_error() {
        assert_eq!(parse(b"").unwrap_err(), ParseError::Unparsable);
        assert_eq!(parse(b"Subject: hi\r\n\r\nbody\r\n").unwrap_err(), ParseError::NoSender);
        assert_eq!(parse(b"From: nobody\r\nSubject: hi\r\n\r\nbody\r\n").unwrap_err(), ParseError::NoSender);
        let daemon = parse(b"From: MAILER-DAEMON <>\r\nSubject: Mail delivery failed\r\n\r\nbody\r\n").unwrap();
        assert_eq!((daemon.from, daemon.kind), (None, Kind::Bounce { failed: Vec::new() }));
    }

    #[test]
    fn html_only_messages_get_text_and_sanitized_html() {
        let raw =
            b"From: a@example.com\r\nContent-Type: text/html\r\n\r\n<p>Hi <b>there</b></p><script>alert(1)</script>\
            <a href=\"javascript:alert(2)\" onclick=\"x()\">link</a>\r\n";
        let inbound = parse(raw).unwrap();
        let html = inbound.html.unwrap();
        assert!(!html.contains("script") && !html.contains("javascript") && !html.contains("onclick"), "{html}");
        assert!(html.contains("<b>there</b>"), "{html}");
        assert!(inbound.text.contains("Hi there"), "{}", inbound.text);
    }

    #[test]
    fn attachments_keep_their_names_without_paths() {
        let raw = b"From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\
            Content-Type: text/plain\r\n\r\nSee attached.\r\n--b\r\nContent-Type: application/pdf\r\n\
            Content-Disposition: attachment; filename=\"../../etc/receipt.pdf\"\r\n\
            Content-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--b--\r\n";
        let inbound = parse(raw).unwrap();
        assert_eq!(inbound.attachments.len(), 1);
        assert_eq!(inbound.attachments[0].filename, "receipt.pdf");
        assert_eq!(inbound.attachments[0].content_type, "application/pdf");
        assert_eq!(inbound.attachments[0].data, b"%PDF");
    }
}
