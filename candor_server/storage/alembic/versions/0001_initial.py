"""The schema as the collector, the choice pages and the dashboard first used it.

A database made before migrations existed (tables created by the old `schema.sql`, no
`alembic_version`) is adopted: only missing tables and indexes are created, and an event
table from before the collector derived session data gains those columns.

Revision ID: 0001_initial
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

SESSION_COLUMNS = ("ref_type", "ref_source", "ref_terms", "browser")


def upgrade():
    inspector = sa.inspect(op.get_bind())
    present = set(inspector.get_table_names())
    if "event" not in present:
        op.create_table(
            "event",
            sa.Column("id", sa.Text, primary_key=True),
            sa.Column("site", sa.Text, nullable=False),
            sa.Column("uid", sa.Text, nullable=False),
            sa.Column("type", sa.Text, nullable=False),
            sa.Column("ts", sa.BigInteger, nullable=False),
            sa.Column("url", sa.Text, nullable=False),
            sa.Column("ref", sa.Text),
            sa.Column("title", sa.Text),
            sa.Column("lang", sa.Text),
            sa.Column("tz", sa.Text),
            sa.Column("sw", sa.Integer),
            sa.Column("sh", sa.Integer),
            sa.Column("name", sa.Text),
            sa.Column("attrs", sa.JSON),
            sa.Column("props", sa.JSON),
            sa.Column("hosts", sa.JSON),
            sa.Column("received_at", sa.BigInteger, nullable=False),
            *(sa.Column(column, sa.Text) for column in SESSION_COLUMNS),
            sa.CheckConstraint("type IN ('page', 'event', 'leak')", name="event_type"),
        )
    else:
        columns = {column["name"] for column in inspector.get_columns("event")}
        for column in SESSION_COLUMNS:
            if column not in columns:
                op.add_column("event", sa.Column(column, sa.Text))
    if "optout_daily" not in present:
        op.create_table(
            "optout_daily",
            sa.Column("day", sa.Text, nullable=False),
            sa.Column("reason", sa.Text, nullable=False),
            sa.Column("count", sa.BigInteger, nullable=False),
            sa.PrimaryKeyConstraint("day", "reason"),
            sa.CheckConstraint("reason IN ('dnt', 'gpc', 'optout')", name="optout_reason"),
        )
    if "invited_domain" not in present:
        op.create_table(
            "invited_domain",
            sa.Column("site", sa.Text, nullable=False),
            sa.Column("domain", sa.Text, nullable=False),
            sa.Column("invited_at", sa.BigInteger, nullable=False),
            sa.PrimaryKeyConstraint("site", "domain"),
        )
    if "csp_violation" not in present:
        op.create_table(
            "csp_violation",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("site", sa.Text, nullable=False),
            sa.Column("document", sa.Text, nullable=False),
            sa.Column("blocked", sa.Text, nullable=False),
            sa.Column("directive", sa.Text, nullable=False),
            sa.Column("disposition", sa.Text, nullable=False),
            sa.Column("received_at", sa.BigInteger, nullable=False),
            sa.CheckConstraint("disposition IN ('enforce', 'report')", name="csp_disposition"),
        )
    indexes = {
        "event_by_site_and_time": ("event", ["site", "ts"]),
        "event_by_received_at": ("event", ["received_at"]),
        "event_by_uid": ("event", ["uid"]),
        "csp_violation_by_site": ("csp_violation", ["site", "received_at"]),
    }
    for name, (table, index_columns) in indexes.items():
        if name not in {index["name"] for index in inspector.get_indexes(table)}:
            op.create_index(name, table, index_columns)


def downgrade():
    for table in ("csp_violation", "invited_domain", "optout_daily", "event"):
        op.drop_table(table)
