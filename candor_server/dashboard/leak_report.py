"""The leakage report: who receives requests from a publisher's pages uninvited, grouped by
registrable domain (one company usually spreads over many host names), and the
Content-Security-Policy that would keep only the invited ones.

Registrable domains come from `candor_server.domains` (the Public Suffix List).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..domains import covered, is_ip, registrable_domain

REPORTING_GROUP = "candor-csp"


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


def leaking_domains(rows, invited):
    """Aggregate rows of `db.leak_requests` by registrable domain, leaving out the domains
    in `invited` and their subdomains; the most recently seen first."""
    groups: dict[str, dict] = {}
    for row in rows:
        if covered(row["host"], invited):
            continue
        group = groups.setdefault(
            registrable_domain(row["host"]), {"hosts": set(), "kinds": set(), "requests": 0, "reports": set(), "pages": set(), "seen": []}
        )
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


def recommended_policy(own_origins, collector_origin, invited, report_url, secure_reports):
    """A Content-Security-Policy that lets the page load only from its own origins, the
    collector and the invited domains (each with its subdomains), and reports the rest.
    `connect-src` is spelled out, though `default-src` covers it: a publisher who tightens
    `default-src` must still let the tag's beacons and fetches reach the collector.

    `report-uri` reaches every engine; `report-to` (the Reporting API, with the header of
    `reporting_endpoints`) only where the report URL is https (`secure_reports`): browsers deliver Reporting API
    reports to secure endpoints only, and where `report-to` is named they ignore `report-uri`.
    """
    sources = ["'self'"]
    for origin in [*own_origins, collector_origin]:
        if origin not in sources:
            sources.append(origin)
    for domain in invited:
        sources += [domain] if is_ip(domain) else [domain, "*." + domain]
    allowed = " ".join(sources)
    directives = [
        f"default-src {allowed}",
        f"connect-src {allowed}",
        "object-src 'none'",
        "base-uri 'self'",
        f"form-action {allowed}",
        f"report-uri {report_url}",
    ]
    if secure_reports:
        directives.append(f"report-to {REPORTING_GROUP}")
    return "; ".join(directives)


def reporting_endpoints(report_url, secure_reports):
    """The Reporting-Endpoints header that names where `report-to` sends violations, when the
    report URL is https; None otherwise."""
    return f'{REPORTING_GROUP}="{report_url}"' if secure_reports else None


def _page(url):
    """A page without its query or fragment: enough to count pages, nothing about a visitor."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
