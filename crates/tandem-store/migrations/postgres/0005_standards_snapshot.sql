-- One row that moves with every write to calendars or standards, in the same transaction: a node
-- keeps the enabled standards with their parsed calendars in memory and checks this row (one
-- primary-key read) before using them, so it never uses a standard after another node's edit
-- committed. `instance` is drawn once per database, so a process that talks to several databases
-- (tests, benchmarks) never takes one database's version for another's.
CREATE TABLE standards_version (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    instance BIGINT NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO standards_version (id, instance, version)
VALUES (1, floor(random() * 9007199254740991)::bigint, 1);

-- Deleted calendars and standards stay as tombstones: clocks already measured (met or breached)
-- keep naming the standard they were measured against. A deleted one is never listed, edited or
-- applied; a deleted calendar's name is freed by renaming it.
ALTER TABLE calendars ADD COLUMN deleted_at BIGINT;
ALTER TABLE standards ADD COLUMN deleted_at BIGINT;
