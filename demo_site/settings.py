"""Reads the server's settings from the environment, each with a safe default,
so the same code runs on a laptop and behind gunicorn without edits."""

import time
from pathlib import Path

from . import sites

REPOSITORY_DIST_DIR = Path(__file__).resolve().parent.parent / "dist"
DEFAULT_COLLECT_RATE_LIMIT = "300 per minute"


def from_environment(environ, instance_path):
    """Config keys from `CANDOR_*` variables: `DATA_DIR` (generated secrets, and the SQLite
    file unless `DATABASE_URL` names a database; see `connections.database_url`), `SITES`, `DIST_DIR`,
    `COLLECT_RATE_LIMIT` (per client address, flask-limiter syntax),
    `DASHBOARD_PASSWORD` (None: the app generates one) and the `CLOCK`."""
    return {
        "COLLECT_RATE_LIMIT": environ.get("CANDOR_COLLECT_RATE_LIMIT") or DEFAULT_COLLECT_RATE_LIMIT,
        "DASHBOARD_PASSWORD": environ.get("CANDOR_DASHBOARD_PASSWORD") or None,
        "CLOCK": time.time,
        "DATA_DIR": environ.get("CANDOR_DATA_DIR") or instance_path,
        "DATABASE_URL": environ.get("CANDOR_DATABASE_URL") or None,
        "SITES": sites.read_sites_file(environ["CANDOR_SITES"])
        if environ.get("CANDOR_SITES")
        else sites.DEFAULT_SITES,
        "DIST_DIR": REPOSITORY_DIST_DIR,
    }

