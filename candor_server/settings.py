"""Reads every server setting from the environment, in this one place, each with a safe
default, so the same code runs on a laptop and behind gunicorn without edits."""

import time
from pathlib import Path
from urllib.parse import urlsplit

from . import sites

PACKAGED_DIST_DIR = Path(__file__).resolve().parent / "tag"
"""Where `pip install` puts the built tag (pyproject.toml maps the repository's dist/ there)."""
REPOSITORY_DIST_DIR = Path(__file__).resolve().parent.parent / "dist"
DEFAULT_COLLECT_RATE_LIMIT = "300 per minute"
DEFAULT_API_RATE_LIMIT = "600 per hour"  # per stats API token, Plausible's own budget
RATE_LIMIT_STORAGES = ("memory://", "redis://", "rediss://", "redis+unix://")
CSP_MODES = ("off", "report", "enforce")
DEFAULT_DASHBOARD_CACHE_MB = 1536
"""A filtered 90-day view at ten million events a quarter (600 MB), the two months of a filtered
30-day view with its comparison (200 MB each), and room for merged rollups
(dashboard/slice_cache.py). A smaller site takes only what its views use."""
ENVIRONMENT_VARIABLES = (
    "CANDOR_DATA_DIR",
    "CANDOR_DATABASE_URL",
    "CANDOR_SITES",
    "CANDOR_DASHBOARD_PASSWORD",
    "CANDOR_COLLECT_RATE_LIMIT",
    "CANDOR_CSP_MODE",
    "CANDOR_RATE_LIMIT_STORAGE",
    "CANDOR_PUBLIC_URL",
    "CANDOR_PROXIES",
    "CANDOR_API_RATE_LIMIT",
    "CANDOR_DASHBOARD_CACHE_MB",
)
"""Every variable read below: tests clear them all, so a developer's own never leaks in."""


class SettingsError(ValueError):
    """A setting the server cannot start with; the message is one line naming the variable."""


def from_environment(environ, instance_path, default_sites=None):
    """Config keys from `CANDOR_*` variables: `DATA_DIR` (generated secrets, and the SQLite
    file unless `DATABASE_URL` names a database: see `storage.connections`), `SITES`, `DIST_DIR`,
    `COLLECT_RATE_LIMIT` (per client address, flask-limiter syntax), `RATE_LIMIT_STORAGE` (where the
    counters live: None for a SQLite file in `DATA_DIR` that every worker shares, `memory://`
    per process, `redis://host:6379/0` shared by every node), `API_RATE_LIMIT` (per stats API token),
    `DASHBOARD_PASSWORD` (None: the app generates one), `CSP_MODE` (the demo's pages
    only), `PUBLIC_URL` (the collector's public origin and path prefix, None when unset),
    `PROXIES` (how many reverse proxies in front whose `X-Forwarded-*` headers, the prefix
    included, are trusted; 0 by default), `DASHBOARD_CACHE_BYTES` (what each process keeps of
    the dashboard's joined columns and merged rollups) and the `CLOCK`. Without `CANDOR_SITES` the sites are `default_sites`, which
    only the demo passes: production has no site it would accept by default."""
    csp_mode = environ.get("CANDOR_CSP_MODE") or "off"
    if csp_mode not in CSP_MODES:
        raise SettingsError(f"CANDOR_CSP_MODE must be one of {', '.join(CSP_MODES)}, got {csp_mode!r}")
    rate_limit_storage = environ.get("CANDOR_RATE_LIMIT_STORAGE") or None
    if rate_limit_storage is not None and not rate_limit_storage.startswith(RATE_LIMIT_STORAGES):
        raise SettingsError(
            f"CANDOR_RATE_LIMIT_STORAGE must start with one of {', '.join(RATE_LIMIT_STORAGES)}, got {rate_limit_storage.split('@')[-1]!r}"
        )
    return {
        "RATE_LIMIT_STORAGE": rate_limit_storage,
        "COLLECT_RATE_LIMIT": environ.get("CANDOR_COLLECT_RATE_LIMIT") or DEFAULT_COLLECT_RATE_LIMIT,
        "API_RATE_LIMIT": environ.get("CANDOR_API_RATE_LIMIT") or DEFAULT_API_RATE_LIMIT,
        "DASHBOARD_PASSWORD": environ.get("CANDOR_DASHBOARD_PASSWORD") or None,
        "CLOCK": time.time,
        "DATA_DIR": environ.get("CANDOR_DATA_DIR") or instance_path,
        "DATABASE_URL": environ.get("CANDOR_DATABASE_URL") or None,
        "SITES": sites.read_sites_file(environ["CANDOR_SITES"]) if environ.get("CANDOR_SITES") else default_sites,
        "DIST_DIR": PACKAGED_DIST_DIR if PACKAGED_DIST_DIR.is_dir() else REPOSITORY_DIST_DIR,
        "CSP_MODE": csp_mode,
        "PUBLIC_URL": public_url(environ.get("CANDOR_PUBLIC_URL")),
        "PROXIES": proxies(environ.get("CANDOR_PROXIES")),
        "DASHBOARD_CACHE_BYTES": dashboard_cache_mb(environ.get("CANDOR_DASHBOARD_CACHE_MB")) << 20,
    }


def public_url(text):
    """`https://stats.news.example` or `https://www.news.example/candor` (the first-party path),
    without a trailing slash; None when unset. Anything else stops the start."""
    if not text:
        return None
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment or "@" in parts.netloc:
        raise SettingsError(f"CANDOR_PUBLIC_URL must look like https://stats.news.example[/prefix], got {text!r}")
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def proxies(text):
    """The number of trusted reverse proxies: 0 (none, the default) to 5."""
    return _whole_number("CANDOR_PROXIES", text, 0, 5, "a number of proxies", default=0)


def dashboard_cache_mb(text):
    """MB of memory each server process may keep for the dashboard: 64 to 1,048,576."""
    return _whole_number("CANDOR_DASHBOARD_CACHE_MB", text, 64, 1 << 20, "a number of MB", default=DEFAULT_DASHBOARD_CACHE_MB)


def _whole_number(variable, text, lowest, highest, what, default):
    """A variable's whole number from `lowest` to `highest`, `default` when unset; anything else
    stops the start with a message that names the variable and the range."""
    if not text:
        return default
    if not text.strip().isdigit() or not lowest <= int(text) <= highest:
        raise SettingsError(f"{variable} must be {what} from {lowest} to {highest}, got {text!r}")
    return int(text)
