"""Why the collector turned beacons down, told to whoever runs it and to the publisher.

Each refusal is one structured log line (the reason, the site and, for a foreign page, its
origin; never an address, an id or a body), at most LINES_PER_MINUTE a minute per process, so a
flood of bad beacons cannot fill the disk (the lines held back are counted and reported on the
next line written); and one more in its hour's count per site and reason, which the dashboard
shows for the last 24 hours and 7 days."""

import json
import logging
import threading
import time

from flask import current_app

from ..clock import now_seconds
from ..storage import db

REASONS = ("unknown_site", "origin", "schema", "size", "rate_limit")
"""Every reason a beacon is refused for, as logged and counted for the dashboard."""
LINES_PER_MINUTE = 60
MAX_FIELD = 200
"""Longest site id or origin written: the collector limits site ids to 64 characters, but an
unknown site's id and an origin are whatever the client sent."""

logger = logging.getLogger("candor.refusals")


class LineBudget:
    """Up to `per_minute` lines in each clock minute; counts the ones held back."""

    def __init__(self, per_minute, clock=time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self.minute = None
        self.written = 0
        self.held_back = 0
        self.lock = threading.Lock()

    def take(self):
        """(whether a line may be written now, lines held back since the last one written)."""
        with self.lock:
            minute = int(self.clock() // 60)
            if minute != self.minute:
                self.minute, self.written = minute, 0
            if self.written >= self.per_minute:
                self.held_back += 1
                return False, 0
            self.written += 1
            held_back, self.held_back = self.held_back, 0
            return True, held_back


def init_app(app):
    """Each app (each worker process) has its own budget of lines."""
    app.extensions["candor_refusal_lines"] = LineBudget(LINES_PER_MINUTE)


def record_refusal(status, reason, site, origin=None):
    """Log a refused beacon and count it. A site id the sites file does not know is counted
    under site '' (an unknown site's id as its detail), so clients cannot add sites."""
    log_refusal(status, reason, site, origin)
    known = isinstance(site, str) and site in current_app.config["SITES"]
    if reason == "unknown_site":
        counted_site, detail = "", _bounded(site) or ""
    else:
        counted_site, detail = (site if known else ""), (_bounded(origin) if reason == "origin" else "")
    db.count_refusal(int(now_seconds() // 3600), counted_site, reason, detail)


def log_refusal(status, reason, site, origin=None, budget=None):
    """One JSON line, e.g. {"refused": "origin", "status": 403, "site": "news",
    "origin": "https://elsewhere.example"}, unless this minute's lines are spent."""
    allowed, held_back = (budget or current_app.extensions["candor_refusal_lines"]).take()
    if not allowed:
        return
    line = {"refused": reason, "status": status, "site": _bounded(site)}
    if origin is not None:
        line["origin"] = _bounded(origin)
    if held_back:
        line["held_back"] = held_back
    logger.warning(json.dumps(line, ensure_ascii=True))


def _bounded(text):
    return None if text is None else str(text)[:MAX_FIELD]
