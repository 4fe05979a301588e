-- Full-text search over tickets' subjects and messages' bodies: a stored tsvector per row (the
-- `english` configuration, whose stemming matches SQLite's Porter tokenizer closely enough that one
-- search finds the same tickets on both backends), computed by PostgreSQL on every write, and a
-- GIN index on each. Bodies are indexed up to their first 100,000 characters, the longest body
-- Tandem accepts, so no accepted message can overflow a tsvector. Everything named `*_search*` is
-- backend-specific by design.
ALTER TABLE tickets ADD COLUMN subject_search tsvector
    GENERATED ALWAYS AS (to_tsvector('english'::regconfig, subject)) STORED;
CREATE INDEX tickets_subject_search ON tickets USING gin (subject_search);
ALTER TABLE messages ADD COLUMN body_search tsvector
    GENERATED ALWAYS AS (to_tsvector('english'::regconfig, left(body, 100000))) STORED;
CREATE INDEX messages_body_search ON messages USING gin (body_search);
