-- Candor's storage. Statements are idempotent: the app runs this file at every
-- start, so a fresh data directory just works.

-- One row per event the collector accepted. The tag's random event id is the key,
-- so a batch the browser sends twice (a retried beacon) is stored once.
CREATE TABLE IF NOT EXISTS event (
    id          TEXT PRIMARY KEY,
    site        TEXT NOT NULL,
    uid         TEXT NOT NULL,
    type        TEXT NOT NULL CHECK (type IN ('page', 'event', 'leak')),
    ts          INTEGER NOT NULL,   -- browser clock, ms since the epoch
    url         TEXT NOT NULL,
    ref         TEXT,
    title       TEXT,
    lang        TEXT,
    tz          TEXT,
    sw          INTEGER,
    sh          INTEGER,
    name        TEXT,               -- `event` type only
    attrs       TEXT,               -- JSON object
    props       TEXT,               -- JSON object, `event` type only
    hosts       TEXT,               -- JSON list, `leak` type only
    received_at INTEGER NOT NULL    -- server clock, ms since the epoch
);

CREATE INDEX IF NOT EXISTS event_by_site_and_time ON event (site, ts);
