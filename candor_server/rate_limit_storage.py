"""Rate-limit counters every worker process of one server shares: a small SQLite file in the
data directory, registered with `limits` as the `candor-sqlite://` storage. flask-limiter's
`memory://` keeps counters per process, so gunicorn with two workers let twice the limit
through; Redis (`CANDOR_RATE_LIMIT_STORAGE=redis://…`) is for several servers.

Each counter is a fixed window: one row per key with its count and the moment it expires.
The file holds client addresses only as keys of windows that are at most a few minutes old;
expired rows are deleted once a minute by each process that writes."""

import os
import sqlite3
import threading
import time
from urllib.parse import urlsplit

from limits.storage import Storage

FILENAME = "rate-limits.sqlite3"
BUSY_TIMEOUT_SECONDS = 5
CLEANUP_INTERVAL_SECONDS = 60
"""How often a process deletes expired windows (an expired row is never counted meanwhile)."""
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
    """limits' storage interface (fixed window) on one SQLite file. Each process and thread
    keeps its own connection (a forked worker opens a new one); gevent's greenlets share their
    thread's, which is safe as no call yields while it uses it."""

    STORAGE_SCHEME = ["candor-sqlite"]

    def __init__(self, uri, wrap_exceptions=False, **options):
        self.path = urlsplit(uri).path
        self._local = threading.local()
        self._connection().execute(SCHEMA)
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _connection(self):
        if getattr(self._local, "pid", None) != os.getpid():
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection, self._local.pid, self._local.next_cleanup = connection, os.getpid(), 0.0
        return self._local.connection

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def incr(self, key, expiry, amount=1):
        now = time.time()
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            if now >= self._local.next_cleanup:
                connection.execute("DELETE FROM counter WHERE expires_at <= ?", (now,))
                self._local.next_cleanup = now + CLEANUP_INTERVAL_SECONDS
            (value,) = connection.execute(INCREMENT, {"key": key, "amount": amount, "now": now, "expiry": expiry}).fetchone()
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return value

    def get(self, key):
        row = self._connection().execute("SELECT value FROM counter WHERE key = ? AND expires_at > ?", (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key):
        row = self._connection().execute("SELECT expires_at FROM counter WHERE key = ?", (key,)).fetchone()
        return row[0] if row else time.time()

    def check(self):
        try:
            self._connection().execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self):
        return self._connection().execute("DELETE FROM counter").rowcount

    def clear(self, key):
        self._connection().execute("DELETE FROM counter WHERE key = ?", (key,))
