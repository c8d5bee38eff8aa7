"""Cookieless mode: the daily salt of the visitor hash, shared by every collector node.

Revision ID: 0004_daily_salt
Revises: 0003_refused_beacons
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_daily_salt"
down_revision = "0003_refused_beacons"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "daily_salt",
        sa.Column("day", sa.Text, primary_key=True),
        sa.Column("salt", sa.LargeBinary, nullable=False),
    )


def downgrade():
    op.drop_table("daily_salt")
