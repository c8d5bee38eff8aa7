"""A demo page that really leaks: an uninvited pixel and script on a second host name of
this same server, and the demo publisher's pages served under the recommended policy when
`CANDOR_CSP_MODE` (or `/leaky?csp=`) asks for it."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, render_template, request, send_from_directory

from candor_server.dashboard import leak_report
from candor_server.dashboard.leakage import invited_domains, report_url, secure_reports, site_policy
from candor_server.settings import CSP_MODES
from candor_server.web.security_headers import own_content_security_policy

CSP_HEADERS = {"report": "Content-Security-Policy-Report-Only", "enforce": "Content-Security-Policy"}
DEMO_SITE = "demo"
POLICED_ENDPOINT_PREFIXES = ("publisher.", "leaky.leaky_page")
"""The demo publisher's pages: the only responses the CSP setting applies to."""
THIRD_PARTY_FILES = {"spy.js": "text/javascript", "px.gif": "image/gif"}
THIRD_PARTY_FOLDER = "static/thirdparty"

bp = Blueprint("leaky", __name__, template_folder="templates")


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
    response = send_from_directory(f"{bp.root_path}/{THIRD_PARTY_FOLDER}", name, mimetype=THIRD_PARTY_FILES[name])
    response.cache_control.no_store = True
    return response


@bp.after_app_request
def apply_csp(response):
    """Serve the demo publisher's pages under the demo site's recommended policy, when asked."""
    mode = _csp_mode()
    if mode == "off" or not (request.endpoint or "").startswith(POLICED_ENDPOINT_PREFIXES) or DEMO_SITE not in current_app.config["SITES"]:
        return response
    response.headers[CSP_HEADERS[mode]] = site_policy(DEMO_SITE, invited_domains(DEMO_SITE))
    endpoints = leak_report.reporting_endpoints(report_url(DEMO_SITE), secure_reports(DEMO_SITE))
    if endpoints:
        response.headers["Reporting-Endpoints"] = endpoints
    return response


def _csp_mode():
    """The CSP mode of this response: the /leaky page's ?csp= wins over CANDOR_CSP_MODE."""
    return g.get("csp_mode", current_app.config["CSP_MODE"])
