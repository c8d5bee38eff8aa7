"""One SQLAlchemy engine, with its connection pool, per app: the database named by
`DATABASE_URL` (SQLite or PostgreSQL), or the SQLite file in `DATA_DIR` when none is named.
Every query in `db` borrows a pooled connection for one statement or one transaction."""

import json
import os
import weakref
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from ..settings import SettingsError

DATABASE_FILENAME = "candor.sqlite3"
POSTGRESQL_DRIVER = "postgresql+psycopg"
# Per process: a gunicorn worker's threads share it; more waiting threads than this queue.
POSTGRESQL_POOL_SIZE = 10
POSTGRESQL_POOL_OVERFLOW = 10
URL_SHAPES = "sqlite:///path/to/file.sqlite3 or postgresql://user:password@host/database"


def database_url(config):
    """The checked URL of the app's database. `postgresql://` means psycopg 3; an
    in-memory SQLite database is refused, since every pooled connection would get its own."""
    text = config.get("DATABASE_URL") or f"sqlite:///{Path(config['DATA_DIR']) / DATABASE_FILENAME}"
    try:
        url = make_url(text)
    except ArgumentError:
        raise SettingsError(f"CANDOR_DATABASE_URL must look like {URL_SHAPES}, got {text!r}") from None
    if url.drivername in ("postgresql", "postgres", POSTGRESQL_DRIVER):
        return url.set(drivername=POSTGRESQL_DRIVER)
    if url.drivername == "sqlite" and url.database not in (None, "", ":memory:"):
        return url
    shown = url.render_as_string(hide_password=True)
    raise SettingsError(f"CANDOR_DATABASE_URL must look like {URL_SHAPES}, got {shown!r}")


def create_app_engine(url):
    """An engine with a pool sized for a threaded worker. JSON is written as UTF-8 text
    (not \\u escapes), as the tag sent it."""
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, json_serializer=_json_text)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = _postgresql_engine(url)
    _forget_connections_after_fork(engine)
    return engine


def _forget_connections_after_fork(engine):
    """A forked worker must never use its parent's open connections (`candor-server` builds the
    app, migrations and purge included, in gunicorn's master): the child's pool starts empty,
    leaving the parent's connections open for the parent."""
    reference = weakref.ref(engine)

    def after_fork_in_child():
        forked = reference()
        if forked is not None:
            forked.dispose(close=False)

    os.register_at_fork(after_in_child=after_fork_in_child)


def _postgresql_engine(url):
    return create_engine(
        url,
        json_serializer=_json_text,
        pool_size=POSTGRESQL_POOL_SIZE,
        max_overflow=POSTGRESQL_POOL_OVERFLOW,
        # No ping before each use: it cost 0.23 ms of the node's CPU per beacon (of 1.67, measured).
        # After a database restart one request per process fails, and that error makes the pool
        # replace every connection it holds.
        pool_pre_ping=False,
    )


def _sqlite_pragmas(dbapi_connection, _record):
    # Write-ahead log: readers never block the beacon writers, and a commit appends to the
    # log instead of syncing the database file (durable up to the last checkpoint).
    dbapi_connection.execute("PRAGMA journal_mode=WAL")
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def _json_text(value):
    return json.dumps(value, ensure_ascii=False)
