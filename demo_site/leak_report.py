"""The leakage report: who receives requests from a publisher's pages uninvited, grouped by
registrable domain (one company usually spreads over many host names), and the
Content-Security-Policy that would keep only the invited ones.

Registrable domains (eTLD+1) come from the Public Suffix List as packaged by
`publicsuffixlist`, kept current by its maintainers, never a list of our own.
"""

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

from .wire import HOST_PATTERN

REPORTING_GROUP = "candor-csp"
PUBLIC_SUFFIXES = PublicSuffixList()


@dataclass(frozen=True)
class LeakingDomain:
    """One registrable domain's requests across a site's leak reports."""

    domain: str
    hosts: tuple
    kinds: tuple
    requests: int
    reports: int
    pages: int
    first_seen: int
    last_seen: int


def domain_name(text):
    """A domain as a publisher writes it (any case, Unicode) as browsers give host names
    (lowercase, punycode); None when it is not a host name."""
    if not isinstance(text, str):
        return None
    try:
        name = text.strip().rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    return name if name and len(name) <= 253 and HOST_PATTERN.fullmatch(name) else None


def registrable_domain(host):
    """`px.tracker.co.uk` -> `tracker.co.uk`. An IP address, or a name the list cannot split
    (`localhost`, a bare public suffix), stands for itself."""
    if _is_ip(host):
        return host
    return PUBLIC_SUFFIXES.privatesuffix(host.lower()) or host.lower()


def leaking_domains(rows, invited):
    """Aggregate rows of `db.leak_requests` by registrable domain, leaving out the domains
    in `invited` and their subdomains; the most recently seen first."""
    groups = {}
    for row in rows:
        if covered(row["host"], invited):
            continue
        group = groups.setdefault(registrable_domain(row["host"]), {"hosts": set(), "kinds": set(), "requests": 0,
                                           "reports": set(), "pages": set(), "seen": []})
        group["hosts"].add(row["host"])
        group["kinds"].add(row["kind"])
        group["requests"] += row["n"]
        group["reports"].add(row["report"])
        group["pages"].add(_page(row["url"]))
        group["seen"].append(row["received_at"])
    domains = [
        LeakingDomain(
            domain=domain,
            hosts=tuple(sorted(group["hosts"])),
            kinds=tuple(sorted(group["kinds"])),
            requests=group["requests"],
            reports=len(group["reports"]),
            pages=len(group["pages"]),
            first_seen=min(group["seen"]),
            last_seen=max(group["seen"]),
        )
        for domain, group in groups.items()
    ]
    return sorted(domains, key=lambda leak: (-leak.last_seen, leak.domain))


def covered(host, domains):
    """`host` is one of `domains` or a subdomain of one, on a dot boundary (as in the tag)."""
    host = host.lower()
    return any(host == domain or (not _is_ip(host) and host.endswith("." + domain)) for domain in domains)


def recommended_policy(own_origins, collector_origin, invited, report_url):
    """A Content-Security-Policy that lets the page load only from its own origins, the
    collector and the invited domains (each with its subdomains), and reports the rest.

    `report-uri` reaches every engine; `report-to` (the Reporting API, with the header of
    `reporting_endpoints`) only where the collector is https: browsers deliver Reporting API
    reports to secure endpoints only, and where `report-to` is named they ignore `report-uri`.
    """
    sources = ["'self'"]
    for origin in [*own_origins, collector_origin]:
        if origin not in sources:
            sources.append(origin)
    for domain in invited:
        sources += [domain] if _is_ip(domain) else [domain, "*." + domain]
    allowed = " ".join(sources)
    directives = [
        f"default-src {allowed}",
        "object-src 'none'",
        "base-uri 'self'",
        f"form-action {allowed}",
        f"report-uri {report_url}",
    ]
    if reporting_endpoints(report_url):
        directives.append(f"report-to {REPORTING_GROUP}")
    return "; ".join(directives)


def reporting_endpoints(report_url):
    """The Reporting-Endpoints header that names where `report-to` sends violations, for an
    https collector; None otherwise."""
    return f'{REPORTING_GROUP}="{report_url}"' if report_url.startswith("https://") else None


def _is_ip(host):
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _page(url):
    """A page without its query or fragment: enough to count pages, nothing about a visitor."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
