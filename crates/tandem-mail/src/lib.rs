//! Email as pure code. Inbound: a raw RFC 5322 message becomes an [`Inbound`] (addresses,
//! threading keys, a display body with quoted history trimmed, sanitized HTML, attachments) and
//! a [`Kind`] that says whether it is a conversation at all (auto-replies, bounces and list
//! traffic are not). Outbound: the desk's emails rendered from templates ([`templates`]) and
//! composed into raw bytes with threading headers ([`compose()`]). Also the one Markdown renderer
//! ([`markdown_to_html`], help articles), here beside the HTML sanitizer it relies on.
//!
//! Nothing here does IO or reads the clock: the app layer decides what to store and where to
//! thread, from what this crate extracts. Every input must come back as a value, never a panic;
//! the shared corpus test in `crates/tandem/tests/it/mail_corpus.rs` holds it to that.

mod classify;
mod compose;
mod html;
mod markdown;
mod parse;
mod subject;
pub mod templates;
mod trim;

pub use classify::Kind;
pub use compose::{ComposeError, Outgoing, Party, compose, ticket_subject};
pub use html::sanitize_html;
pub use markdown::markdown_to_html;
pub use parse::{Address, Attachment, Inbound, ParseError, is_address, parse};
pub use subject::ticket_number;
pub use trim::trim_reply;
