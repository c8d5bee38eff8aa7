"""Owns the SQLite connection and every SQL statement, so how events are stored
can change in this file and `schema.sql` alone."""

import json
import os
import sqlite3
import threading
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import clock
from ..collector import visits

SCHEMA_PATH = Path(__file__).with_name("schema.sql")
SESSION_COLUMNS = ("ref_type", "ref_source", "ref_terms", "browser")
# Columns added after the first release, with their types, for databases made before them.
ADDED_COLUMNS = {**{column: "TEXT" for column in SESSION_COLUMNS}, "path": "TEXT", "visit_id": "INTEGER",
                 "visitor": "INTEGER"}
EVENT_COLUMNS = (
    "id", "site", "uid", "type", "ts", "url", "ref", "title", "lang", "tz",
    "sw", "sh", "name", "attrs", "props", "hosts", "received_at", *SESSION_COLUMNS,
    "path", "visit_id", "visitor",
)
VISIT_FACTS = (
    "entry_path", "source", "channel", "ref_terms", "utm_source", "utm_medium", "utm_campaign",
    "utm_term", "utm_content", "browser", "os", "device", "screen", "lang", "country",
)
JSON_COLUMNS = ("attrs", "props", "hosts")
INSERT_EVENT = (
    f"INSERT OR IGNORE INTO event ({', '.join(EVENT_COLUMNS)})"
    f" VALUES ({', '.join(':' + column for column in EVENT_COLUMNS)})"
)


_thread_state = threading.local()


def get_db():
    """This thread's connection to the app's database, kept open across requests.

    Opening and closing per request cost more than the insert itself: closing the last
    connection checkpoints the write-ahead log. A thread keeps one connection, replaced
    when it serves another database file (tests, or a file replaced); it closes when the thread ends.
    """
    path = current_app.config["DATABASE"]
    if getattr(_thread_state, "file", None) != _file_identity(path):
        previous = getattr(_thread_state, "connection", None)
        if previous is not None:
            previous.close()
        _thread_state.connection = _connect(path)
        _thread_state.file = _file_identity(path)
    return _thread_state.connection


def _file_identity(path):
    """Path and inode: a database file deleted or replaced under a running server gets a new
    connection instead of writes into the deleted file."""
    try:
        return path, os.stat(path).st_ino
    except OSError:
        return path, None


def _connect(path):
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    # Write-ahead log: readers never block the beacon writers, and a commit appends to the
    # log instead of syncing the database file (durable up to the last checkpoint).
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def init_db():
    """Create any missing tables and columns; existing data is kept."""
    connection = get_db()
    _add_missing_columns(connection)
    connection.executescript(SCHEMA_PATH.read_text(encoding="utf-8"))


def _add_missing_columns(connection):
    """A database made before the collector derived session data gains the
    columns, so an upgrade never turns a beacon into a server error."""
    present = {row[1] for row in connection.execute("PRAGMA table_info(event)")}
    if present:
        for column, sql_type in ADDED_COLUMNS.items():
            if column not in present:
                connection.execute(f"ALTER TABLE event ADD COLUMN {column} {sql_type}")


def store_events(site, uid, events, received_at, visit_facts):
    """Store checked events (see `wire.Batch`, plus the session columns and `path`); an id
    already stored is skipped. Page views and custom events join the visitor's open visit
    (see `candor_server/collector/visits.py`), or open one with `visit_facts`.
    Returns how many events were new."""
    connection = get_db()
    with connection:
        return _store_batch(connection, site, uid, events, received_at, visit_facts)


def store_batches(batches):
    """`store_events` for many (site, uid, events, received_at, visit_facts) in one
    transaction, oldest first: how the bench loads a million generated events."""
    connection = get_db()
    with connection:
        return sum(_store_batch(connection, *batch) for batch in batches)


