-- The email channel: mailboxes (an address that feeds a team, and maybe one of its services),
-- every inbound message kept whole with what became of it, and undeliverable addresses.
-- Kept column-for-column identical to ../postgres/0003_email.sql (a parity test checks it).

CREATE TABLE mailboxes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    service_id BIGINT REFERENCES services (id),
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT mailboxes_name_key UNIQUE (name),
    CONSTRAINT mailboxes_address_key UNIQUE (address)
);
CREATE INDEX mailboxes_team ON mailboxes (team_id);

-- One row per message a mailbox received, whatever became of it. The unique key is what makes
-- ingestion exactly-once: a second delivery (or an IMAP re-fetch after a crash) conflicts here.
-- dedup_key is the Message-ID, or sha256:<hex> of the raw bytes when there is none.
CREATE TABLE inbound_messages (
    id INTEGER PRIMARY KEY,
    mailbox_id BIGINT NOT NULL REFERENCES mailboxes (id),
    dedup_key TEXT NOT NULL,
    rfc_message_id TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('created', 'threaded', 'duplicate', 'ignored', 'quarantined')),
    reason TEXT,
    sender TEXT,
    subject TEXT,
    ticket_id BIGINT REFERENCES tickets (id),
    message_id BIGINT REFERENCES messages (id),
    html TEXT,
    raw BLOB NOT NULL,
    size BIGINT NOT NULL,
    oversized BOOLEAN NOT NULL,
    received_at BIGINT NOT NULL,
    CONSTRAINT inbound_messages_dedup_key UNIQUE (mailbox_id, dedup_key)
);
CREATE INDEX inbound_messages_rfc_message_id ON inbound_messages (rfc_message_id);
CREATE INDEX inbound_messages_outcome ON inbound_messages (outcome, id);
CREATE INDEX inbound_messages_ticket ON inbound_messages (ticket_id);
CREATE INDEX inbound_messages_message ON inbound_messages (message_id);

-- Set when a delivery report says mail to the person's address fails; cleared by nothing yet.
ALTER TABLE people ADD COLUMN undeliverable_at BIGINT;
ALTER TABLE people ADD COLUMN undeliverable_reason TEXT;
