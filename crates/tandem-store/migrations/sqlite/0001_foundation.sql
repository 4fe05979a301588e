-- Foundation: directory, catalog, tickets, conversation, audit trail, routing, tokens.
-- Kept column-for-column identical to ../postgres/0001_foundation.sql (a parity test checks it).
-- Instants are BIGINT Unix milliseconds; JSON values are TEXT; ids are integer keys.

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    domain TEXT,
    notes TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT organizations_name_key UNIQUE (name)
);

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('team', 'department')),
    parent_id BIGINT REFERENCES teams (id),
    is_provider BOOLEAN NOT NULL,
    assignment TEXT NOT NULL CHECK (assignment IN ('queue', 'round_robin')),
    last_assigned_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT teams_slug_key UNIQUE (slug)
);
CREATE INDEX teams_parent ON teams (parent_id);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('employee', 'external')),
    is_admin BOOLEAN NOT NULL,
    title TEXT,
    department_id BIGINT REFERENCES teams (id),
    manager_id BIGINT REFERENCES people (id),
    organization_id BIGINT REFERENCES organizations (id),
    stakeholder TEXT CHECK (stakeholder IN ('client', 'consumer', 'supplier', 'shareholder', 'partner', 'community')),
    connection TEXT CHECK (connection IN ('connected', 'loose')),
    org_access BOOLEAN NOT NULL,
    password_hash TEXT,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT people_email_key UNIQUE (email)
);
CREATE INDEX people_department ON people (department_id);
CREATE INDEX people_organization ON people (organization_id);
CREATE INDEX people_name ON people (name, id);

CREATE TABLE team_members (
    team_id BIGINT NOT NULL REFERENCES teams (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    role TEXT NOT NULL CHECK (role IN ('agent', 'lead')),
    available BOOLEAN NOT NULL,
    PRIMARY KEY (team_id, person_id)
);
CREATE INDEX team_members_person ON team_members (person_id);

CREATE TABLE services (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    audience TEXT NOT NULL CHECK (audience IN ('internal', 'external', 'both')),
    default_priority TEXT NOT NULL CHECK (default_priority IN ('low', 'normal', 'high', 'urgent')),
    form TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT services_slug_key UNIQUE (slug)
);
CREATE INDEX services_team ON services (team_id);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('new', 'open', 'pending_customer', 'pending_internal', 'solved', 'closed')),
    priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    audience TEXT NOT NULL CHECK (audience IN ('internal', 'external')),
    channel TEXT NOT NULL CHECK (channel IN ('web', 'email', 'api', 'phone')),
    requester_id BIGINT NOT NULL REFERENCES people (id),
    recipient_id BIGINT REFERENCES people (id),
    organization_id BIGINT REFERENCES organizations (id),
    service_id BIGINT REFERENCES services (id),
    team_id BIGINT NOT NULL REFERENCES teams (id),
    assignee_id BIGINT REFERENCES people (id),
    tags TEXT NOT NULL,
    fields TEXT NOT NULL,
    merged_into_id BIGINT REFERENCES tickets (id),
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    first_responded_at BIGINT,
    solved_at BIGINT
);
-- One index per queue and filter, each ending in the list order (updated_at, id).
CREATE INDEX tickets_updated ON tickets (updated_at, id);
CREATE INDEX tickets_status ON tickets (status, updated_at, id);
CREATE INDEX tickets_team ON tickets (team_id, updated_at, id);
CREATE INDEX tickets_team_status ON tickets (team_id, status, updated_at, id);
CREATE INDEX tickets_assignee_status ON tickets (assignee_id, status, updated_at, id);
CREATE INDEX tickets_requester ON tickets (requester_id, updated_at, id);
CREATE INDEX tickets_recipient ON tickets (recipient_id, updated_at, id);
CREATE INDEX tickets_organization ON tickets (organization_id, updated_at, id);
CREATE INDEX tickets_service ON tickets (service_id, updated_at, id);
CREATE INDEX tickets_audience_status ON tickets (audience, status, updated_at, id);

CREATE TABLE ticket_tags (
    tag TEXT NOT NULL,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    PRIMARY KEY (tag, ticket_id)
);
CREATE INDEX ticket_tags_ticket ON ticket_tags (ticket_id);

CREATE TABLE ticket_followers (
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    PRIMARY KEY (ticket_id, person_id)
);
CREATE INDEX ticket_followers_person ON ticket_followers (person_id, ticket_id);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    author_id BIGINT REFERENCES people (id),
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    channel TEXT NOT NULL CHECK (channel IN ('web', 'email', 'api', 'phone')),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX messages_ticket ON messages (ticket_id, id);

CREATE TABLE attachment_blobs (
    sha256 TEXT NOT NULL PRIMARY KEY,
    data BLOB NOT NULL
);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    uploader_id BIGINT NOT NULL REFERENCES people (id),
    message_id BIGINT REFERENCES messages (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES attachment_blobs (sha256),
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id);
CREATE INDEX attachments_uploader ON attachments (uploader_id, created_at);

CREATE TABLE ticket_events (
    id INTEGER PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    actor_id BIGINT REFERENCES people (id),
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

CREATE TABLE routing_rules (
    id INTEGER PRIMARY KEY,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    conditions TEXT NOT NULL,
    actions TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX routing_rules_position ON routing_rules (position, id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id),
    token_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('api', 'session')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    last_used_at BIGINT,
    revoked_at BIGINT,
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);

CREATE TABLE idempotency_keys (
    person_id BIGINT NOT NULL REFERENCES people (id),
    idem_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    resource_kind TEXT NOT NULL,
    resource_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, idem_key)
);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);
