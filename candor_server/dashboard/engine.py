"""The SQLAlchemy engine the analytics read through, one per database file and
process, so each dashboard request borrows a pooled connection instead of opening one."""

from functools import cache

from flask import current_app
from sqlalchemy import create_engine, event


@cache
def _engine(path):
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _read_while_beacons_write(connection, _record):
        # The collector writes in WAL mode; a reader waits briefly rather than failing.
        connection.execute("PRAGMA busy_timeout = 2000")

    return engine


def analytics_connection():
    """A connection to the app's database; use it in a `with` block."""
    return _engine(current_app.config["DATABASE"]).connect()
