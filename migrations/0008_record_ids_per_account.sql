-- junkai service schema, version 8: a crew record's `client_id` is unique per account
-- (the `actor` that sent it), not across every crew: one crew's device can no longer
-- shadow another's entry by sending its id first. The table is rebuilt (SQLite cannot
-- drop a column's UNIQUE); every row is kept as it was.
CREATE TABLE visit_records_scoped (
    -- Arrival order at the server (ties of device time go to the smaller).
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL,
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
    published_to TEXT NOT NULL,
    -- A device names its entries; another account's device may pick the same name.
    UNIQUE (actor, client_id)
);

INSERT INTO visit_records_scoped (seq, client_id, date, unit_id, stop_order, stop_id, field, request_id, value,
    note, recorded_at, received_at, actor, plan_id, published_from, published_to)
SELECT seq, client_id, date, unit_id, stop_order, stop_id, field, request_id, value,
    note, recorded_at, received_at, actor, plan_id, published_from, published_to
FROM visit_records;

DROP TABLE visit_records;
ALTER TABLE visit_records_scoped RENAME TO visit_records;
CREATE INDEX visit_records_by_day ON visit_records(date, unit_id);
