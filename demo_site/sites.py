"""The sites the collector accepts data for and the page origins allowed to send
it, so nobody can pour events into a publisher's numbers from a foreign page."""

import json

from .leak_report import domain_name
from .wire import MAX_ID_LENGTH

SELF = "self"
DEFAULT_SITES = {"demo": {"origins": [SELF]}}


def read_sites_file(path):
    """Load a sites file such as `{"demo": {"origins": ["self"]}}`."""
    with open(path, encoding="utf-8") as sites_file:
        try:
            return json.load(sites_file)
        except ValueError as error:
            raise ValueError(f"sites file {path} is not JSON: {error}") from error


def checked_sites(sites):
    """Refuse a malformed sites setting at start-up rather than on the first beacon."""
    if not isinstance(sites, dict):
        raise ValueError('sites must map site ids to {"origins": [...]}')
    checked = {}
    for site, settings in sites.items():
        if not isinstance(site, str) or not 1 <= len(site) <= MAX_ID_LENGTH:
            raise ValueError(f"site id {site!r} must be 1 to {MAX_ID_LENGTH} characters")
        origins = settings.get("origins") if isinstance(settings, dict) else None
        if not isinstance(origins, list) or not all(isinstance(o, str) for o in origins):
            raise ValueError(f'site {site!r} needs "origins": a list of origin strings or "self"')
        checked[site] = {"origins": list(origins)}
        if "allowedDomains" in settings:
            checked[site]["allowedDomains"] = _allowed_domains(site, settings["allowedDomains"])
    return checked


def _allowed_domains(site, domains):
    """A site's invited third parties (`"allowedDomains": ["cdn.example.com"]`), in the form
    browsers give host names, for its leakage report and recommended policy."""
    names = [domain_name(domain) for domain in domains] if isinstance(domains, list) else [None]
    if None in names:
        raise ValueError(f'site {site!r}: "allowedDomains" must be a list of domain names')
    return names


def origin_allowed(site_settings, origin, own_origin):
    """Whether a page at `origin` may send for this site; "self" stands for the
    collector's own origin, which is where the demo publisher lives."""
    return any(
        same_origin(origin, own_origin if entry == SELF else entry)
        for entry in site_settings["origins"]
    )


def same_origin(origin, other):
    """Origins compare case-insensitively; a trailing slash (as in Flask's
    `request.host_url`) does not make a different origin."""
    return _normalised_origin(origin) == _normalised_origin(other)


def _normalised_origin(origin):
    return origin.strip().rstrip("/").lower()
