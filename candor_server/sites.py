"""The sites the collector accepts data for and the page origins allowed to send
it, so nobody can pour events into a publisher's numbers from a foreign page.
The sites file is read and checked once, at start-up: an origin that could never
match a browser's `Origin` header stops the start with the reason."""

import json
from urllib.parse import urlsplit

from .collector.wire import MAX_ID_LENGTH
from .domains import domain_name

SELF = "self"
"""An origin entry standing for the collector's own origin (the first-party layout)."""
DEFAULT_PORTS = {"http": 80, "https": 443}


def read_sites_file(path):
    """Load a sites file such as `{"news": {"origins": ["https://www.news.example"]}}`."""
    try:
        with open(path, encoding="utf-8") as sites_file:
            return json.load(sites_file)
    except OSError as error:
        raise ValueError(f"CANDOR_SITES: cannot read the sites file {path}: {error.strerror}") from None
    except ValueError as error:
        raise ValueError(f"CANDOR_SITES: the sites file {path} is not JSON: {error}") from None


MIN_SITE_PASSWORD_LENGTH = 12


def checked_sites(sites):
    """Refuse a malformed sites setting at start-up rather than on the first beacon;
    origins come back normalised (lowercase, no default port, no trailing slash)."""
    if not isinstance(sites, dict) or not sites:
        raise ValueError('sites must map site ids to {"origins": [...]}')
    checked = {}
    for site, settings in sites.items():
        if not isinstance(site, str) or not 1 <= len(site) <= MAX_ID_LENGTH:
            raise ValueError(f"site id {site!r} must be 1 to {MAX_ID_LENGTH} characters")
        origins = settings.get("origins") if isinstance(settings, dict) else None
        if not isinstance(origins, list) or not all(isinstance(o, str) for o in origins):
            raise ValueError(f'site {site!r} needs "origins": a list of origin strings or "self"')
        checked[site] = {"origins": [_checked_origin(site, origin) for origin in origins]}
        if "allowedDomains" in settings:
            checked[site]["allowedDomains"] = _allowed_domains(site, settings["allowedDomains"])
        if "dashboardPassword" in settings:
            checked[site]["dashboardPassword"] = _dashboard_password(site, settings["dashboardPassword"])
    return checked


def _dashboard_password(site, password):
    """A site's own dashboard password (`"dashboardPassword"`): it opens that site only."""
    if not isinstance(password, str) or len(password) < MIN_SITE_PASSWORD_LENGTH:
        raise ValueError(f'site {site!r}: "dashboardPassword" must be at least {MIN_SITE_PASSWORD_LENGTH} characters')
    return password


def _checked_origin(site, entry):
    if entry == SELF:
        return SELF
    origin = normalised_origin(entry)
    if origin is None:
        raise ValueError(
            f"site {site!r}: origin {entry!r} can never match a browser's Origin header:"
            " write scheme://host[:port], such as https://www.news.example, with no path or query"
        )
    return origin


def normalised_origin(text):
    """`HTTPS://WWW.News.example:443/` -> `https://www.news.example`; None for anything that
    is not an http(s) origin (no scheme, a path, a query, a fragment, user info)."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        return None
    scheme = parts.scheme.lower()
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{scheme}://{host}" + ("" if port in (None, DEFAULT_PORTS[scheme]) else f":{port}")


def _allowed_domains(site, domains):
    """A site's invited third parties (`"allowedDomains": ["cdn.example.com"]`), in the form
    browsers give host names, for its leakage report and recommended policy."""
    names = [domain_name(domain) for domain in domains] if isinstance(domains, list) else [None]
    if None in names:
        raise ValueError(f'site {site!r}: "allowedDomains" must be a list of domain names')
    return names


def origin_allowed(site_settings, origin, own_origin):
    """Whether a page at `origin` may send for this site; "self" stands for the
    collector's own origin."""
    return any(same_origin(origin, own_origin if entry == SELF else entry) for entry in site_settings["origins"])


def same_origin(origin, other):
    """Origins compare normalised: case, a default port or a trailing slash (as in Flask's
    `request.host_url`) do not make a different origin; what is not an origin matches nothing."""
    normalised = normalised_origin(origin)
    return normalised is not None and normalised == normalised_origin(other)
