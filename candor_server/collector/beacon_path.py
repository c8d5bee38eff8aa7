"""The lean path for /collect: a WSGI layer in front of the Flask app that answers the tag's
beacons (POST) and pixels (GET) itself, because they are nearly every request a collector
serves. Profiled under load, Flask's per-request machinery (context, session, URL matching,
after-request hooks) and flask-limiter's cost more than the beacon's own work.

Exactly as strict as a Flask view would be: the same checks in the same order (beacons.py),
the same rate limit (`COLLECT_RATE_LIMIT` per client address, fixed windows, in this process
or in Redis as `RATE_LIMIT_STORAGE` says: beacon_budget.py; beacon and pixel share one budget,
and refused beacons count), the same 503 while the database is unreachable, the same headers
(no-store, the security headers, X-RateLimit-*, Retry-After on 429) and 4xx answers with the
reason in JSON. Every other request, and /collect with any other method, goes to Flask.
"""
import json

from sqlalchemy.exc import OperationalError
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Request

from ..web.security_headers import SECURITY_HEADERS
from . import beacons
from .beacon_budget import BeaconBudget

PATH = "/collect"
HANDLERS = {"POST": beacons.collect_beacon, "GET": beacons.collect_pixel}
FIXED_HEADERS = [*SECURITY_HEADERS.items(), ("Cache-Control", "no-store")]


def refusal(refused):
    """(status, body, headers) of a 4xx or 503: the reason in JSON, as `web.refusals.refuse` says it."""
    body = (json.dumps({"error": refused.reason}) + "\n").encode("utf-8")
    return refused.status, body, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]


class BeaconPath:
    """Wraps `app.wsgi_app`: install with `app.wsgi_app = BeaconPath(app)`."""

    def __init__(self, app):
        self.app = app
        self.next = app.wsgi_app
        self.budget = BeaconBudget(app.config["RATE_LIMIT_STORAGE"])

    def __call__(self, environ, start_response):
        handler = HANDLERS.get(environ.get("REQUEST_METHOD"))
        if environ.get("PATH_INFO") != PATH or handler is None:
            return self.next(environ, start_response)
        request = Request(environ)
        config = self.app.config
        limit_headers, exceeded = self.budget.hit(config["COLLECT_RATE_LIMIT"], request.remote_addr or "")
        body = b""
        try:
            if exceeded is not None:
                raise beacons.Refused(429, f"rate limited: more than {exceeded} from this address")
            with self.app.app_context():
                headers = list(handler(request, config).items())
            status = 204
        except OperationalError as error:
            # The database is unreachable or has just restarted: a 503 the client may retry.
            self.app.logger.warning("storage unavailable: %s", error.orig)
            status, body, headers = refusal(beacons.Refused(503, "storage unavailable: retry later"))
        except beacons.Refused as refused:
            status, body, headers = refusal(refused)
        start_response(f"{status} {HTTP_STATUS_CODES[status]}", [*headers, *limit_headers, *FIXED_HEADERS])
        return [body]
