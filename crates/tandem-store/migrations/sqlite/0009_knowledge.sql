-- Knowledge: help articles for each audience, in categories, owned by a team; their versions
-- (drafts and published), the deflections they earned (a request not filed because an article
-- answered it) and readers' reactions. Full-text search over the live copy of each article.
-- Kept column-for-column identical to ../postgres/0009_knowledge.sql (a parity test checks it);
-- the search index is each backend's own (FTS5 here, a tsvector column there).

CREATE TABLE article_categories (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT article_categories_slug_key UNIQUE (slug)
);

-- The live copy (title, category_id, audience, body, published_at) is the published version: what
-- readers see and what search indexes. It stays NULL until the first publish, so an article that
-- was never published matches no reader's audience and no search. Editors work on the versions.
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    title TEXT,
    category_id BIGINT REFERENCES article_categories (id),
    audience TEXT CHECK (audience IN ('public', 'employees', 'agents')),
    body TEXT,
    published_number BIGINT,
    published_at BIGINT,
    -- The newest version: a draft when it is above published_number.
    latest_number BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES people (id),
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT articles_slug_key UNIQUE (slug)
);
CREATE INDEX articles_audience ON articles (audience, id);
CREATE INDEX articles_team ON articles (team_id, id);

-- Every version an editor wrote; a draft is updated in place until it is published, after which
-- an edit starts the next number. Published versions are never changed: they are the history.
CREATE TABLE article_versions (
    article_id BIGINT NOT NULL REFERENCES articles (id),
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    category_id BIGINT NOT NULL REFERENCES article_categories (id),
    audience TEXT NOT NULL CHECK (audience IN ('public', 'employees', 'agents')),
    body TEXT NOT NULL,
    author_id BIGINT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    published_at BIGINT,
    published_by BIGINT REFERENCES people (id),
    PRIMARY KEY (article_id, number)
);

-- "This solved my problem": the request that was not filed.
CREATE TABLE article_deflections (
    id INTEGER PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles (id),
    service_id BIGINT REFERENCES services (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX article_deflections_article ON article_deflections (article_id, created_at);

-- One reaction per reader and article, changed in place.
CREATE TABLE article_reactions (
    article_id BIGINT NOT NULL REFERENCES articles (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    reaction TEXT NOT NULL CHECK (reaction IN ('sucks', 'boring', 'useful', 'interesting', 'awesome')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (article_id, person_id)
);

-- The search index of the live copies: an external-content FTS5 table (the text stays in
-- `articles`; snippets read it from there), kept in step by triggers so no write can forget it.
-- The update trigger fires only when the live text changes, not on a draft's edit.
CREATE VIRTUAL TABLE article_search USING fts5 (
    title, body, content = 'articles', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_search (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
    INSERT INTO article_search (article_search, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER article_search_update AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO article_search (article_search, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO article_search (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
