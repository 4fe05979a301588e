//! The email channel, inbound half: mailboxes (an address feeding a team), ingesting a raw
//! message exactly once (a new ticket, a reply on its ticket, or an ignored or quarantined
//! message, each recorded), fetching it over IMAP, and the admins' view of what arrived.
//!
//! Parsing, classification and reply trimming are pure code in `tandem-mail`; here are the
//! decisions that need the database and the one transaction each message is stored in.

mod converse;
mod imap;
mod ingest;
mod mailboxes;
mod received;
mod thread;

pub use imap::{FetchError, FetchReport, INGESTED_KEYWORD, ImapAccount, ImapSecurity};
pub use ingest::Ingested;
pub use mailboxes::{MailboxInput, MailboxView};
pub use received::{InboundView, ReceivedFilter};
