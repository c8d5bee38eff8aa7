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
    browser     TEXT,               -- browser family from the User-Agent header
    path        TEXT,               -- the page path, query dropped except campaign parameters
    visit_id    INTEGER,            -- the visit (below) of a page view or custom event
    visitor     INTEGER             -- the uid as an integer key for counting (visits.visitor_key)
);

CREATE INDEX IF NOT EXISTS event_by_site_and_time ON event (site, ts);
-- Retention purges and "my data" look rows up by these.
CREATE INDEX IF NOT EXISTS event_by_received_at ON event (received_at);
CREATE INDEX IF NOT EXISTS event_by_uid ON event (uid);
-- The dashboard reads page views and custom events of a site over a time range; the
-- index holds what the page breakdown and the counts need, so they never touch the rows.
CREATE INDEX IF NOT EXISTS event_for_dashboard ON event (site, type, received_at, path, visitor, visit_id);

-- One row per visit: a visitor's page views and custom events until 30 minutes pass
-- without one (candor_server/collector/visits.py), with what the dashboard groups
-- visits by, taken from the first event. No IP address, no full user agent.
CREATE TABLE IF NOT EXISTS visit (
    id           INTEGER PRIMARY KEY,
    site         TEXT NOT NULL,
    uid          TEXT NOT NULL,
    visitor      INTEGER NOT NULL,  -- the uid as an integer key for counting
    started_at   INTEGER NOT NULL,  -- server clock, ms since the epoch
    ended_at     INTEGER NOT NULL,  -- the last event's
    page_views   INTEGER NOT NULL,
    events       INTEGER NOT NULL,  -- custom events
    entry_path   TEXT,
    exit_path    TEXT,
    source       TEXT NOT NULL,     -- search engine, network, referring host or "Direct / None"
    channel      TEXT NOT NULL CHECK (channel IN ('direct', 'search', 'social', 'email', 'campaign', 'other')),
    ref_terms    TEXT,
    utm_source   TEXT,
    utm_medium   TEXT,
    utm_campaign TEXT,
    utm_term     TEXT,
    utm_content  TEXT,
    browser      TEXT,
    os           TEXT,
    device       TEXT,              -- desktop, mobile, tablet or bot
    screen       TEXT,              -- Mobile, Tablet, Laptop or Desktop, from the width
    lang         TEXT,
    country      TEXT               -- ISO 3166 code from the time zone's country
);

-- Holds every column the top metrics read, so they are counted from the index alone.
CREATE INDEX IF NOT EXISTS visit_for_dashboard ON visit (site, started_at, visitor, page_views, events, ended_at);
CREATE INDEX IF NOT EXISTS visit_by_visitor ON visit (site, uid, ended_at);
CREATE INDEX IF NOT EXISTS event_by_visit ON event (visit_id);

-- Beacons refused because the visitor said no (DNT, GPC, opt-out cookie): an anonymous
-- count per UTC day, site and reason, nothing else, so each publisher sees how many of
-- their visitors chose privacy. `site` is '' when the refused body named no known site.
CREATE TABLE IF NOT EXISTS said_no_daily (
    day    TEXT NOT NULL,           -- YYYY-MM-DD, UTC
    site   TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('dnt', 'gpc', 'optout')),
    count  INTEGER NOT NULL,
    PRIMARY KEY (day, site, reason)
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

-- A site's goals, set in the dashboard: a page path pattern (`*` matches anything)
-- or a custom event name, each counted as conversions.
CREATE TABLE IF NOT EXISTS goal (
    id    INTEGER PRIMARY KEY,
    site  TEXT NOT NULL,
    kind  TEXT NOT NULL CHECK (kind IN ('page', 'event')),
    value TEXT NOT NULL,
    UNIQUE (site, kind, value)
);

-- Stats API tokens (CONTRACT §6), created in the dashboard. Only the token's SHA-256
-- is kept: a stolen database opens no API.
CREATE TABLE IF NOT EXISTS api_token (
    id         INTEGER PRIMARY KEY,
    site       TEXT NOT NULL,
    name       TEXT NOT NULL,
    digest     TEXT NOT NULL UNIQUE,
    prefix     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
