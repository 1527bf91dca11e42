-- junkai service schema, version 2: staff accounts, sessions and API tokens.
-- Passwords are argon2id PHC strings; session ids and API tokens are kept only as
-- SHA-256 hashes (hex). Times used for expiry are Unix seconds.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'planner', 'driver', 'viewer')),
    -- A driver's unit; NULL for other roles, and for a driver who takes the day's unit.
    unit_id TEXT,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_unix INTEGER NOT NULL,
    seen_unix INTEGER NOT NULL
);

CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);

-- Which unit a driver without a fixed unit takes on a date (set by planners and admins).
CREATE TABLE crew_days (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    PRIMARY KEY (user_id, date)
);
