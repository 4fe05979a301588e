-- Surveys: the signed links that let a requester rate a solved ticket without signing in, and NPS
-- and pulse surveys sent in rounds to an audience.
-- Kept column-for-column identical to ../postgres/0012_surveys.sql (a parity test checks it).

-- A CSAT link: only the SHA-256 of its token is kept; it dies when the ticket's survey closes.
CREATE TABLE rating_links (
    token_hash TEXT NOT NULL PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX rating_links_ticket ON rating_links (ticket_id);

CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('nps', 'pulse')),
    title TEXT NOT NULL,
    intro TEXT NOT NULL,
    questions TEXT NOT NULL,
    audience TEXT NOT NULL CHECK (audience IN ('external', 'employees', 'department')),
    department_id BIGINT REFERENCES teams (id),
    -- NULL: sent once; otherwise a round every so many days.
    every_days BIGINT,
    open_days BIGINT NOT NULL,
    anonymous BOOLEAN NOT NULL,
    min_group BIGINT NOT NULL,
    active BOOLEAN NOT NULL,
    -- When the schedule opens the next round; NULL when nothing is due.
    next_round_at BIGINT,
    rounds BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES people (id),
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX surveys_due ON surveys (next_round_at);

-- One sending; its questions are kept as they were sent, so editing a survey never changes what a
-- link already shows.
CREATE TABLE survey_rounds (
    id INTEGER PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES surveys (id),
    number BIGINT NOT NULL,
    questions TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    CONSTRAINT survey_rounds_number UNIQUE (survey_id, number)
);

-- Who was asked in a round: the unique (round, person) row is claimed before the email is queued,
-- so each person gets each round once however many nodes send. `answered` is all it says of an
-- answer: no time, no reference to the response.
CREATE TABLE survey_invitations (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES survey_rounds (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    token_hash TEXT NOT NULL,
    answered BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT survey_invitations_person UNIQUE (round_id, person_id),
    CONSTRAINT survey_invitations_token UNIQUE (token_hash)
);

-- One answer set per link, found again by `answer_key` (a second hash of the link's token, which
-- only the link's holder can compute). `person_id` is set only in surveys that are not anonymous.
CREATE TABLE survey_responses (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES survey_rounds (id),
    answer_key TEXT NOT NULL,
    person_id BIGINT REFERENCES people (id),
    department_id BIGINT REFERENCES teams (id),
    score BIGINT NOT NULL,
    answers TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT survey_responses_key UNIQUE (answer_key)
);
CREATE INDEX survey_responses_round ON survey_responses (round_id, department_id);
