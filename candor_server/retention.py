"""Session data lives 90 days (CONTRACT.md §4): older rows are never read for a
profile, and are deleted by `flask --app candor_server purge`, at start-up and at
least once a day while the server runs, checked before each request so no
background thread or scheduler is needed. Deletion goes by whole UTC days, a day once
all of it is past 90 days, so PostgreSQL drops a day's partition instead of deleting rows."""

import click
from flask import current_app
from flask.cli import with_appcontext

from .clock import DAY_SECONDS, now_seconds, utc_day
from .storage import db

RETENTION_DAYS = 90
PURGE_INTERVAL_SECONDS = DAY_SECONDS
LAST_PURGE_KEY = "candor_last_purge"


def window_start_ms(now):
    """The oldest moment (ms) whose data may still be used at `now` (seconds)."""
    return int((now - RETENTION_DAYS * DAY_SECONDS) * 1000)


def purge_cutoff_ms(now):
    """The start of the UTC day of the window's start: every day before it is wholly past 90 days."""
    window_start = window_start_ms(now)
    return window_start - window_start % (DAY_SECONDS * 1000)


def purge():
    """Delete the UTC days of what visitors did more than 90 days ago from every table, and the
    salts of days that are over (cookieless mode), and make room for the coming days' events;
    returns {table: rows deleted}."""
    now = now_seconds()
    cutoff = purge_cutoff_ms(now)
    deleted = db.delete_received_before(cutoff, utc_day(cutoff / 1000))
    db.delete_salts_before(utc_day(now))
    db.prepare_days_ahead(int(now * 1000))
    current_app.extensions[LAST_PURGE_KEY] = now
    return deleted


def purge_when_due():
    """Before each request: purge if the last purge is a day old (or never ran in
    this process), so a server that runs for months still forgets on time."""
    last = current_app.extensions.get(LAST_PURGE_KEY)
    if last is None or now_seconds() - last >= PURGE_INTERVAL_SECONDS:
        purge()


@click.command("purge")
@with_appcontext
def purge_command():
    """Delete session data older than 90 days, and say how much of each kind went."""
    deleted = purge()
    click.echo(
        f"Deleted {deleted['event']} events, {deleted['csp_violation']} CSP violation reports,"
        f" {deleted['said_no_daily']} daily opt-out counts and {deleted['scrub_finding_daily']}"
        f" daily counts of scrubbed data older than {RETENTION_DAYS} days."
    )


def init_app(app):
    """Purge at start-up, then daily before requests; add the CLI command."""
    app.cli.add_command(purge_command)
    app.before_request(purge_when_due)
    with app.app_context():
        purge()
