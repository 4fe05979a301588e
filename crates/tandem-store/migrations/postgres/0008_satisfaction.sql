-- Satisfaction (CSAT): the requester's 1–5 rating of a solved ticket, one per ticket, changed in
-- place while the survey is open. `audience` and `team_id` are the ticket's when it was rated, so
-- reports group ratings without reading tickets; the weakest-link report joins them to the chain.
CREATE TABLE satisfaction_ratings (
    ticket_id BIGINT NOT NULL PRIMARY KEY REFERENCES tickets (id),
    rating BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment TEXT,
    rated_by BIGINT NOT NULL REFERENCES people (id),
    audience TEXT NOT NULL CHECK (audience IN ('internal', 'external')),
    team_id BIGINT NOT NULL REFERENCES teams (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX satisfaction_ratings_team ON satisfaction_ratings (team_id, updated_at);
CREATE INDEX ticket_links_created ON ticket_links (created_at);
