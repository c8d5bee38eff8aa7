"""The server's notion of "now", read from the app's `CLOCK` setting so tests of
retention and daily totals move time forward instead of sleeping."""

import time

from flask import current_app

DAY_SECONDS = 86_400


def now_seconds():
    """Seconds since the epoch by the app's clock (`time.time` unless a test swaps it)."""
    return current_app.config["CLOCK"]()


def now_ms():
    return int(now_seconds() * 1000)


def utc_day(seconds):
    """The UTC calendar day of a moment, as YYYY-MM-DD."""
    return time.strftime("%Y-%m-%d", time.gmtime(seconds))


def utc_time(milliseconds):
    """A stored moment (ms since the epoch, as every table keeps it) as a person reads it:
    2026-11-29 14:05 UTC. The one date filter of every template."""
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(milliseconds / 1000))
