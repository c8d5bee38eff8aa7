"""The dashboard's data-leakage section: the leakage report of a site, the Content-Security-Policy
recommended for its pages, and the publisher's "this domain is invited"."""

from flask import Blueprint, current_app, redirect, request, url_for

from ..domains import domain_name
from ..storage import db
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
    db.invite_domain(site, domain)
    next_page = request.form.get("next", "")
    local = next_page.startswith("/") and not next_page.startswith("//") and "\\" not in next_page
    return redirect(next_page if local else url_for("dashboard.dashboard_page", site=site), 303)


@bp.app_context_processor
def leakage_helpers():
    """`leakage_for(site)` in every template: what dashboard/leakage_report.html shows."""
    return {"leakage_for": leakage_for}


def leakage_for(site):
    """A site's leakage report: leaking domains, CSP violations and the recommended policy."""
    invited = invited_domains(site)
    return {
        "site": site,
        "domains": leak_report.leaking_domains(db.leak_requests(site), invited),
        "violations": db.csp_violation_summary(site),
        "invited": invited,
        "policy": site_policy(site, invited),
        "reporting_endpoints": leak_report.reporting_endpoints(report_url(site)),
    }


def invited_domains(site):
    """The sites file's allowedDomains of `site` and the domains its publisher marked invited."""
    return [*current_app.config["SITES"][site].get("allowedDomains", []), *db.invited_domains(site)]


def site_policy(site, invited):
    """The recommended policy of `site`: its own origins, this collector, `invited`."""
    own = request.host_url.rstrip("/")
    origins = [own if origin == "self" else origin
               for origin in current_app.config["SITES"][site]["origins"]]
    return leak_report.recommended_policy([o for o in origins if o != own], own, invited, report_url(site))


def report_url(site):
    """Where a site's browsers send violations: the site is in the query, as policies are per site."""
    return url_for("csp_endpoint.csp_report", site=site, _external=True)
