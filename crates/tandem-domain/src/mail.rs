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

string_enum!(
    /// Why Tandem sends an email: an agent's public `reply` to the requester, the
    /// `acknowledgement` of a new request, or a `notification` to staff (an escalation).
    EmailKind {
        Reply => "reply",
        Acknowledgement => "acknowledgement",
        Notification => "notification",
    }
);

string_enum!(
    /// Where an outgoing email is: `queued` until the SMTP server accepts it (`sent`), or
    /// `failed` after its last attempt or a permanent refusal.
    EmailStatus {
        Queued => "queued",
        Sent => "sent",
        Failed => "failed",
    }
);
