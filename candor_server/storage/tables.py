"""Candor's tables as SQLAlchemy Core objects: the one description of the schema that
queries are written against and that Alembic compares migrations with. Times are
milliseconds since the epoch in BIGINT columns on every dialect."""

from sqlalchemy import JSON, BigInteger, CheckConstraint, Column, Index, Integer, LargeBinary, MetaData, PrimaryKeyConstraint, Table, Text

metadata = MetaData()

# JSON columns hold no value as SQL NULL, never as the JSON text "null".
JSON_VALUE = JSON(none_as_null=True)

# One row per event the collector accepted. On PostgreSQL it is partitioned by UTC day of
# receipt (`partitions`); its ids are unique through `event_id` below.
event = Table(
    "event",
    metadata,
    Column("id", Text, nullable=False),
    Column("site", Text, nullable=False),
    Column("uid", Text, nullable=False),
    Column("type", Text, CheckConstraint("type IN ('page', 'event', 'leak')", name="event_type"), nullable=False),
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
    Index("event_by_site_and_time", "site", "ts"),
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
# per UTC day and reason, nothing else, so a publisher sees how many chose privacy.
optout_daily = Table(
    "optout_daily",
    metadata,
    Column("day", Text, nullable=False),  # YYYY-MM-DD, UTC
    Column("reason", Text, CheckConstraint("reason IN ('dnt', 'gpc', 'optout')", name="optout_reason"),
           nullable=False),
    Column("count", BigInteger, nullable=False),
    PrimaryKeyConstraint("day", "reason"),
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
    Column("disposition", Text, CheckConstraint("disposition IN ('enforce', 'report')", name="csp_disposition"),
           nullable=False),
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

# Beacons the collector refused (CONTRACT §4), per hour since the epoch, site and reason, so a
# publisher sees why data does not arrive. `detail` is the origin seen (reason `origin`) or the
# site id a beacon named (`unknown_site`, filed under site ''), else ''; details a client chose
# are capped per hour and reason (storage.db), so a flood cannot grow the table without bound.
refused_beacon_hourly = Table(
    "refused_beacon_hourly",
    metadata,
    Column("hour", BigInteger, nullable=False),
    Column("site", Text, nullable=False),
    Column("reason", Text, CheckConstraint("reason IN ('unknown_site', 'origin', 'schema', 'size', 'rate_limit')",
                                           name="refusal_reason"), nullable=False),
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
