-- junkai service schema, version 4: cancelled requests. A cancelled request leaves the
-- data set at once; this row keeps what staff and the resident still need to see that it
-- was cancelled: a summary without personal data (service, place, dates), the last four
-- digits of the phone (for the resident's status check), who cancelled it, when and why.
-- Purged with the other personal data after `retention_days`.
CREATE TABLE cancelled_requests (
    id TEXT PRIMARY KEY,
    summary_json TEXT NOT NULL,
    phone_last4 TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    cancelled_at TEXT NOT NULL,
    cancelled_by TEXT NOT NULL
);
