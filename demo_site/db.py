"""Owns the SQLite connection and every SQL statement, so how events are stored
can change in this file and `schema.sql` alone."""

import json
import sqlite3
import time

import click
from flask import current_app, g
from flask.cli import with_appcontext

EVENT_COLUMNS = (
    "id", "site", "uid", "type", "ts", "url", "ref", "title", "lang", "tz",
    "sw", "sh", "name", "attrs", "props", "hosts", "received_at",
)
JSON_COLUMNS = ("attrs", "props", "hosts")
INSERT_EVENT = (
    f"INSERT OR IGNORE INTO event ({', '.join(EVENT_COLUMNS)})"
    f" VALUES ({', '.join(':' + column for column in EVENT_COLUMNS)})"
)


def get_db():
    """The request's connection, opened on first use and closed at teardown."""
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"])
        g.db.row_factory = sqlite3.Row
    return g.db


def close_db(exception=None):
    """Close the request's connection, if one was opened, when its context ends."""
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()


def init_db():
    """Create any missing tables; existing data is kept."""
    with current_app.open_resource("schema.sql") as schema:
        get_db().executescript(schema.read().decode("utf-8"))


def store_events(site, uid, events):
    """Store checked events (see `wire.Batch`); an id already stored is skipped.
    Returns how many events were new."""
    received_at = int(time.time() * 1000)
    rows = [
        {
            **event,
            **{column: _json_or_null(event[column]) for column in JSON_COLUMNS},
            "site": site,
            "uid": uid,
            "received_at": received_at,
        }
        for event in events
    ]
    connection = get_db()
    with connection:
        cursor = connection.executemany(INSERT_EVENT, rows)
    return cursor.rowcount


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


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create Candor's tables if they are missing (existing data is kept)."""
    init_db()
    click.echo(f"Initialized the database at {current_app.config['DATABASE']}.")


def init_app(app):
    """Wire the connection's lifecycle and the CLI into the app, and create the
    schema now so a fresh deployment answers its first beacon."""
    app.teardown_appcontext(close_db)
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


# Data leakage (issue 6): leak reports as rows to aggregate, invited domains, CSP violations.

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
            (site, domain, int(time.time() * 1000)),
        )


def invited_domains(site):
    """The domains a publisher marked invited for `site`, alphabetically."""
    rows = get_db().execute("SELECT domain FROM invited_domain WHERE site = ? ORDER BY domain", (site,))
    return [row["domain"] for row in rows]


def store_csp_violations(site, violations):
    """Store checked violations (see `csp_reports.Violation`) received now."""
    received_at = int(time.time() * 1000)
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
