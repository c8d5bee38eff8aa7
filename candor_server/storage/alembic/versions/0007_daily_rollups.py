"""The dashboard's daily rollups: per site, day, dimension and value, the visit and event
counts and a visitor sketch, with the days already rolled.

Revision ID: 0007_daily_rollups
Revises: 0006_visits_and_analytics
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_daily_rollups"
down_revision = "0006_visits_and_analytics"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "daily_rollup",
        sa.Column("site", sa.Text, nullable=False),
        sa.Column("dimension", sa.Text, nullable=False),
        sa.Column("day", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("visitors", sa.LargeBinary, nullable=False),
        *(sa.Column(name, sa.BigInteger, nullable=False) for name in ("visits", "bounces", "duration_ms", "page_views", "events")),
        sa.PrimaryKeyConstraint("site", "dimension", "day", "value"),
    )
    op.create_table(
        "rolled_day",
        sa.Column("site", sa.Text, nullable=False),
        sa.Column("day", sa.Text, nullable=False),
        sa.Column("rolled_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("site", "day"),
    )


def downgrade():
    op.drop_table("rolled_day")
    op.drop_table("daily_rollup")
