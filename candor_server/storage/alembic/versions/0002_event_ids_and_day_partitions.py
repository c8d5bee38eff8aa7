"""Event ids claimed in a table of their own, and on PostgreSQL the event table partitioned
by UTC day of receipt.

A partitioned table can only hold a unique key that includes its partition column, so "an
event id is stored once" moves to `event_id` (id, received_at), which both dialects use
alike: the collector claims ids there and stores only the events whose ids it won. On SQLite
the event table stays as it is.

Revision ID: 0002_event_ids_partitions
Revises: 0001_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_event_ids_partitions"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

DAY_MS = 86_400_000
EVENT_INDEXES = {
    "event_by_site_and_time": ["site", "ts"],
    "event_by_received_at": ["received_at"],
    "event_by_uid": ["uid"],
}
EVENT_COLUMNS = (
    "id TEXT NOT NULL, site TEXT NOT NULL, uid TEXT NOT NULL,"
    " type TEXT NOT NULL CONSTRAINT event_type CHECK (type IN ('page', 'event', 'leak')),"
    " ts BIGINT NOT NULL, url TEXT NOT NULL, ref TEXT, title TEXT, lang TEXT, tz TEXT, sw INTEGER, sh INTEGER,"
    " name TEXT, attrs JSON, props JSON, hosts JSON, received_at BIGINT NOT NULL,"
    " ref_type TEXT, ref_source TEXT, ref_terms TEXT, browser TEXT"
)


def upgrade():
    op.create_table(
        "event_id",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("received_at", sa.BigInteger, nullable=False),
    )
    op.create_index("event_id_by_received_at", "event_id", ["received_at"])
    op.execute("INSERT INTO event_id (id, received_at) SELECT id, received_at FROM event")
    if op.get_bind().dialect.name == "postgresql":
        _partition_events_by_day()


def _partition_events_by_day():
    """Rebuild `event` as a partitioned table, with a partition per day the old rows span."""
    op.execute("ALTER TABLE event RENAME TO event_unpartitioned")
    for name in EVENT_INDEXES:
        op.drop_index(name, table_name="event_unpartitioned")
    op.execute(f"CREATE TABLE event ({EVENT_COLUMNS}) PARTITION BY RANGE (received_at)")
    op.execute("CREATE TABLE event_default PARTITION OF event DEFAULT")
    for name, columns in EVENT_INDEXES.items():
        op.create_index(name, "event", columns)
    bind = op.get_bind()
    first, last = bind.execute(sa.text("SELECT MIN(received_at), MAX(received_at) FROM event_unpartitioned")).one()
    if first is not None:
        for start in range(first - first % DAY_MS, last + 1, DAY_MS):
            day = bind.execute(sa.text("SELECT to_char(to_timestamp(:s / 1000) AT TIME ZONE 'UTC', 'YYYYMMDD')"), {"s": start}).scalar()
            op.execute(f"CREATE TABLE event_{day} PARTITION OF event FOR VALUES FROM ({start}) TO ({start + DAY_MS})")
    op.execute("INSERT INTO event SELECT * FROM event_unpartitioned")
    op.drop_table("event_unpartitioned")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE event RENAME TO event_partitioned")
        for name in EVENT_INDEXES:
            op.execute(f"DROP INDEX {name}")
        op.execute(f"CREATE TABLE event ({EVENT_COLUMNS}, PRIMARY KEY (id))")
        op.execute("INSERT INTO event SELECT * FROM event_partitioned")
        op.execute("DROP TABLE event_partitioned")
        for name, columns in EVENT_INDEXES.items():
            op.create_index(name, "event", columns)
    op.drop_table("event_id")
