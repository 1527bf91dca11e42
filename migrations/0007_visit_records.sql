-- junkai service schema, version 7: what actually happened on a crew's day, as the crew
-- recorded it on the phone (often offline, synced later).
-- Each entry is made once on the device and named there by `client_id`: sending it again
-- stores nothing new (idempotent sync). Entries are never updated; a correction is a new
-- entry for the same slot, and the slot's value is its entry with the latest device time
-- `recorded_at` (ties: the one received first). See docs/API.md, "Crew records".
CREATE TABLE visit_records (
    -- Arrival order at the server (ties of device time go to the smaller).
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL UNIQUE,
    date TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    -- The visit's position in the crew's day (1-based) and its stop (NULL for a home visit).
    stop_order INTEGER NOT NULL,
    stop_id TEXT,
    -- 'arrival' / 'departure' (value HH:MM), 'outcome' of a booking (value done, no_show,
    -- cancelled, postponed), 'attendance' of a class (value: a count).
    field TEXT NOT NULL CHECK (field IN ('arrival', 'departure', 'outcome', 'attendance')),
    -- The booking of an outcome; '' for the other fields.
    request_id TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL,
    -- Private (may name a resident's circumstances): erased with the day's personal data.
    note TEXT NOT NULL DEFAULT '',
    -- The device's clock when the entry was made (RFC 3339).
    recorded_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    -- What the published plan promised for this visit when the entry arrived: the plan's
    -- id and the announced window (HH:MM), so that punctuality stays as it was promised.
    plan_id INTEGER NOT NULL,
    published_from TEXT NOT NULL,
    published_to TEXT NOT NULL
);

CREATE INDEX visit_records_by_day ON visit_records(date, unit_id);

-- A booking whose latest outcome is no_show or postponed goes back to the planners: one
-- click confirms it as a new request linked to the old one (`follow_up_of`).
CREATE TABLE follow_ups (
    request_id TEXT NOT NULL,
    date TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('no_show', 'postponed')),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'dismissed')),
    new_request_id TEXT,
    created_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT,
    PRIMARY KEY (request_id, date)
);
