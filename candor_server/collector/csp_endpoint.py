"""`POST /csp-report`: the Content-Security-Policy violations browsers send under a site's
recommended policy, stored for the leakage report beside what the tag saw."""

from flask import Blueprint, current_app, request

from ..storage import db
from ..web.refusals import bounded_body, refuse, too_large
from . import csp_reports

bp = Blueprint("csp_endpoint", __name__)


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
