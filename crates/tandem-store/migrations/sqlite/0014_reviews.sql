-- Reviews: an external customer's 1–5 star review of a service, public or private, with the owning
-- team's one public answer; hidden reviews (abuse) leave the public lists.
-- Kept column-for-column identical to ../postgres/0014_reviews.sql (a parity test checks it).

-- The review itself and its one answer live in one row: the answer is the owning team's, edited in
-- place. A hidden review keeps its text (its author and staff still read it) but leaves every
-- public list; `hidden_reason` says why, and `review_events` keeps who did it and when.
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    service_id BIGINT NOT NULL REFERENCES services (id),
    author_id BIGINT NOT NULL REFERENCES people (id),
    rating BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
    answer TEXT,
    answered_by BIGINT REFERENCES people (id),
    answered_at BIGINT,
    hidden_reason TEXT,
    hidden_by BIGINT REFERENCES people (id),
    hidden_at BIGINT,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- The help centre's list: public, not hidden, newest first.
CREATE INDEX reviews_public ON reviews (visibility, hidden_at, id);
CREATE INDEX reviews_service ON reviews (service_id, id);
CREATE INDEX reviews_author ON reviews (author_id, id);
-- The console's "unanswered first".
CREATE INDEX reviews_answered ON reviews (answered_at, id);

-- The audit trail of a review: written, edited, answered, hidden (with the reason).
CREATE TABLE review_events (
    id INTEGER PRIMARY KEY,
    review_id BIGINT NOT NULL REFERENCES reviews (id),
    actor_id BIGINT REFERENCES people (id),
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX review_events_review ON review_events (review_id, id);
