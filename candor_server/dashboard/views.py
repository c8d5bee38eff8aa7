"""The publisher's dashboard (login required): traffic over the retention
window, top pages, where visits came from, browsers, and how many visitors
chose not to be counted. Only data younger than 90 days is ever read."""

from flask import Blueprint, abort, current_app, render_template, request

from ..storage import db
from .charts import page_views_svg, top_values_svg
from ..clock import DAY_SECONDS, now_seconds, utc_day
from .auth import login_required
from ..web.caching import private
from ..retention import RETENTION_DAYS, window_start_ms

TOP_ROWS = 10
# (heading, column counted) for each "top" table, in the order shown.
BREAKDOWNS = (
    ("Top pages", "url"),
    ("Referrer types", "ref_type"),
    ("Search engines", "ref_source"),
    ("Search terms", "ref_terms"),
    ("Browsers", "browser"),
)

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates")


@bp.get("")
@login_required
def dashboard_page():
    site = chosen_site()
    since = window_start_ms(now_seconds())
    tables = [
        (heading, db.page_view_counts(site, since, column, TOP_ROWS, **_search_only(column)))
        for heading, column in BREAKDOWNS
    ]
    return private(
        render_template(
            "dashboard/dashboard.html",
            site=site,
            sites=sorted(current_app.config["SITES"]),
            tables=tables,
            total_page_views=sum(count for _, count in db.page_views_per_day(site, since)),
            optout_totals=db.optout_totals(utc_day(since / 1000)),
            retention_days=RETENTION_DAYS,
        )
    )


@bp.get("/page-views.svg")
@login_required
def page_views_chart():
    site = chosen_site()
    now = now_seconds()
    first_day = utc_day(now - (RETENTION_DAYS - 1) * DAY_SECONDS)
    counts = dict(db.page_views_per_day(site, window_start_ms(now)))
    return _svg(page_views_svg(counts, first_day, utc_day(now)))


@bp.get("/top-pages.svg")
@login_required
def top_pages_chart():
    rows = db.page_view_counts(chosen_site(), window_start_ms(now_seconds()), "url", TOP_ROWS)
    return _svg(top_values_svg(rows, "Top pages"))


def _svg(svg):
    response = private(svg)
    response.mimetype = "image/svg+xml"
    return response


def chosen_site():
    """The `site` query parameter if it names a configured site, else the first one."""
    sites = current_app.config["SITES"]
    site = request.args.get("site") or min(sites, default=None)
    if site not in sites:
        abort(404)
    return site


def _search_only(column):
    """Engines and terms are counted among search referrals only (a social
    network's name is also a `ref_source`)."""
    return {"ref_type": "search"} if column in ("ref_source", "ref_terms") else {}
