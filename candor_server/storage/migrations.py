"""Schema changes are Alembic revisions (`alembic/versions/`), written once for both
dialects and applied by `upgrade`: at every start and by `flask init-db`. Nodes that
start together take turns on a database lock, so each revision runs exactly once."""

from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

SCRIPT_LOCATION = Path(__file__).resolve().parent / "alembic"
# pg_advisory_xact_lock's key: any constant no other application on the database uses.
POSTGRESQL_LOCK_KEY = 0x63616E646F72  # "candor"


def alembic_config(connection=None):
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


def upgrade(engine):
    """Apply every revision the database lacks, in one transaction; returns the revision now current."""
    with engine.connect() as connection:
        with _exclusive(connection):
            command.upgrade(alembic_config(connection), "head")
            revision = current_revision(connection)
        return revision


def head_revision():
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection):
    return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _exclusive(connection):
    """Hold the database's migration lock for one transaction, committed on success."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRESQL_LOCK_KEY})
    else:
        # SQLite: an exclusive transaction; another starter waits (the driver's busy timeout).
        connection.exec_driver_sql("BEGIN EXCLUSIVE")
    try:
        yield
    except BaseException:
        connection.rollback()
        raise
    connection.commit()
