//! Email words: what became of a message a mailbox received.

use crate::macros::string_enum;

string_enum!(
    /// `created` opened a ticket, `threaded` continued one, `duplicate` was already on its ticket
    /// (the same Message-ID through another mailbox), `ignored` was not a conversation (auto-reply,
    /// bounce, list), `quarantined` could not be handled and waits for an admin.
    InboundOutcome {
        Created => "created",
        Threaded => "threaded",
        Duplicate => "duplicate",
        Ignored => "ignored",
        Quarantined => "quarantined",
    }
);
