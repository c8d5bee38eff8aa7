"""The dashboard's data-leakage section: the leakage report of a site, the Content-Security-Policy
recommended for its pages, and the publisher's "this domain is invited"."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, url_for

from ..clock import now_seconds
from ..domains import domain_name
from ..retention import window_start_ms
from ..sites import SELF
from ..storage import db
from ..web.redirects import UnsafeRedirect, same_site_path
from ..web.refusals import refuse
from ..web.same_origin import same_origin_only
from . import leak_report
from .auth import allowed_sites, login_required

bp = Blueprint("leakage", __name__)


@bp.post("/leakage/invite")
@same_origin_only
@login_required
def invite():
    """The publisher marks a reported domain as invited (the dashboard's leakage section)."""
    site = request.form.get("site", "")
    if site not in allowed_sites():
        return refuse(400, f"unknown site {site!r}")
    domain = domain_name(request.form.get("domain"))
    if domain is None:
        return refuse(400, "domain: expected a host name such as cdn.example.com")
    try:
        next_page = same_site_path(request.form.get("next", ""))
    except UnsafeRedirect as error:
        return refuse(400, str(error))
    db.invite_domain(site, domain)
    return redirect(next_page or url_for("dashboard.dashboard_page", site=site), 303)


@bp.app_context_processor
def leakage_helpers():
    """`leakage_for(site)` in every template: what dashboard/leakage_report.html shows."""
    return {"leakage_for": leakage_for}


def leakage_for(site):
    """A site's leakage report: leaking domains, CSP violations and the recommended policy,
    from reports received within the retention window only."""
    invited = invited_domains(site)
    since = window_start_ms(now_seconds())
    return {
        "site": site,
        "domains": leak_report.leaking_domains(db.leak_requests(site, since), invited),
        "violations": db.csp_violation_summary(site, since),
        "invited": invited,
        "policy": site_policy(site, invited),
        "reporting_endpoints": leak_report.reporting_endpoints(report_url(site), secure_reports(site)),
    }


def invited_domains(site):
    """The sites file's allowedDomains of `site` and the domains its publisher marked invited."""
    return [*current_app.config["SITES"][site].get("allowedDomains", []), *db.invited_domains(site)]


def site_policy(site, invited):
    """The recommended policy of `site`: its own origins, the collector, `invited`."""
    own_origins = [origin for origin in current_app.config["SITES"][site]["origins"] if origin != SELF]
    return leak_report.recommended_policy(own_origins, collector_source(), invited, report_url(site), secure_reports(site))


def collector_source():
    """The collector in a policy: the origin of `CANDOR_PUBLIC_URL`, never the Host this page
    was asked for; unset, `'self'` (the collector shares the pages' origin: the demo, or a
    first-party path)."""
    public_url = current_app.config["PUBLIC_URL"]
    if public_url is None:
        return "'self'"
    parts = urlsplit(public_url)
    return f"{parts.scheme}://{parts.netloc}"


def report_url(site):
    """Where a site's browsers send violations (the site is in the query, as policies are per
    site): under `CANDOR_PUBLIC_URL`, or on the pages' own origin when it is unset."""
    path = url_for("csp_endpoint.csp_report", site=site)[len(request.script_root) :]
    return (current_app.config["PUBLIC_URL"] or request.script_root) + path


def secure_reports(site):
    """Whether browsers would deliver Reporting API reports to the report URL: https, or a path
    on a page served over https (a proxy's `X-Forwarded-Proto` counts when trusted)."""
    url = report_url(site)
    return url.startswith("https://") or (url.startswith("/") and request.scheme == "https")
