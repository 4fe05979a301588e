//! The email channel. Inbound: mailboxes (an address feeding a team), ingesting a raw message
//! exactly once (a new ticket, a reply on its ticket, or an ignored or quarantined message, each
//! recorded), fetching it over IMAP, and the admins' view of what arrived. Outbound: the outbox
//! (each email rendered and recorded in the transaction of the change that causes it), and the
//! job that hands it to the SMTP server after that transaction commits.
//!
//! Parsing, classification, reply trimming, templates and composing are pure code in
//! `tandem-mail`; here are the decisions that need the database and the transactions.

mod converse;
mod imap;
mod ingest;
mod mailboxes;
mod outbound;
pub(crate) mod outbox;
mod received;
mod send;
mod smtp;
mod thread;

pub use imap::{FetchError, FetchReport, INGESTED_KEYWORD, ImapAccount, ImapSecurity};
pub use ingest::Ingested;
pub use mailboxes::{MailboxInput, MailboxView};
pub use outbound::{Outbound, OutboundSettings};
pub use received::{InboundView, ReceivedFilter};
pub use send::SendEmail;
pub use smtp::{SendError, SmtpAccount, SmtpSecurity, SmtpSender};
