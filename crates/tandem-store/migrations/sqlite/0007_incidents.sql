-- Incidents: one record ("card payments failing at the tills") that many tickets of both audiences
-- are linked to, with updates posted to every linked ticket in its audience's voice.
-- Kept column-for-column identical to ../postgres/0007_incidents.sql (a parity test checks it).

CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    status TEXT NOT NULL CHECK (status IN ('open', 'solved')),
    severity TEXT CHECK (severity IN ('minor', 'major', 'critical')),
    -- Match rules: a new ticket is linked on arrival while the incident is open and it matches.
    match_service_id BIGINT REFERENCES services (id),
    match_words TEXT NOT NULL,
    has_rules BOOLEAN NOT NULL,
    created_by BIGINT NOT NULL REFERENCES people (id),
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    solved_at BIGINT
);
-- Every ticket creation asks this index for open incidents with rules: an empty range when none is.
CREATE INDEX incidents_matching ON incidents (status, has_rules, id);

-- The primary key on the ticket alone is the rule "a ticket belongs to at most one incident".
CREATE TABLE incident_tickets (
    ticket_id BIGINT NOT NULL PRIMARY KEY REFERENCES tickets (id),
    incident_id BIGINT NOT NULL REFERENCES incidents (id),
    -- NULL when a match rule linked it on arrival.
    linked_by BIGINT REFERENCES people (id),
    linked_at BIGINT NOT NULL
);
CREATE INDEX incident_tickets_incident ON incident_tickets (incident_id, ticket_id);

-- What was said: the external voice, the internal voice, and a note for staff only.
CREATE TABLE incident_updates (
    id INTEGER PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents (id),
    author_id BIGINT NOT NULL REFERENCES people (id),
    external_body TEXT,
    internal_body TEXT,
    note TEXT,
    solves_tickets BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX incident_updates_incident ON incident_updates (incident_id, id);

-- One row per (update, ticket) it was posted on, inserted before the reply: a batch that runs
-- again finds the row and skips the ticket, so each ticket gets each update once.
CREATE TABLE incident_deliveries (
    update_id BIGINT NOT NULL REFERENCES incident_updates (id),
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    delivered_at BIGINT NOT NULL,
    PRIMARY KEY (update_id, ticket_id)
);
