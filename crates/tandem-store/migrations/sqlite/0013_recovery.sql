-- Service recovery and loyalty: make-goods offered after a bad experience, each team's monthly
-- budget for them, referrals, purchases, detractors worked by leads, and the audit trail of the
-- changes that belong to no ticket.
-- Amounts are integers in the currency's minor unit (cents). Kept column-for-column identical
-- to ../postgres/0013_recovery.sql.

CREATE TABLE make_good_budgets (
    team_id BIGINT NOT NULL REFERENCES teams (id),
    -- A calendar month, 'YYYY-MM' (UTC).
    period TEXT NOT NULL,
    currency TEXT NOT NULL,
    budget_minor BIGINT NOT NULL CHECK (budget_minor >= 0),
    -- Make-goods worth more than this wait for a lead's approval.
    approval_limit_minor BIGINT NOT NULL CHECK (approval_limit_minor >= 0),
    updated_by BIGINT NOT NULL REFERENCES people (id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, period)
);

CREATE TABLE make_goods (
    id INTEGER PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    -- The ticket's team when offered: its budget pays.
    team_id BIGINT NOT NULL REFERENCES teams (id),
    -- The ticket's requester: the only customer who sees it.
    customer_id BIGINT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL CHECK (kind IN ('credit', 'voucher', 'reward')),
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    -- What the customer reads; the note is for staff only.
    message TEXT NOT NULL,
    note TEXT,
    -- JSON list of the recovery reasons that held when it was offered.
    reasons TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending_approval', 'offered', 'accepted', 'redeemed', 'declined',
        'withdrawn', 'rejected')),
    period TEXT NOT NULL,
    offered_by BIGINT NOT NULL REFERENCES people (id),
    approved_by BIGINT REFERENCES people (id),
    -- When the customer first saw it (NULL while it waits for approval, or if it never left it).
    offered_at BIGINT,
    -- The customer's words when they declined.
    customer_comment TEXT,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX make_goods_ticket ON make_goods (ticket_id, id);
CREATE INDEX make_goods_customer ON make_goods (customer_id, id);
CREATE INDEX make_goods_team_period ON make_goods (team_id, period, state);
CREATE INDEX make_goods_state ON make_goods (state, id);

CREATE TABLE recovery_events (
    id INTEGER PRIMARY KEY,
    -- What changed: 'budget' (subject_id: the team), 'person' (referrals, purchases, detractors).
    subject TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    actor_id BIGINT REFERENCES people (id),
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX recovery_events_subject ON recovery_events (subject, subject_id, id);

-- Each customer's referral code, made the first time they ask for it.
CREATE TABLE referral_codes (
    person_id BIGINT NOT NULL PRIMARY KEY REFERENCES people (id),
    code TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- Who referred whom: a person is referred once (the unique key), by an agent's record or a link.
CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    referrer_id BIGINT NOT NULL REFERENCES people (id),
    referred_id BIGINT NOT NULL UNIQUE REFERENCES people (id),
    source TEXT NOT NULL CHECK (source IN ('agent', 'link')),
    recorded_by BIGINT REFERENCES people (id),
    note TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX referrals_referrer ON referrals (referrer_id, id);

-- Repeat business: purchases from the shop's API or a CSV import; the external reference is
-- unique, so importing the same purchase again adds nothing.
CREATE TABLE purchases (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id),
    external_ref TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
    currency TEXT NOT NULL,
    purchased_at BIGINT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('api', 'import')),
    recorded_by BIGINT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX purchases_person ON purchases (person_id, purchased_at);

-- A lead worked a detractor: who, when, and what they did.
CREATE TABLE detractor_notes (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id),
    worked_by BIGINT NOT NULL REFERENCES people (id),
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX detractor_notes_person ON detractor_notes (person_id, id);

-- A person's ratings by time (the profile's satisfaction trend), and the low ones by time (the
-- detractors' repeated low CSAT).
CREATE INDEX satisfaction_ratings_rater ON satisfaction_ratings (rated_by, updated_at);
CREATE INDEX satisfaction_ratings_low ON satisfaction_ratings (rating, updated_at);
