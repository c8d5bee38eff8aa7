"""PostgreSQL keeps the event table partitioned by UTC day of receipt: a partition per day,
created a week ahead, so the retention purge drops whole days (a file unlinked) instead of
deleting rows one by one. A DEFAULT partition catches a row no day partition covers, so an
insert never fails for want of one. SQLite has no partitions; these functions are for PostgreSQL."""

import calendar
import re
import time

from sqlalchemy import text

DAY_MS = 86_400_000
DAYS_AHEAD = 7
NAME_PATTERN = re.compile(r"^event_(\d{8})$")
# pg_advisory_xact_lock's key while partitions change: two nodes never create the same one.
LOCK_KEY = 0x63616E646F7250  # "candorP"


def day_start_ms(moment_ms):
    return moment_ms - moment_ms % DAY_MS


def partition_name(day_ms):
    return "event_" + time.strftime("%Y%m%d", time.gmtime(day_ms / 1000))


def create_ahead(connection, now_ms, days=DAYS_AHEAD):
    """Partitions for today and the next `days` days, those missing."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    today = day_start_ms(now_ms)
    for offset in range(days + 1):
        start = today + offset * DAY_MS
        connection.exec_driver_sql(
            f"CREATE TABLE IF NOT EXISTS {partition_name(start)} PARTITION OF event FOR VALUES FROM ({start}) TO ({start + DAY_MS})"
        )


def day_partitions(connection):
    """{partition name: its day's start (ms)} of every day partition that exists."""
    names = connection.scalars(
        text(
            "SELECT child.relname FROM pg_inherits"
            " JOIN pg_class child ON child.oid = pg_inherits.inhrelid"
            " WHERE pg_inherits.inhparent = 'event'::regclass"
        )
    )
    days = {}
    for name in names:
        match = NAME_PATTERN.match(name)
        if match:
            days[name] = calendar.timegm(time.strptime(match.group(1), "%Y%m%d")) * 1000
    return days


def drop_before(connection, cutoff_ms):
    """Drop the day partitions that end at or before `cutoff_ms`; returns how many rows they held."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    dropped_rows = 0
    for name, start in sorted(day_partitions(connection).items()):
        if start + DAY_MS <= cutoff_ms:
            dropped_rows += connection.exec_driver_sql(f"SELECT COUNT(*) FROM {name}").scalar()
            connection.exec_driver_sql(f"DROP TABLE {name}")
    return dropped_rows
