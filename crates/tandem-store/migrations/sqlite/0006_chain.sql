-- The service chain: an internal request (`child_id`) serves one ticket (`parent_id`), external or
-- internal, so a request serves at most one ticket and chains form trees (care → warehouse →
-- accounting); loops are refused by the app before the insert.
--
-- `waiting_since` is set while the parent waits on this open link (`pending_internal`) and
-- `waited_ms` sums the closed stretches, so the chain shows how long each link kept its parent
-- waiting without replaying the trail. `served_left_ms` is the business time left on the parent's
-- resolution target when the link was made: a standard with `derive_from_served` caps the
-- request's own resolution target at it. `rating*` is the asking agent's 1–5 on the hand-off.
CREATE TABLE ticket_links (
    child_id BIGINT NOT NULL PRIMARY KEY REFERENCES tickets (id),
    parent_id BIGINT NOT NULL REFERENCES tickets (id),
    created_by BIGINT REFERENCES people (id),
    created_at BIGINT NOT NULL,
    served_left_ms BIGINT,
    waiting_since BIGINT,
    waited_ms BIGINT NOT NULL DEFAULT 0,
    rating BIGINT CHECK (rating BETWEEN 1 AND 5),
    rating_comment TEXT,
    rated_by BIGINT REFERENCES people (id),
    rated_at BIGINT,
    CHECK (child_id <> parent_id)
);
CREATE INDEX ticket_links_parent ON ticket_links (parent_id);

ALTER TABLE standards ADD COLUMN derive_from_served BOOLEAN NOT NULL DEFAULT FALSE;