def _store_batch(connection, site, uid, events, received_at, visit_facts):
    stored = _stored_ids(connection, [event["id"] for event in events])
    new_events = [event for event in events if event["id"] not in stored]
    counted = [event for event in new_events if event["type"] in visits.COUNTED_TYPES]
    visitor = visits.visitor_key(uid)
    visit_id = _visit_for(connection, site, uid, visitor, counted, received_at, visit_facts) if counted else None
    rows = [
        {
            **event,
            **{column: _json_or_null(event[column]) for column in JSON_COLUMNS},
            "site": site,
            "uid": uid,
            "received_at": received_at,
            "visit_id": visit_id if event["type"] in visits.COUNTED_TYPES else None,
            "visitor": visitor,
        }
        for event in new_events
    ]
    connection.executemany(INSERT_EVENT, rows)
    return len(rows)


def _stored_ids(connection, ids):
    placeholders = ", ".join("?" for _ in ids)
    return {row[0] for row in connection.execute(f"SELECT id FROM event WHERE id IN ({placeholders})", ids)}


def _visit_for(connection, site, uid, visitor, counted, received_at, visit_facts):
    """The id of the visit these events extend (the visitor's latest, if its last event is
    under 30 minutes old) or open, with its counts and exit page brought up to date."""
    page_paths = [event["path"] for event in counted if event["type"] == "page"]
    page_views, custom = len(page_paths), len(counted) - len(page_paths)
    latest = connection.execute(
        "SELECT id, ended_at FROM visit WHERE site = ? AND uid = ? ORDER BY ended_at DESC LIMIT 1",
        (site, uid),
    ).fetchone()
    if latest is not None and visits.continues(latest["ended_at"], received_at):
        connection.execute(
            "UPDATE visit SET ended_at = MAX(ended_at, :at), page_views = page_views + :page_views,"
            " events = events + :custom, exit_path = COALESCE(:exit, exit_path) WHERE id = :id",
            {"at": received_at, "page_views": page_views, "custom": custom,
             "exit": page_paths[-1] if page_paths else None, "id": latest["id"]},
        )
        return latest["id"]
    facts = {fact: visit_facts[fact] for fact in VISIT_FACTS}
    return connection.execute(
        f"INSERT INTO visit (site, uid, visitor, started_at, ended_at, page_views, events, exit_path,"
        f" {', '.join(VISIT_FACTS)}) VALUES (:site, :uid, :visitor, :at, :at, :page_views, :custom, :exit,"
        f" {', '.join(':' + fact for fact in VISIT_FACTS)})",
        {**facts, "site": site, "uid": uid, "visitor": visitor, "at": received_at, "page_views": page_views,
         "custom": custom, "exit": page_paths[-1] if page_paths else None},
    ).lastrowid


def events_for_site(site):
    """Every stored event of a site, oldest first, as dicts with JSON decoded."""
    rows = get_db().execute(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM event WHERE site = ? ORDER BY ts, rowid",
        (site,),
    )
    return [_event_from_row(row) for row in rows]


def count_events():
    """Events stored across all sites: the plain check that something, or nothing, was kept."""
    return get_db().execute("SELECT COUNT(*) FROM event").fetchone()[0]


def events_for_uid(uid, since_ms):
    """One visitor's events received since `since_ms`, newest first: "my data"."""
    rows = get_db().execute(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM event"
        " WHERE uid = ? AND received_at >= ? ORDER BY received_at DESC, rowid DESC",
        (uid, since_ms),
    )
    return [_event_from_row(row) for row in rows]


def delete_events_for_uid(uid):
    """Delete every event of one visitor, however old; returns how many were deleted."""
    connection = get_db()
    with connection:
        connection.execute("DELETE FROM visit WHERE uid = ?", (uid,))
        return connection.execute("DELETE FROM event WHERE uid = ?", (uid,)).rowcount


