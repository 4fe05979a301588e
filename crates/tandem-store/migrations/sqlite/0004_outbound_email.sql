-- The email channel, outbound: the outbox. One row per email Tandem sends (an agent's reply, an
-- acknowledgement, a notification), written in the transaction of the change that causes it, with
-- the whole message already rendered (raw RFC 5322 bytes), so what was sent is what is recorded.
-- A job sends it after that transaction commits; the row then says whether it went out.
-- Kept column-for-column identical to ../postgres/0004_outbound_email.sql (a parity test checks it).

CREATE TABLE outbound_emails (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('reply', 'acknowledgement', 'notification')),
    ticket_id BIGINT REFERENCES tickets (id),
    message_id BIGINT REFERENCES messages (id),
    recipient_id BIGINT REFERENCES people (id),
    envelope_from TEXT NOT NULL,
    envelope_to TEXT NOT NULL,
    rfc_message_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    raw BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT,
    CONSTRAINT outbound_emails_rfc_message_id UNIQUE (rfc_message_id)
);
CREATE INDEX outbound_emails_ticket ON outbound_emails (ticket_id);
CREATE INDEX outbound_emails_message ON outbound_emails (message_id);
CREATE INDEX outbound_emails_status ON outbound_emails (status, id);
