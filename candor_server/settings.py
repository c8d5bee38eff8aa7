"""Reads every server setting from the environment, in this one place, each with a safe
default, so the same code runs on a laptop and behind gunicorn without edits."""

import time
from pathlib import Path

from . import sites

PACKAGED_DIST_DIR = Path(__file__).resolve().parent / "tag"
"""Where `pip install` puts the built tag (pyproject.toml maps the repository's dist/ there)."""
REPOSITORY_DIST_DIR = Path(__file__).resolve().parent.parent / "dist"
DEFAULT_COLLECT_RATE_LIMIT = "300 per minute"
DEFAULT_API_RATE_LIMIT = "600 per hour"  # per stats API token, Plausible's own budget
CSP_MODES = ("off", "report", "enforce")
ENVIRONMENT_VARIABLES = (
    "CANDOR_DATA_DIR", "CANDOR_DATABASE_URL", "CANDOR_SITES", "CANDOR_DASHBOARD_PASSWORD",
    "CANDOR_COLLECT_RATE_LIMIT", "CANDOR_CSP_MODE", "CANDOR_API_RATE_LIMIT",
)
"""Every variable read below: tests clear them all, so a developer's own never leaks in."""


class SettingsError(ValueError):
    """A setting the server cannot start with; the message is one line naming the variable."""


def from_environment(environ, instance_path, default_sites=None):
    """Config keys from `CANDOR_*` variables: `DATA_DIR` (generated secrets, and the SQLite
    file unless `DATABASE_URL` names a database: see `storage.connections`), `SITES`, `DIST_DIR`,
    `COLLECT_RATE_LIMIT` (per client address, flask-limiter syntax), `API_RATE_LIMIT`
    (per stats API token),
    `DASHBOARD_PASSWORD` (None: the app generates one), `CSP_MODE` (the demo's pages
    only) and the `CLOCK`. Without `CANDOR_SITES` the sites are `default_sites`, which
    only the demo passes: production has no site it would accept by default."""
    csp_mode = environ.get("CANDOR_CSP_MODE") or "off"
    if csp_mode not in CSP_MODES:
        raise SettingsError(f"CANDOR_CSP_MODE must be one of {', '.join(CSP_MODES)}, got {csp_mode!r}")
    return {
        "COLLECT_RATE_LIMIT": environ.get("CANDOR_COLLECT_RATE_LIMIT") or DEFAULT_COLLECT_RATE_LIMIT,
        "API_RATE_LIMIT": environ.get("CANDOR_API_RATE_LIMIT") or DEFAULT_API_RATE_LIMIT,
        "DASHBOARD_PASSWORD": environ.get("CANDOR_DASHBOARD_PASSWORD") or None,
        "CLOCK": time.time,
        "DATA_DIR": environ.get("CANDOR_DATA_DIR") or instance_path,
        "DATABASE_URL": environ.get("CANDOR_DATABASE_URL") or None,
        "SITES": sites.read_sites_file(environ["CANDOR_SITES"])
        if environ.get("CANDOR_SITES")
        else default_sites,
        "DIST_DIR": PACKAGED_DIST_DIR if PACKAGED_DIST_DIR.is_dir() else REPOSITORY_DIST_DIR,
        "CSP_MODE": csp_mode,
    }

