-- junkai service schema, version 1.
-- The data set: one base problem document (calendar, travel, equipment, kinds, depots)
-- plus stops, units and requests as JSON bodies in the problem-file format, so that the
-- service validates them with the same parser (and coded errors) as the CLI.
CREATE TABLE dataset (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    label TEXT NOT NULL,
    base_json TEXT NOT NULL,
    imported_at TEXT NOT NULL
);

CREATE TABLE stops (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    body_json TEXT NOT NULL
);

CREATE TABLE units (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    body_json TEXT NOT NULL
);

-- Requests hold residents' private data (names, phones, homes): never read by public routes.
CREATE TABLE requests (
    id TEXT PRIMARY KEY,
    body_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Plan versions: queued → running → draft (or failed); draft → published → superseded.
CREATE TABLE plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'draft', 'published', 'superseded', 'failed')),
    kind TEXT NOT NULL CHECK (kind IN ('plan', 'replan', 'full')),
    based_on INTEGER REFERENCES plans(id),
    first_monday TEXT NOT NULL,
    weeks INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    progress REAL NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    published_at TEXT,
    -- plan.json (public content), plan.geojson, and the crews' itineraries (private).
    plan_json TEXT,
    map_geojson TEXT,
    itineraries_json TEXT,
    summary_json TEXT,
    error_json TEXT
);

CREATE INDEX plans_by_status ON plans(status);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
