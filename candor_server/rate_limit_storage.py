"""Rate-limit counters every worker process of one server shares: a small SQLite file in the
data directory, registered with `limits` as the `candor-sqlite://` storage. flask-limiter's
`memory://` keeps counters per process, so gunicorn with two workers let twice the limit
through; Redis (`CANDOR_RATE_LIMIT_STORAGE=redis://…`) is for several servers.

Each counter is a fixed window: one row per key with its count and the moment it expires.
The file holds client addresses only as keys of windows that are at most a few minutes old;
expired rows are deleted as new ones are written."""

import sqlite3
import time
from urllib.parse import urlsplit

from limits.storage import Storage

FILENAME = "rate-limits.sqlite3"
BUSY_TIMEOUT_SECONDS = 5
SCHEMA = "CREATE TABLE IF NOT EXISTS counter (key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires_at REAL NOT NULL)"
INCREMENT = (
    "INSERT INTO counter (key, value, expires_at) VALUES (:key, :amount, :now + :expiry)"
    " ON CONFLICT (key) DO UPDATE SET"
    " value = CASE WHEN expires_at <= :now THEN :amount ELSE value + :amount END,"
    " expires_at = CASE WHEN expires_at <= :now THEN :now + :expiry ELSE expires_at END"
    " RETURNING value"
)


def storage_uri(data_dir):
    return f"candor-sqlite://{data_dir}/{FILENAME}"


class SQLiteStorage(Storage):
    """limits' storage interface (fixed window) on one SQLite file; a connection per call, so
    threads, greenlets and forked workers never share one."""

    STORAGE_SCHEME = ["candor-sqlite"]

    def __init__(self, uri, wrap_exceptions=False, **options):
        self.path = urlsplit(uri).path
        with self._connection() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(SCHEMA)
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _connection(self):
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        connection.execute("PRAGMA synchronous=NORMAL")
        return _Closing(connection)

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def incr(self, key, expiry, amount=1):
        now = time.time()
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("DELETE FROM counter WHERE expires_at <= ? AND key != ?", (now, key))
            (value,) = connection.execute(INCREMENT, {"key": key, "amount": amount, "now": now,
                                                      "expiry": expiry}).fetchone()
            connection.execute("COMMIT")
        return value

    def get(self, key):
        with self._connection() as connection:
            row = connection.execute("SELECT value FROM counter WHERE key = ? AND expires_at > ?",
                                     (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key):
        with self._connection() as connection:
            row = connection.execute("SELECT expires_at FROM counter WHERE key = ?", (key,)).fetchone()
        return row[0] if row else time.time()

    def check(self):
        try:
            with self._connection() as connection:
                connection.execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self):
        with self._connection() as connection:
            return connection.execute("DELETE FROM counter").rowcount

    def clear(self, key):
        with self._connection() as connection:
            connection.execute("DELETE FROM counter WHERE key = ?", (key,))


class _Closing:
    """`with` that closes the connection (sqlite3's own `with` only commits)."""

    def __init__(self, connection):
        self.connection = connection

    def __enter__(self):
        return self.connection

    def __exit__(self, *exc_info):
        self.connection.close()
