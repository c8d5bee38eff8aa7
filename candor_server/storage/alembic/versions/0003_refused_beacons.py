"""Refused beacons counted per hour, site, reason and detail, for the dashboard.

Revision ID: 0003_refused_beacons
Revises: 0002_event_ids_partitions
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_refused_beacons"
down_revision = "0002_event_ids_partitions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "refused_beacon_hourly",
        sa.Column("hour", sa.BigInteger, nullable=False),
        sa.Column("site", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("hour", "site", "reason", "detail"),
        sa.CheckConstraint("reason IN ('unknown_site', 'origin', 'schema', 'size', 'rate_limit')", name="refusal_reason"),
    )


def downgrade():
    op.drop_table("refused_beacon_hourly")
