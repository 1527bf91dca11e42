-- junkai service schema, version 6: accounts for remote staff (role 'remote': a doctor,
-- pharmacist or counsellor who joins visits by video), bound to a person of the data set's
-- `remote_staff` by `remote_id`. SQLite cannot change a CHECK constraint, so `users` is
-- rebuilt. The migration runs in a transaction, where foreign keys cannot be switched off
-- and dropping `users` deletes its sessions, tokens and crew days (ON DELETE CASCADE): they
-- are kept aside and put back with the same ids.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE kept_sessions AS SELECT * FROM sessions;
CREATE TEMP TABLE kept_tokens AS SELECT * FROM api_tokens;
CREATE TEMP TABLE kept_crew_days AS SELECT * FROM crew_days;
CREATE TEMP TABLE kept_sequence AS SELECT seq FROM sqlite_sequence WHERE name = 'users';
CREATE TABLE users_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'planner', 'driver', 'viewer', 'remote')),
    -- A driver's unit; NULL for other roles, and for a driver who takes the day's unit.
    unit_id TEXT,
    -- A remote account's person (`remote_staff[].id`); NULL for other roles.
    remote_id TEXT,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);
INSERT INTO users_new (id, name, role, unit_id, password_hash, disabled, failed_logins, locked_until, created_at,
                       password_changed_at)
    SELECT id, name, role, unit_id, password_hash, disabled, failed_logins, locked_until, created_at, password_changed_at
    FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
-- Ids of deleted accounts are not given out again.
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM kept_sequence), 0)) WHERE name = 'users';
-- (Empty unless the cascade ran; then the same rows go back.)
DELETE FROM sessions;
DELETE FROM api_tokens;
DELETE FROM crew_days;
INSERT INTO sessions SELECT * FROM kept_sessions;
INSERT INTO api_tokens SELECT * FROM kept_tokens;
INSERT INTO crew_days SELECT * FROM kept_crew_days;
DROP TABLE kept_sessions;
DROP TABLE kept_tokens;
DROP TABLE kept_crew_days;
DROP TABLE kept_sequence;
