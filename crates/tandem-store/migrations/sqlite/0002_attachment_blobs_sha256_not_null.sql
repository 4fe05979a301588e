-- attachment_blobs.sha256 was declared `TEXT PRIMARY KEY`, which SQLite (unlike PostgreSQL) lets hold
-- NULL. Rebuild the table with NOT NULL, as in ../postgres. The copy is dropped first and refilled
-- with foreign keys deferred to the commit, so `attachments` keeps pointing at every blob it used.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE attachment_blobs_copy AS SELECT sha256, data FROM attachment_blobs;
DROP TABLE attachment_blobs;
CREATE TABLE attachment_blobs (
    sha256 TEXT NOT NULL PRIMARY KEY,
    data BLOB NOT NULL
);
INSERT INTO attachment_blobs (sha256, data) SELECT sha256, data FROM attachment_blobs_copy;
DROP TABLE attachment_blobs_copy;
