"""Rate limits from flask-limiter, per client address, counted in this process's memory or,
with `RATE_LIMIT_STORAGE=redis://…`, in Redis shared by every node: the address is only a
key in the counters for the current window, never stored or logged. One app-wide answer
says why a request was refused. The collector's own budget is counted on its lean path
(collector/beacon_budget.py), in the same storage."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from .web.refusals import refuse

LOGIN_RATE_LIMIT = "10 per minute"


def init_app(app, login_view):
    """A small budget for password guesses; answer 429 with a reason."""
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=app.config["RATE_LIMIT_STORAGE"],
        key_prefix="candor",
        # Redis unreachable: each process counts alone until it is back, rather than refuse or fail.
        in_memory_fallback_enabled=True,
        headers_enabled=True,
        default_limits=[],
    )
    app.view_functions[login_view] = limiter.limit(LOGIN_RATE_LIMIT, methods=["POST"])(
        app.view_functions[login_view]
    )
    app.register_error_handler(429, too_many_requests)
    return limiter


def too_many_requests(error):
    """flask-limiter's own description says which limit was hit, e.g. "3 per 1 minute"."""
    return refuse(429, f"rate limited: more than {error.description} from this address")
