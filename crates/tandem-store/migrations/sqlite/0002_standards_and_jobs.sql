-- The durable job queue. A job is claimed by moving run_at to the end of its lease and writing a
-- fresh claim token into locked_by: the due-jobs index range (state, run_at) then skips running
-- jobs by itself, and a runner whose lease ran out can no longer finish (its token is gone).
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- Periodic and once-only work carries a key; a second enqueue with the same key is a no-op,
    -- and a finished keyed job stays (state 'done') so a late twin cannot run it again.
    dedupe_key TEXT,
    state TEXT NOT NULL CHECK (state IN ('queued', 'parked', 'done')),
    run_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    max_attempts BIGINT NOT NULL,
    locked_by TEXT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX jobs_dedupe_key ON jobs (dedupe_key);
CREATE INDEX jobs_state_run_at ON jobs (state, run_at, id);

-- Business-hours calendars; the definition (time zone, weekly periods, holidays) is JSON.
CREATE TABLE calendars (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT calendars_name_key UNIQUE (name)
);

-- Service standards (SLA for external, OLA for internal service): the first enabled one, by
-- position, whose conditions match a ticket sets its targets, in business time of its calendar.
CREATE TABLE standards (
    id INTEGER PRIMARY KEY,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    conditions TEXT NOT NULL,
    calendar_id BIGINT NOT NULL REFERENCES calendars (id),
    first_response_minutes BIGINT,
    next_response_minutes BIGINT,
    resolution_minutes BIGINT,
    warn_at_percent BIGINT NOT NULL,
    -- Per target, what a breach sets off (raise priority, move team, notify), as JSON.
    escalations TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX standards_position ON standards (position, id);

-- One clock per ticket and metric. While it runs, due_at is the breach instant and warn_at the
-- warning instant (NULL once warned), so "what is about to breach" is a range over an index.
-- elapsed_ms is business time used before running_since (NULL while paused or stopped).
CREATE TABLE ticket_targets (
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    metric TEXT NOT NULL CHECK (metric IN ('first_response', 'next_response', 'resolution')),
    standard_id BIGINT NOT NULL REFERENCES standards (id),
    state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'met', 'breached')),
    started_at BIGINT NOT NULL,
    target_ms BIGINT NOT NULL,
    elapsed_ms BIGINT NOT NULL,
    running_since BIGINT,
    due_at BIGINT,
    warn_at BIGINT,
    warned_at BIGINT,
    breached_at BIGINT,
    stopped_at BIGINT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, metric)
);
CREATE INDEX ticket_targets_due ON ticket_targets (state, due_at);
CREATE INDEX ticket_targets_warn ON ticket_targets (state, warn_at);
