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
    received_at INTEGER NOT NULL,   -- server clock, ms since the epoch
    -- Session data derived at the collector (never from the IP address, which is not kept):
    ref_type    TEXT,               -- direct, internal, search, social or other
    ref_source  TEXT,               -- the search engine or network, or the referring host
    ref_terms   TEXT,               -- search terms, when the engine still sends them
    browser     TEXT                -- browser family from the User-Agent header
);

CREATE INDEX IF NOT EXISTS event_by_site_and_time ON event (site, ts);
-- Retention purges and "my data" look rows up by these.
CREATE INDEX IF NOT EXISTS event_by_received_at ON event (received_at);
CREATE INDEX IF NOT EXISTS event_by_uid ON event (uid);

-- Beacons refused because the visitor said no (DNT, GPC, opt-out cookie): an anonymous
-- count per UTC day and reason, nothing else, so a publisher sees how many chose privacy.
CREATE TABLE IF NOT EXISTS optout_daily (
    day    TEXT NOT NULL,           -- YYYY-MM-DD, UTC
    reason TEXT NOT NULL CHECK (reason IN ('dnt', 'gpc', 'optout')),
    count  INTEGER NOT NULL,
    PRIMARY KEY (day, reason)
);

-- Data leakage. Leak reports themselves are `leak` events above; they are
-- aggregated by registrable domain when read (the dashboard's leak_report module).

-- Domains a publisher marked as invited from the dashboard's leakage report: they join
-- the site's recommended Content-Security-Policy and leave the list of leaks.
CREATE TABLE IF NOT EXISTS invited_domain (
    site       TEXT NOT NULL,
    domain     TEXT NOT NULL,       -- lowercase, punycode, as browsers give host names
    invited_at INTEGER NOT NULL,    -- server clock, ms since the epoch
    PRIMARY KEY (site, domain)
);

-- One row per Content-Security-Policy violation a browser reported. Host names and
-- paths only: no query string, no visitor id, no IP address, no user agent.
CREATE TABLE IF NOT EXISTS csp_violation (
    id          INTEGER PRIMARY KEY,
    site        TEXT NOT NULL,
    document    TEXT NOT NULL,      -- the page: scheme, host and path
    blocked     TEXT NOT NULL,      -- the blocked host, or a keyword: inline, eval, data...
    directive   TEXT NOT NULL,      -- the effective directive, e.g. img-src
    disposition TEXT NOT NULL CHECK (disposition IN ('enforce', 'report')),
    received_at INTEGER NOT NULL    -- server clock, ms since the epoch
);

CREATE INDEX IF NOT EXISTS csp_violation_by_site ON csp_violation (site, received_at);
