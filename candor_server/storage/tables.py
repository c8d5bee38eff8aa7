"""Candor's tables as SQLAlchemy Core objects: the one description of the schema that
queries are written against and that Alembic compares migrations with. Times are
milliseconds since the epoch in BIGINT columns on every dialect."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# JSON columns hold no value as SQL NULL, never as the JSON text "null".
JSON_VALUE = JSON(none_as_null=True)

EVENT_TYPES = ("page", "event", "leak")

# One row per event the collector accepted. On PostgreSQL it is partitioned by UTC day of
# receipt (`partitions`); its ids are unique through `event_id` below.
event = Table(
    "event",
    metadata,
    Column("id", Text, nullable=False),
    Column("site", Text, nullable=False),
    Column("uid", Text, nullable=False),
    Column("type", Text, CheckConstraint(f"type IN {EVENT_TYPES}", name="event_type"), nullable=False),
    Column("ts", BigInteger, nullable=False),  # browser clock
    Column("url", Text, nullable=False),
    Column("ref", Text),
    Column("title", Text),
    Column("lang", Text),
    Column("tz", Text),
    Column("sw", Integer),
    Column("sh", Integer),
    Column("name", Text),  # `event` type only
    Column("attrs", JSON_VALUE),
    Column("props", JSON_VALUE),  # `event` type only
    Column("hosts", JSON_VALUE),  # `leak` type only: [{host, kind, n}]
    Column("received_at", BigInteger, nullable=False),  # server clock
    # Session data derived at the collector (never from the IP address, which is not kept):
    Column("ref_type", Text),  # direct, internal, search, social or other
    Column("ref_source", Text),  # the search engine or network, or the referring host
    Column("ref_terms", Text),  # search terms, when the engine still sends them
    Column("browser", Text),  # browser family from the User-Agent header
    Column("path", Text),  # the page path, query dropped except campaign parameters
    Column("visit_id", BigInteger),  # the visit (below) of a page view or custom event
    Column("visitor", BigInteger),  # the uid as an integer key for counting (visits.visitor_key)
    Index("event_by_site_and_time", "site", "ts"),
    # The dashboard reads page views and custom events of a site over a time range; the index
    # holds what the page breakdown and the counts need, so they never touch the rows.
    Index("event_for_dashboard", "site", "type", "received_at", "path", "visitor", "visit_id"),
    Index("event_by_visit", "visit_id"),
    # A page or an event name filtered on, a goal or a funnel step: a narrow range of one page's
    # (one name's) events in time, holding what funnels and visit lookups read.
    Index("event_by_page", "site", "type", "path", "received_at", "visit_id", "ts"),
    Index("event_by_name", "site", "type", "name", "received_at", "visit_id", "ts"),
    # Retention purges and "my data" look rows up by these.
    Index("event_by_received_at", "received_at"),
    Index("event_by_uid", "uid"),
    postgresql_partition_by="RANGE (received_at)",
)

# Every event id the collector stored, claimed before its event is inserted, so a batch the
# browser sends twice (a retried beacon, maybe to another node) is stored once. Kept as long
# as the events (the retention purge), and not on a visitor's deletion: an id says nothing.
event_id = Table(
    "event_id",
    metadata,
    Column("id", Text, primary_key=True),
    Column("received_at", BigInteger, nullable=False),
    Index("event_id_by_received_at", "received_at"),
)

# Beacons refused because the visitor said no (DNT, GPC, opt-out cookie): an anonymous count
# per UTC day, site and reason, nothing else, so each publisher sees how many of their visitors
# chose privacy. `site` is '' when the refused body named no known site.
said_no_daily = Table(
    "said_no_daily",
    metadata,
    Column("day", Text, nullable=False),  # YYYY-MM-DD, UTC
    Column("site", Text, nullable=False),
    Column("reason", Text, CheckConstraint("reason IN ('dnt', 'gpc', 'optout')", name="said_no_reason"), nullable=False),
    Column("count", BigInteger, nullable=False),
    PrimaryKeyConstraint("day", "site", "reason"),
)

# One row per visit: a visitor's page views and custom events until 30 minutes pass without
# one (collector/visits.py), with what the dashboard groups visits by, taken from the first
# event. No IP address, no full user agent.
ROW_ID = BigInteger().with_variant(Integer, "sqlite")  # SQLite's rowid alias must be INTEGER
VISIT_FACTS = (
    "entry_path",
    "exit_path",
    "source",  # search engine, network, referring host or "Direct / None"
    "channel",  # direct, search, social, email, campaign or other
    "ref_terms",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "browser",
    "os",
    "device",  # desktop, mobile, tablet or bot, from the User-Agent
    "screen",  # Mobile, Tablet, Laptop or Desktop, from the width
    "lang",
    "country",  # ISO 3166 code of the time zone's country
)
"""What a visit is grouped by, read from its first page view or custom event (exit_path from its last)."""
visit = Table(
    "visit",
    metadata,
    Column("id", ROW_ID, primary_key=True, autoincrement=True),
    Column("site", Text, nullable=False),
    Column("uid", Text, nullable=False),
    Column("visitor", BigInteger, nullable=False),  # the uid as an integer key for counting
    Column("started_at", BigInteger, nullable=False),
    Column("ended_at", BigInteger, nullable=False),  # the last event's
    Column("page_views", Integer, nullable=False),
    Column("events", Integer, nullable=False),  # custom events
    *(Column(fact, Text) for fact in VISIT_FACTS),
    # Holds every column the top metrics read, so they are counted from the index alone.
    Index("visit_for_dashboard", "site", "started_at", "visitor", "page_views", "events", "ended_at"),
    Index("visit_by_visitor", "site", "uid", "ended_at"),
    Index("visit_by_uid", "uid"),
)

# A site's goals, set in the dashboard: a page path pattern (`*` matches anything) or a custom
# event name, each counted as conversions.
goal = Table(
    "goal",
    metadata,
    Column("id", ROW_ID, primary_key=True, autoincrement=True),
    Column("site", Text, nullable=False),
    Column("kind", Text, CheckConstraint("kind IN ('page', 'event')", name="goal_kind"), nullable=False),
    Column("value", Text, nullable=False),
    UniqueConstraint("site", "kind", "value", name="goal_once"),
)

# Stats API tokens (CONTRACT.md §6), created in the dashboard. Only the token's SHA-256 is kept:
# a stolen database opens no API.
api_token = Table(
    "api_token",
    metadata,
    Column("id", ROW_ID, primary_key=True, autoincrement=True),
    Column("site", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("digest", Text, nullable=False, unique=True),
    Column("prefix", Text, nullable=False),  # its first characters, to tell tokens apart
    Column("created_at", BigInteger, nullable=False),
)

# Domains a publisher marked as invited from the dashboard's leakage report: they join the
# site's recommended Content-Security-Policy and leave the list of leaks.
invited_domain = Table(
    "invited_domain",
    metadata,
    Column("site", Text, nullable=False),
    Column("domain", Text, nullable=False),  # lowercase, punycode, as browsers give host names
    Column("invited_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("site", "domain"),
)

# One row per Content-Security-Policy violation a browser reported. Host names and paths only:
# no query string, no visitor id, no IP address, no user agent.
csp_violation = Table(
    "csp_violation",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("site", Text, nullable=False),
    Column("document", Text, nullable=False),  # the page: scheme, host and path
    Column("blocked", Text, nullable=False),  # the blocked host, or a keyword: inline, eval, data...
    Column("directive", Text, nullable=False),  # the effective directive, e.g. img-src
    Column("disposition", Text, CheckConstraint("disposition IN ('enforce', 'report')", name="csp_disposition"), nullable=False),
    Column("received_at", BigInteger, nullable=False),
    Index("csp_violation_by_site", "site", "received_at"),
)

# Personal data the tag or the collector scrubbed, counted per UTC day, site, page path, field
# and kind (email, phone, card, ssn, iban, parameter), never the data itself: the dashboard
# tells the publisher which pages pass it ("e-mail addresses in URLs of /checkout").
scrub_finding_daily = Table(
    "scrub_finding_daily",
    metadata,
    Column("day", Text, nullable=False),  # YYYY-MM-DD, UTC
    Column("site", Text, nullable=False),
    Column("path", Text, nullable=False),  # the scrubbed page URL's path
    Column("field", Text, nullable=False),  # url, ref, title, name, attrs or props
    Column("kind", Text, nullable=False),
    Column("count", BigInteger, nullable=False),
    PrimaryKeyConstraint("day", "site", "path", "field", "kind"),
)

# Dashboard log-ins, so that logging out ends a session on the server and a session ends a fixed
# time after its log-in. The cookie holds a random id; only its SHA-256 is stored here.
dashboard_session = Table(
    "dashboard_session",
    metadata,
    Column("id_hash", Text, primary_key=True),
    Column("created_at", BigInteger, nullable=False),  # server clock, ms since the epoch
)

# Beacons the collector refused (CONTRACT.md §4), per hour since the epoch, site and reason, so a
# publisher sees why data does not arrive. `detail` is the origin seen (reason `origin`) or the
# site id a beacon named (`unknown_site`, filed under site ''), else ''; details a client chose
# are capped per hour and reason (storage.db), so a flood cannot grow the table without bound.
refused_beacon_hourly = Table(
    "refused_beacon_hourly",
    metadata,
    Column("hour", BigInteger, nullable=False),
    Column("site", Text, nullable=False),
    Column(
        "reason",
        Text,
        CheckConstraint("reason IN ('unknown_site', 'origin', 'schema', 'size', 'rate_limit')", name="refusal_reason"),
        nullable=False,
    ),
    Column("detail", Text, nullable=False),
    Column("count", BigInteger, nullable=False),
    PrimaryKeyConstraint("hour", "site", "reason", "detail"),
)

# Cookieless mode: the secret salt of each UTC day, shared by every collector node. A day's salt
# is deleted once a later day's salt exists (and by the daily purge), and with it any way to
# recompute, or link, that day's visitor hashes.
daily_salt = Table(
    "daily_salt",
    metadata,
    Column("day", Text, primary_key=True),  # YYYY-MM-DD, UTC
    Column("salt", LargeBinary, nullable=False),
)

# The dashboard's rollups (dashboard/rollups.py): a slice of a site's time (storage/rollup_slices.py:
# a closed UTC day, or a closed hour of a day still open) summed once per dimension and value, so a
# range is read from a few rows a day instead of every event. `dimension` is '' for the whole site,
# else a property (`visit:source`, `event:page`, `event:name`...). Visit counts belong to the slice a
# visit started in, event counts to the slice they were received in. `visitors` is a visitor sketch
# (dashboard/visitor_sketches.py), which merges across slices; `page_views` and `events` are the
# visits' own counts for visit properties and counts of received events otherwise.
rollup = Table(
    "rollup",
    metadata,
    Column("site", Text, nullable=False),
    Column("dimension", Text, nullable=False),
    Column("slice", Text, nullable=False),  # YYYY-MM-DD or YYYY-MM-DDTHH, UTC
    Column("value", Text, nullable=False),
    Column("visitors", LargeBinary, nullable=False),
    Column("visits", BigInteger, nullable=False),
    Column("bounces", BigInteger, nullable=False),
    Column("duration_ms", BigInteger, nullable=False),
    Column("page_views", BigInteger, nullable=False),
    Column("events", BigInteger, nullable=False),
    PrimaryKeyConstraint("site", "dimension", "slice", "value"),
)

# The slices whose rollup is made. A slice is `stale` when a visit that started in it went on
# after it was summed: it is summed again when next read, at most every few minutes. Deleting a
# slice's row (a visitor deleted their data) has it summed again when next read.
rolled_slice = Table(
    "rolled_slice",
    metadata,
    Column("site", Text, nullable=False),
    Column("slice", Text, nullable=False),
    Column("rolled_at", BigInteger, nullable=False),  # server clock, ms since the epoch
    Column("stale", Boolean, nullable=False),
    Column("visit_columns", LargeBinary),  # the slice's visits and events (dashboard/visit_columns.py)
    Column("columns_digest", Text),  # names those columns' content, for the dashboard's cache of them
    PrimaryKeyConstraint("site", "slice"),
)
