//! How a node sends email: the SMTP server, and the settings that shape what the desk sends.
//! Without it (no `[mail.smtp]`), nothing is queued: replies stay in Tandem.

use super::smtp::SmtpSender;

/// Outbound email on this node.
#[derive(Clone, Debug)]
pub struct Outbound {
    pub sender: SmtpSender,
    pub settings: OutboundSettings,
}

/// What the desk's emails say and when it sends them by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboundSettings {
    /// Where people open Tandem (`https://help.example.com`), for the links in emails.
    pub public_url: String,
    /// Confirm each new request to its requester by email.
    pub acknowledge: bool,
    /// The sender address of teams that have no mailbox; without it they send nothing.
    pub from: Option<String>,
}

impl Outbound {
    /// A link to a page of Tandem.
    pub(crate) fn link(&self, path: &str) -> String {
        format!("{}{path}", self.settings.public_url.trim_end_matches('/'))
    }
}
