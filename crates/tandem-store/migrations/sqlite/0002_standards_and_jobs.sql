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
