-- Full-text search over tickets' subjects and messages' bodies (FTS5, external content: the text
-- stays in `tickets` and `messages`, the index holds only the terms). Triggers keep the index in
-- the transaction of every write, whichever code path (or bulk loader) wrote the row. The Porter
-- stemmer matches PostgreSQL's `english` configuration closely enough that one search finds the
-- same tickets on both backends. Everything named `*_search*` is backend-specific by design.
CREATE VIRTUAL TABLE ticket_search USING fts5 (
    subject, content = 'tickets', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE message_search USING fts5 (
    body, content = 'messages', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO ticket_search (ticket_search) VALUES ('rebuild');
INSERT INTO message_search (message_search) VALUES ('rebuild');

CREATE TRIGGER ticket_search_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_search (rowid, subject) VALUES (new.id, new.subject);
END;
CREATE TRIGGER ticket_search_update AFTER UPDATE OF subject ON tickets BEGIN
    INSERT INTO ticket_search (ticket_search, rowid, subject) VALUES ('delete', old.id, old.subject);
    INSERT INTO ticket_search (rowid, subject) VALUES (new.id, new.subject);
END;
CREATE TRIGGER ticket_search_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO ticket_search (ticket_search, rowid, subject) VALUES ('delete', old.id, old.subject);
END;

CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER message_search_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO message_search (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, body) VALUES ('delete', old.id, old.body);
END;
