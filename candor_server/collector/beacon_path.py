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

from sqlalchemy.exc import OperationalError
from werkzeug.wrappers import Request

from .. import rate_limit_storage
from ..storage import db
from ..web.body_framing import MalformedBody
from ..web.refusals import refuse
from ..web.security_headers import SECURITY_HEADERS
from . import beacons
from .beacon_budget import BeaconBudget

PATH = "/collect"
HANDLERS = {"POST": beacons.collect_beacon, "GET": beacons.collect_pixel}


class BeaconPath:
    """Wraps `app.wsgi_app`: install with `app.wsgi_app = BeaconPath(app)`."""

    def __init__(self, app):
        self.app = app
        self.next = app.wsgi_app
        self.budget = BeaconBudget(app.config["RATE_LIMIT_STORAGE"] or rate_limit_storage.storage_uri(app.config["DATA_DIR"]))

    def __call__(self, environ, start_response):
        handler = HANDLERS.get(environ.get("REQUEST_METHOD"))
        if environ.get("PATH_INFO") != PATH or handler is None:
            return self.next(environ, start_response)
        request = Request(environ)
        limit_headers, exceeded = self.budget.hit(self.app.config["COLLECT_RATE_LIMIT"], request.remote_addr or "")
        with self.app.app_context():
            try:
                response = beacons.rate_limited(request, exceeded) if exceeded is not None else handler(request)
            except OperationalError as error:
                response = self.app.make_response(db.storage_unavailable(error))
            except MalformedBody as error:
                response = self.app.make_response(refuse(400, error.description))
        response.headers.extend(limit_headers)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.cache_control.no_store = True  # a cached pixel would silently drop the next beacon
        return response(environ, start_response)
