"""Data leakage, server side: CSP violation reports in, the leakage report and recommended
policy out (for the dashboard's partial), the publisher's "this domain is invited", and a
demo page that really leaks to a second host name served by this same server.
"""

import os
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, g, redirect, render_template, request,
                   send_from_directory, url_for)

from . import csp_reports, db, leak_report
from .dashboard_auth import login_required
from .same_origin import same_origin_only
from .refusals import bounded_body, refuse, too_large
from .security_headers import own_content_security_policy

CSP_MODES = ("off", "report", "enforce")
CSP_HEADERS = {"report": "Content-Security-Policy-Report-Only", "enforce": "Content-Security-Policy"}
DEMO_SITE = "demo"
POLICED_ENDPOINT_PREFIXES = ("publisher.", "leakage.leaky_page")
"""The demo publisher's pages: the only responses the CSP setting applies to."""
THIRD_PARTY_FILES = {"spy.js": "text/javascript", "px.gif": "image/gif"}
THIRD_PARTY_FOLDER = "thirdparty"

bp = Blueprint("leakage", __name__)


@bp.record_once
def read_csp_mode(state):
    """CANDOR_CSP_MODE (off, report or enforce; default off) unless the app's config set CSP_MODE."""
    config = state.app.config
    mode = config.setdefault("CSP_MODE", os.environ.get("CANDOR_CSP_MODE") or "off")
    if mode not in CSP_MODES:
        raise ValueError(f"CANDOR_CSP_MODE must be one of {', '.join(CSP_MODES)}, got {mode!r}")


@bp.post("/csp-report")
def csp_report():
    """Violation reports from browsers, for the site named in the query (the policy's report URL)."""
    site = request.args.get("site", "")
    if site not in current_app.config["SITES"]:
        return refuse(403 if site else 400, f"unknown site {site!r}" if site else "site: required in the query")
    body = bounded_body(csp_reports.MAX_BODY_BYTES)
    if body is None:
        return too_large(csp_reports.MAX_BODY_BYTES)
    try:
        violations = csp_reports.parse_violations(request.mimetype, body)
    except csp_reports.ReportError as error:
        return refuse(400, str(error))
    if violations:
        db.store_csp_violations(site, violations)
    return current_app.response_class(status=204)


@bp.get("/leaky")
@own_content_security_policy
def leaky_page():
    """A publisher page with an uninvited pixel and script on a second host name of this server
    (`localhost` for a page on 127.0.0.1, and the other way round). `?csp=report|enforce|off`
    serves it under the site's recommended policy whatever CANDOR_CSP_MODE says."""
    mode = request.args.get("csp")
    if mode is not None:
        if mode not in CSP_MODES:
            abort(400, f"csp: expected one of {', '.join(CSP_MODES)}")
        g.csp_mode = mode
    own = urlsplit(request.host_url)
    host = "127.0.0.1" if own.hostname == "localhost" else "localhost"
    third_party = f"{own.scheme}://{host}" + (f":{own.port}" if own.port else "")
    return render_template("leaky.html", third_party=third_party, csp_mode=_csp_mode())


@bp.get("/thirdparty/<any('spy.js', 'px.gif'):name>")
def third_party_file(name):
    """The demo's "tracker": a script that skims the page and a pixel it reports to."""
    response = send_from_directory(os.path.join(bp.root_path, "static", THIRD_PARTY_FOLDER), name,
                                   mimetype=THIRD_PARTY_FILES[name])
    response.cache_control.no_store = True
    return response


@bp.post("/leakage/invite")
@same_origin_only
@login_required
def invite():
    """The publisher marks a reported domain as invited (the dashboard's leakage section)."""
    site = request.form.get("site", "")
    if site not in current_app.config["SITES"]:
        return refuse(400, f"unknown site {site!r}")
    domain = leak_report.domain_name(request.form.get("domain"))
    if domain is None:
        return refuse(400, "domain: expected a host name such as cdn.example.com")
    db.invite_domain(site, domain)
    next_page = request.form.get("next", "")
    local = next_page.startswith("/") and not next_page.startswith("//") and "\\" not in next_page
    return redirect(next_page if local else url_for("publisher.front_page"), 303)


@bp.app_context_processor
def leakage_helpers():
    """`leakage_for(site)` in every template: what templates/leakage_report.html shows."""
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
    return url_for("leakage.csp_report", site=site, _external=True)


@bp.after_app_request
def apply_csp(response):
    """Serve the demo publisher's pages under the demo site's recommended policy, when asked."""
    mode = _csp_mode()
    if mode == "off" or not (request.endpoint or "").startswith(POLICED_ENDPOINT_PREFIXES) \
            or DEMO_SITE not in current_app.config["SITES"]:
        return response
    response.headers[CSP_HEADERS[mode]] = site_policy(DEMO_SITE, invited_domains(DEMO_SITE))
    endpoints = leak_report.reporting_endpoints(report_url(DEMO_SITE))
    if endpoints:
        response.headers["Reporting-Endpoints"] = endpoints
    return response


def _csp_mode():
    """The CSP mode of this response: the /leaky page's ?csp= wins over CANDOR_CSP_MODE."""
    return g.get("csp_mode", current_app.config["CSP_MODE"])
