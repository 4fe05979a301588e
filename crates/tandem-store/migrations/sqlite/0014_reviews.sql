-- Reviews and feedback routing: an external customer's 1–5 star review of a service, public or
-- private, with the owning team's one public answer; feedback topics and where their feedback goes.
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

-- Feedback routing: topics ("store", "delivery", "the office") offered to an audience, each owned
-- by one or more teams; per owning team, whether feedback on the topic becomes a ticket in its
-- queue (all of it, or only low ratings) or waits for the team's daily digest email.
CREATE TABLE feedback_topics (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    audience TEXT NOT NULL CHECK (audience IN ('internal', 'external', 'both')),
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT feedback_topics_slug_key UNIQUE (slug)
);

CREATE TABLE feedback_topic_teams (
    topic_id BIGINT NOT NULL REFERENCES feedback_topics (id),
    team_id BIGINT NOT NULL REFERENCES teams (id),
    routing TEXT NOT NULL CHECK (routing IN ('digest', 'tickets', 'low_ratings_as_tickets')),
    PRIMARY KEY (topic_id, team_id)
);

-- One piece of feedback on a topic: a general message, a review or a CSAT answer (the source row
-- it came from is named, so the ticket or digest links back to it).
CREATE TABLE feedback_items (
    id INTEGER PRIMARY KEY,
    topic_id BIGINT NOT NULL REFERENCES feedback_topics (id),
    author_id BIGINT NOT NULL REFERENCES people (id),
    source TEXT NOT NULL CHECK (source IN ('message', 'review', 'csat')),
    review_id BIGINT REFERENCES reviews (id),
    rated_ticket_id BIGINT REFERENCES tickets (id),
    rating BIGINT CHECK (rating BETWEEN 1 AND 5),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX feedback_items_author ON feedback_items (author_id, id);

-- Where each item went, per owning team: the ticket opened for it, or the digest that carried it
-- (`digested_at`, set by the daily job in the transaction that queues the email).
CREATE TABLE feedback_routes (
    item_id BIGINT NOT NULL REFERENCES feedback_items (id),
    team_id BIGINT NOT NULL REFERENCES teams (id),
    ticket_id BIGINT REFERENCES tickets (id),
    digested_at BIGINT,
    PRIMARY KEY (item_id, team_id)
);
-- The digest's read: a team's items not yet sent and not made a ticket.
CREATE INDEX feedback_routes_pending ON feedback_routes (digested_at, ticket_id, team_id);
