"""Counts of the personal data scrubbed from beacons, per day, site, page path, field and kind;
dashboard sessions kept on the server.

Revision ID: 0004_scrub_findings_sessions
Revises: 0003_refused_beacons
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_scrub_findings_sessions"
down_revision = "0003_refused_beacons"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scrub_finding_daily",
        sa.Column("day", sa.Text, nullable=False),
        sa.Column("site", sa.Text, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("day", "site", "path", "field", "kind"),
    )
    op.create_table(
        "dashboard_session",
        sa.Column("id_hash", sa.Text, primary_key=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )


def downgrade():
    op.drop_table("dashboard_session")
    op.drop_table("scrub_finding_daily")
