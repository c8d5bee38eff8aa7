"""Reads the server's settings from the environment, each with a safe default,
so the same code runs on a laptop and behind gunicorn without edits."""

import time
from pathlib import Path

from . import sites

DATABASE_FILENAME = "candor.sqlite3"
SQLITE_URL_PREFIX = "sqlite:///"
REPOSITORY_DIST_DIR = Path(__file__).resolve().parent.parent / "dist"
DEFAULT_COLLECT_RATE_LIMIT = "300 per minute"


def from_environment(environ, instance_path):
    """Config keys from `CANDOR_*` variables: `DATABASE`, `SITES`, `DIST_DIR`,
    `COLLECT_RATE_LIMIT` (per client address, flask-limiter syntax),
    `DASHBOARD_PASSWORD` (None: the app generates one) and the `CLOCK`."""
    return {
        "COLLECT_RATE_LIMIT": environ.get("CANDOR_COLLECT_RATE_LIMIT") or DEFAULT_COLLECT_RATE_LIMIT,
        "DASHBOARD_PASSWORD": environ.get("CANDOR_DASHBOARD_PASSWORD") or None,
        "CLOCK": time.time,
        "DATABASE": database_path(environ, instance_path),
        "SITES": sites.read_sites_file(environ["CANDOR_SITES"])
        if environ.get("CANDOR_SITES")
        else sites.DEFAULT_SITES,
        "DIST_DIR": REPOSITORY_DIST_DIR,
    }


def database_path(environ, instance_path):
    """`CANDOR_DATABASE_URL` wins over `CANDOR_DATA_DIR`, which defaults to the
    instance folder: data never lands inside the package by accident."""
    url = environ.get("CANDOR_DATABASE_URL")
    if url:
        path = url[len(SQLITE_URL_PREFIX):] if url.startswith(SQLITE_URL_PREFIX) else ""
        if not path:
            raise ValueError(
                f"CANDOR_DATABASE_URL must look like sqlite:///path/to/file.sqlite3, got {url!r}"
            )
        return path
    data_dir = environ.get("CANDOR_DATA_DIR") or instance_path
    return str(Path(data_dir) / DATABASE_FILENAME)
