"""The visit columns of a summed slice hold the props of its custom events too, which filters
and breakdowns on props read (dashboard/visit_columns.py). Slices summed before hold none, so
they and their rollups are dropped, to be summed again when next read.

Revision ID: 0009_prop_columns
Revises: 0008_visit_columns
"""

from alembic import op

revision = "0009_prop_columns"
down_revision = "0008_visit_columns"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM rollup")
    op.execute("DELETE FROM rolled_slice")


def downgrade():
    """Columns with props read as columns without them: nothing to undo."""
