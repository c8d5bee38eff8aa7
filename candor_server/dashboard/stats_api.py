"""The stats API (CONTRACT.md §6), shaped like Plausible's Stats API v1 so its clients
work: `/api/v1/stats/aggregate`, `/timeseries`, `/breakdown` and `/realtime/visitors` with `site_id`,
`period`, `date`, `metrics`, `property`, `filters`, `limit` and `page`, answered as
`{"results": ...}`. A bearer token opens its own site only; every refusal is JSON
with the reason."""

from flask import Blueprint, current_app, g, jsonify, request

from ..clock import now_ms, now_seconds
from ..retention import window_start_ms
from ..storage import db
from ..web.refusals import refuse
from . import analytics, api_tokens, properties
from .analytics import Scope
from .periods import PeriodError, first_whole_day, period_from, utc_date
from .properties import FilterError

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
BREAKDOWN_METRICS = {
    "visit": ("visitors", "visits", "pageviews", "bounce_rate", "visit_duration", "views_per_visit"),
    "event:page": ("visitors", "pageviews", "visits"),
    "event": ("visitors", "events"),
}

bp = Blueprint("stats_api", __name__, url_prefix="/api/v1/stats")


class ApiError(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@bp.errorhandler(ApiError)
def api_error(error):
    return refuse(error.status, error.reason)


@bp.before_request
def authorize():
    """The bearer token must be valid and belong to the site asked about."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "missing API token: send Authorization: Bearer <token> (create one in the dashboard)")
    with db.engine().connect() as connection:
        site = api_tokens.site_of_token(connection, token.strip())
    if site is None:
        raise ApiError(401, "invalid API token")
    asked = request.args.get("site_id")
    if not asked:
        raise ApiError(400, "site_id is required")
    if asked != site or asked not in current_app.config["SITES"]:
        raise ApiError(403, f"this token does not open site {asked!r}")
    g.api_site = site


def token_rate_limit_key():
    """Rate limits count per token (its digest), not per address."""
    header = request.headers.get("Authorization", "")
    return "api:" + api_tokens.digest(header.partition(" ")[2].strip())


def _scope():
    oldest = first_whole_day(window_start_ms(now_seconds()))
    try:
        period = period_from(request.args.get("period"), request.args.get("date"), utc_date(now_ms()), oldest)
        return Scope(g.api_site, period, properties.parse_filters(request.args.get("filters", "")))
    except (PeriodError, FilterError) as error:
        raise ApiError(400, str(error)) from None


def _metrics(default, allowed):
    metrics = tuple(m.strip() for m in request.args.get("metrics", default).split(",") if m.strip())
    unknown = [m for m in metrics if m not in allowed]
    if unknown or not metrics:
        raise ApiError(400, f"unsupported metric {', '.join(unknown) or '(none)'}: use {', '.join(allowed)}")
    return metrics


@bp.get("/aggregate")
def aggregate():
    scope = _scope()
    metrics = _metrics("visitors", analytics.METRICS)
    compare = request.args.get("compare")
    if compare not in (None, "previous_period"):
        raise ApiError(400, "compare must be previous_period")
    with db.engine().connect() as connection:
        if compare:
            found = analytics.aggregate_with_comparison(connection, scope, metrics)
            results = {m: {"value": value, "change": delta} for m, (value, _, delta) in found.items()}
        else:
            results = {m: {"value": value} for m, value in analytics.aggregate(connection, scope, metrics).items()}
    return jsonify(results=results)


@bp.get("/realtime/visitors")
def realtime_visitors():
    """Visitors active in the last 5 minutes, as a bare number (Plausible answers the same)."""
    with db.engine().connect() as connection:
        visitors, _ = analytics.realtime(connection, g.api_site, now_ms())
    return jsonify(visitors)


@bp.get("/timeseries")
def timeseries():
    scope = _scope()
    metrics = _metrics("visitors", analytics.METRICS)
    interval = request.args.get("interval")
    natural = "hour" if scope.period.days == 1 else "date"
    if interval not in (None, natural):
        raise ApiError(400, f"interval for this period is {natural}")
    with db.engine().connect() as connection:
        series = analytics.timeseries(connection, scope, metrics)
    moment_format = "%Y-%m-%d %H:%M:%S" if natural == "hour" else "%Y-%m-%d"
    return jsonify(results=[{"date": moment.strftime(moment_format), **values} for moment, values in series])


@bp.get("/breakdown")
def breakdown():
    scope = _scope()
    try:
        prop = properties.checked_property(request.args.get("property", ""))
    except FilterError as error:
        raise ApiError(400, str(error)) from None
    kind = "visit" if properties.is_visit_property(prop) else "event:page" if prop == "event:page" else "event"
    metrics = _metrics("visitors", BREAKDOWN_METRICS[kind])
    limit, page = _positive("limit", DEFAULT_LIMIT), _positive("page", 1)
    if limit > MAX_LIMIT:
        raise ApiError(400, f"limit is at most {MAX_LIMIT}")
    key = prop.rsplit(":", 1)[1]
    with db.engine().connect() as connection:
        rows = analytics.breakdown(connection, scope, prop, limit, page)
    return jsonify(results=[{key: row["value"], **{m: row[m] for m in metrics}} for row in rows])


def _positive(name, default):
    value = request.args.get(name, str(default))
    if not value.isdigit() or int(value) < 1:
        raise ApiError(400, f"{name} must be a positive whole number")
    return int(value)
