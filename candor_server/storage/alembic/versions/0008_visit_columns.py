"""Each summed slice keeps its visits and events as columns, which filtered dashboard views
read (dashboard/visit_columns.py). Slices summed before hold none, so their rollups are
dropped, to be summed again with columns when next read.

Revision ID: 0008_visit_columns
Revises: 0007_rollups
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_visit_columns"
down_revision = "0007_rollups"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM rollup")
    op.execute("DELETE FROM rolled_slice")
    op.add_column("rolled_slice", sa.Column("visit_columns", sa.LargeBinary))
    op.add_column("rolled_slice", sa.Column("columns_digest", sa.Text))


def downgrade():
    with op.batch_alter_table("rolled_slice") as batch:
        batch.drop_column("columns_digest")
        batch.drop_column("visit_columns")
