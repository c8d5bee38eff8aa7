"""Rate limits from flask-limiter, per client address, counted where every worker of the
server sees the same counters: by default a SQLite file in the data directory
(`rate_limit_storage`), or with `RATE_LIMIT_STORAGE=redis://…` Redis shared by every node. The
address is only a key in the counters for the current window, never stored otherwise or
logged. One app-wide answer says why a request was refused."""

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from . import rate_limit_storage
from .web.refusals import refuse

LOGIN_RATE_LIMIT = "10 per minute"


def init_app(app, login_view, api_bp, api_key):
    """A small budget for password guesses and one per stats API token (`API_RATE_LIMIT`,
    counted by `api_key`); answer 429 with a reason. The collector's budget
    (`COLLECT_RATE_LIMIT`, beacon and pixel together) is counted on its lean path
    (collector/beacon_budget.py), in the same storage."""
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=app.config["RATE_LIMIT_STORAGE"] or rate_limit_storage.storage_uri(app.config["DATA_DIR"]),
        key_prefix="candor",
        # Redis unreachable: each process counts alone until it is back, rather than refuse or fail.
        in_memory_fallback_enabled=True,
        headers_enabled=True,
        default_limits=[],
    )
    app.view_functions[login_view] = limiter.limit(LOGIN_RATE_LIMIT, methods=["POST"])(app.view_functions[login_view])
    limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=api_key)(api_bp)
    app.register_error_handler(429, too_many_requests)
    return limiter


def too_many_requests(error):
    """flask-limiter's own description says which limit was hit, e.g. "3 per 1 minute"."""
    counted = "for this token" if request.blueprint == "stats_api" else "from this address"
    return refuse(429, f"rate limited: more than {error.description} {counted}")