def delete_events_received_before(cutoff_ms):
    """The retention purge, of events and of CSP violation reports alike: returns how many
    events were deleted."""
    connection = get_db()
    with connection:
        connection.execute("DELETE FROM csp_violation WHERE received_at < ?", (cutoff_ms,))
        connection.execute("DELETE FROM visit WHERE started_at < ?", (cutoff_ms,))
        return connection.execute("DELETE FROM event WHERE received_at < ?", (cutoff_ms,)).rowcount


def count_optouts(day, site, reasons):
    """Add one refused beacon to the day's anonymous total of each reason for `site`."""
    connection = get_db()
    with connection:
        connection.executemany(
            "INSERT INTO said_no_daily (day, site, reason, count) VALUES (?, ?, ?, 1)"
            " ON CONFLICT (day, site, reason) DO UPDATE SET count = count + 1",
            [(day, site, reason) for reason in reasons],
        )


def optout_totals(site, since_day):
    """Refused beacons of `site` per reason since a UTC day (YYYY-MM-DD), as {reason: count}."""
    rows = get_db().execute(
        "SELECT reason, SUM(count) FROM said_no_daily WHERE site = ? AND day >= ? GROUP BY reason ORDER BY reason",
        (site, since_day),
    )
    return dict(rows.fetchall())


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create Candor's tables if they are missing (existing data is kept)."""
    init_db()
    click.echo(f"Initialized the database at {current_app.config['DATABASE']}.")


def init_app(app):
    """Wire the CLI into the app, and create the schema now so a fresh deployment
    answers its first beacon."""
    app.cli.add_command(init_db_command)
    with app.app_context():
        init_db()


def _json_or_null(value):
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _event_from_row(row):
    event = dict(row)
    for column in JSON_COLUMNS:
        if event[column] is not None:
            event[column] = json.loads(event[column])
    return event


# Data leakage: leak reports as rows to aggregate, invited domains, CSP violations.

def leak_requests(site):
    """One row per host of every stored `leak` event of a site: the event's id, receipt time
    and page, and the host, initiator kind and request count it reported."""
    return get_db().execute(
        "SELECT event.id AS report, event.received_at, event.url,"
        " json_extract(host.value, '$.host') AS host,"
        " json_extract(host.value, '$.kind') AS kind,"
        " json_extract(host.value, '$.n') AS n"
        " FROM event, json_each(event.hosts) AS host"
        " WHERE event.site = ? AND event.type = 'leak' ORDER BY event.received_at, event.rowid",
        (site,),
    ).fetchall()


def invite_domain(site, domain):
    """Mark `domain` invited for `site`; marking it again changes nothing."""
    connection = get_db()
    with connection:
        connection.execute(
            "INSERT OR IGNORE INTO invited_domain (site, domain, invited_at) VALUES (?, ?, ?)",
            (site, domain, clock.now_ms()),
        )


def invited_domains(site):
    """The domains a publisher marked invited for `site`, alphabetically."""
    rows = get_db().execute("SELECT domain FROM invited_domain WHERE site = ? ORDER BY domain", (site,))
    return [row["domain"] for row in rows]


def store_csp_violations(site, violations):
    """Store checked violations (see `csp_reports.Violation`) received now."""
    received_at = clock.now_ms()
    connection = get_db()
    with connection:
        connection.executemany(
            "INSERT INTO csp_violation (site, document, blocked, directive, disposition, received_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(site, v.document, v.blocked, v.directive, v.disposition, received_at) for v in violations],
        )


def csp_violation_summary(site):
    """A site's violations grouped by what was blocked, where and how, latest first."""
    return get_db().execute(
        "SELECT blocked, directive, disposition, COUNT(*) AS reports,"
        " COUNT(DISTINCT document) AS pages, MIN(received_at) AS first_seen, MAX(received_at) AS last_seen"
        " FROM csp_violation WHERE site = ? GROUP BY blocked, directive, disposition"
        " ORDER BY last_seen DESC, blocked",
        (site,),
    ).fetchall()
