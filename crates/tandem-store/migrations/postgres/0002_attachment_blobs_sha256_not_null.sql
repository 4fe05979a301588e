-- attachment_blobs.sha256 is NOT NULL here already (a PostgreSQL primary key always is); this states it,
-- beside ../sqlite/0002, which rebuilds the SQLite table to match.
ALTER TABLE attachment_blobs ALTER COLUMN sha256 SET NOT NULL;
