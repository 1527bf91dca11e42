-- junkai service schema, version 3: residents' online applications, and which plan a
-- published plan replaced (to tell residents what changed).
-- An application waits as 'pending' until a planner accepts it (it becomes a request with
-- the same id, and the application keeps no personal data) or declines it with a reason.
-- `phone_last4` lets the resident check the status by number; it is erased with the row.
CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'cancelled')),
    body_json TEXT NOT NULL,
    phone_last4 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT,
    reason TEXT NOT NULL DEFAULT ''
);

CREATE INDEX applications_by_status ON applications(status);

-- The plan that was published when this one was published (NULL for the first).
ALTER TABLE plans ADD COLUMN replaces INTEGER REFERENCES plans(id);
