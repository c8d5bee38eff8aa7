"""Visits and the dashboard's analytics: each page view and custom event keeps its page
path, visit and an integer visitor key; visits are a table of their own; goals and stats
API tokens are kept per site; said-no counts are per site (the old daily totals, which had
no site, carry over under the site '').

Revision ID: 0006_visits_and_analytics
Revises: 0005_scrub_findings_sessions
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_visits_and_analytics"
down_revision = "0005_scrub_findings_sessions"
branch_labels = None
depends_on = None

VISIT_FACTS = (
    "entry_path",
    "exit_path",
    "source",
    "channel",
    "ref_terms",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "browser",
    "os",
    "device",
    "screen",
    "lang",
    "country",
)


def upgrade():
    with op.batch_alter_table("event") as event:
        event.add_column(sa.Column("path", sa.Text))
        event.add_column(sa.Column("visit_id", sa.BigInteger))
        event.add_column(sa.Column("visitor", sa.BigInteger))
    op.create_index("event_for_dashboard", "event", ["site", "type", "received_at", "path", "visitor", "visit_id"])
    op.create_index("event_by_visit", "event", ["visit_id"])
    op.create_table(
        "visit",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("site", sa.Text, nullable=False),
        sa.Column("uid", sa.Text, nullable=False),
        sa.Column("visitor", sa.BigInteger, nullable=False),
        sa.Column("started_at", sa.BigInteger, nullable=False),
        sa.Column("ended_at", sa.BigInteger, nullable=False),
        sa.Column("page_views", sa.Integer, nullable=False),
        sa.Column("events", sa.Integer, nullable=False),
        *(sa.Column(fact, sa.Text) for fact in VISIT_FACTS),
    )
    op.create_index("visit_for_dashboard", "visit", ["site", "started_at", "visitor", "page_views", "events", "ended_at"])
    op.create_index("visit_by_visitor", "visit", ["site", "uid", "ended_at"])
    op.create_index("visit_by_uid", "visit", ["uid"])
    op.create_table(
        "goal",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("site", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.CheckConstraint("kind IN ('page', 'event')", name="goal_kind"),
        sa.UniqueConstraint("site", "kind", "value", name="goal_once"),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("site", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("digest", sa.Text, nullable=False, unique=True),
        sa.Column("prefix", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    said_no = op.create_table(
        "said_no_daily",
        sa.Column("day", sa.Text, nullable=False),
        sa.Column("site", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("day", "site", "reason"),
        sa.CheckConstraint("reason IN ('dnt', 'gpc', 'optout')", name="said_no_reason"),
    )
    old = sa.table("optout_daily", sa.column("day"), sa.column("reason"), sa.column("count"))
    op.execute(
        said_no.insert().from_select(["day", "site", "reason", "count"], sa.select(old.c.day, sa.literal(""), old.c.reason, old.c["count"]))
    )
    op.drop_table("optout_daily")


def downgrade():
    op.create_table(
        "optout_daily",
        sa.Column("day", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("day", "reason"),
        sa.CheckConstraint("reason IN ('dnt', 'gpc', 'optout')", name="optout_reason"),
    )
    said_no = sa.table("said_no_daily", sa.column("day"), sa.column("reason"), sa.column("count"))
    old = sa.table("optout_daily", sa.column("day"), sa.column("reason"), sa.column("count"))
    op.execute(
        old.insert().from_select(
            ["day", "reason", "count"],
            sa.select(said_no.c.day, said_no.c.reason, sa.func.sum(said_no.c["count"])).group_by(said_no.c.day, said_no.c.reason),
        )
    )
    for table in ("said_no_daily", "api_token", "goal", "visit"):
        op.drop_table(table)
    op.drop_index("event_by_visit", "event")
    op.drop_index("event_for_dashboard", "event")
    with op.batch_alter_table("event") as event:
        for column in ("visitor", "visit_id", "path"):
            event.drop_column(column)
