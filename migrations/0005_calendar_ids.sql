-- junkai service schema, version 5: each published plan's calendar identities (UID and
-- SEQUENCE per visit, and the cancelled events still sent), computed from the plan it
-- replaced when it was published (src/io/calendar_identity.rs).
ALTER TABLE plans ADD COLUMN calendar_json TEXT;
