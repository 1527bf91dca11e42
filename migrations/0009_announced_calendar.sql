-- junkai service schema, version 9: the announced calendar. What is announced for a date
-- is the latest publication covering that date; publishing next week leaves this week as
-- it was announced. A publication is its own record: a plan published twice (a rollback)
-- has two, each covering its dates from the day it was made, with the calendar
-- identities it gave its visits. `seq` orders them (never two in "the same second").
CREATE TABLE publications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    published_at TEXT NOT NULL,
    -- The calendar identities of the plan's visits (JSON `CalendarIds`, in visit order).
    calendar_json TEXT
);

-- Until now the published plan replaced every earlier one on every date: only it is
-- announced. (Superseded plans are not brought back for the dates they covered.)
INSERT INTO publications (plan_id, published_at, calendar_json)
SELECT id, published_at, calendar_json FROM plans
WHERE published_at IS NOT NULL AND status = 'published';

-- What each publication changed against what was announced for its dates until then,
-- kept so that a notice stays until the original date has passed, whatever is published
-- meanwhile: a visit moved or cancelled (public: no personal data), or a booking that moved
-- or lost its visit (for the staff's call list). `before_json` and `after_json` are visits
-- as residents were told of them (`VisitRef`), `after_json` NULL when nothing replaces it.
CREATE TABLE announced_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    publication INTEGER NOT NULL REFERENCES publications(seq),
    kind TEXT NOT NULL CHECK (kind IN ('moved', 'cancelled', 'booking')),
    -- The booking's request ('' for a visit).
    request_id TEXT NOT NULL DEFAULT '',
    -- The date of the visit as it was announced, YYYY-MM-DD.
    date TEXT NOT NULL,
    before_json TEXT NOT NULL,
    after_json TEXT
);

CREATE INDEX announced_changes_by_date ON announced_changes(date);
