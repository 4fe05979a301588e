-- Announcements: news from leadership to every employee or one department, shown on the employee
-- portal, optionally emailed, with read receipts. Never shown to external customers.
-- Kept column-for-column identical to ../postgres/0010_announcements.sql (a parity test checks it).

-- One announcement: written as a draft, published to every employee or one department, edited,
-- withdrawn. The body is Markdown (rendered and sanitized on display). Drafts have no
-- published_at; a withdrawn one keeps it and gains withdrawn_at.
CREATE TABLE announcements (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    -- The audience: NULL for every employee, else the employees of this department.
    department_id BIGINT REFERENCES teams (id),
    pinned BOOLEAN NOT NULL,
    -- Email each recipient when it is published.
    email BOOLEAN NOT NULL,
    expires_at BIGINT,
    author_id BIGINT NOT NULL REFERENCES people (id),
    -- Who published and who withdrew it (its author or an admin): the record of those actions.
    published_at BIGINT,
    published_by BIGINT REFERENCES people (id),
    withdrawn_at BIGINT,
    withdrawn_by BIGINT REFERENCES people (id),
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- Readers' lists: the published ones, newest first.
CREATE INDEX announcements_published ON announcements (published_at, id);

-- Read receipts: one per person and announcement, the first read kept.
CREATE TABLE announcement_reads (
    announcement_id BIGINT NOT NULL REFERENCES announcements (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    read_at BIGINT NOT NULL,
    PRIMARY KEY (announcement_id, person_id)
);

-- Who was emailed: claimed before the email is queued, in its transaction, so each recipient is
-- emailed once however many batches or nodes run.
CREATE TABLE announcement_emails (
    announcement_id BIGINT NOT NULL REFERENCES announcements (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    emailed_at BIGINT NOT NULL,
    PRIMARY KEY (announcement_id, person_id)
);
