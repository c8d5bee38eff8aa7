"""Why the collector turned beacons down, told to whoever runs it: one structured log line per
refusal (the reason, the site and, for a foreign page, its origin; never an address, an id or a
body), at most LINES_PER_MINUTE a minute per process, so a flood of bad beacons cannot fill
the disk. The lines held back are counted and reported on the next line written."""

import json
import logging
import threading
import time

from flask import current_app

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
