"""The dashboard's rollups: per site, slice (a day, or an hour of a day still open), dimension
and value, the visit and event counts and a visitor sketch, with the slices already summed; and
the indexes of events by page and by event name that filters, goals and funnels read.

Revision ID: 0007_rollups
Revises: 0006_visits_and_analytics
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_rollups"
down_revision = "0006_visits_and_analytics"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("event_by_page", "event", ["site", "type", "path", "received_at", "visit_id", "ts"])
    op.create_index("event_by_name", "event", ["site", "type", "name", "received_at", "visit_id", "ts"])
    op.create_table(
        "rollup",
        sa.Column("site", sa.Text, nullable=False),
        sa.Column("dimension", sa.Text, nullable=False),
        sa.Column("slice", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("visitors", sa.LargeBinary, nullable=False),
        *(sa.Column(name, sa.BigInteger, nullable=False) for name in ("visits", "bounces", "duration_ms", "page_views", "events")),
        sa.PrimaryKeyConstraint("site", "dimension", "slice", "value"),
    )
    op.create_table(
        "rolled_slice",
        sa.Column("site", sa.Text, nullable=False),
        sa.Column("slice", sa.Text, nullable=False),
        sa.Column("rolled_at", sa.BigInteger, nullable=False),
        sa.Column("stale", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("site", "slice"),
    )


def downgrade():
    op.drop_index("event_by_name", "event")
    op.drop_index("event_by_page", "event")
    op.drop_table("rolled_slice")
    op.drop_table("rollup")
