"""The stored tables the analytics read, described for SQLAlchemy Core so every
query is built from columns (never from strings) and runs on SQLite and PostgreSQL.
The schema itself is created by the storage module; these mirror its columns."""

from sqlalchemy import BigInteger, Column, Integer, MetaData, Table, Text

metadata = MetaData()

event = Table(
    "event", metadata,
    Column("id", Text, primary_key=True),
    Column("site", Text, nullable=False),
    Column("uid", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("ts", BigInteger, nullable=False),
    Column("url", Text, nullable=False),
    Column("name", Text),
    Column("props", Text),
    Column("received_at", BigInteger, nullable=False),
    Column("path", Text),
    Column("visit_id", Integer),
    Column("visitor", BigInteger),
)

visit = Table(
    "visit", metadata,
    Column("id", Integer, primary_key=True),
    Column("site", Text, nullable=False),
    Column("uid", Text, nullable=False),
    Column("visitor", BigInteger, nullable=False),
    Column("started_at", BigInteger, nullable=False),
    Column("ended_at", BigInteger, nullable=False),
    Column("page_views", Integer, nullable=False),
    Column("events", Integer, nullable=False),
    *(Column(name, Text) for name in (
        "entry_path", "exit_path", "source", "channel", "ref_terms", "utm_source", "utm_medium",
        "utm_campaign", "utm_term", "utm_content", "browser", "os", "device", "screen", "lang",
        "country",
    )),
)

goal = Table(
    "goal", metadata,
    Column("id", Integer, primary_key=True),
    Column("site", Text, nullable=False),
    Column("kind", Text, nullable=False),   # page (a path pattern) or event (a name)
    Column("value", Text, nullable=False),
)

api_token = Table(
    "api_token", metadata,
    Column("id", Integer, primary_key=True),
    Column("site", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("digest", Text, nullable=False, unique=True),  # sha256 of the token, never the token
    Column("prefix", Text, nullable=False),               # its first characters, to tell tokens apart
    Column("created_at", BigInteger, nullable=False),
)
