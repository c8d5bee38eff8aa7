"""The publisher's dashboard (login required): traffic over the retention
window, top pages, where visits came from, browsers, and how many visitors
chose not to be counted. Only data younger than 90 days is ever read."""

from flask import Blueprint, abort, current_app, render_template, request

from ..clock import DAY_SECONDS, now_seconds, utc_day
from ..retention import RETENTION_DAYS, window_start_ms
from ..storage import db
from ..web.caching import private
from .auth import login_required
from .charts import page_views_svg, top_values_svg
from .scrub_alerts import ALERT_DAYS, scrub_alerts

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
            scrub_alerts=scrub_alerts(site, now_seconds()),
            alert_days=ALERT_DAYS,
            beacons=beacon_report(site),
            beacons_naming_no_site=beacon_report(""),
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


REFUSAL_LABELS = {
    "unknown_site": "unknown site",
    "origin": "origin not allowed",
    "schema": "not the wire format",
    "size": "over 32 KiB",
    "rate_limit": "rate limited",
}
WINDOWS_HOURS = (24, 7 * 24)


def beacon_report(site):
    """Rows (what, count in the last 24 hours, count in the last 7 days): the events accepted
    for `site`, then its refused beacons by reason and detail; for site '' only refusals
    (beacons that named no configured site)."""
    now = now_seconds()
    counts: dict[str, list[int]] = {}
    for column, hours in enumerate(WINDOWS_HOURS):
        for reason, detail, count in db.refusal_counts(site, int(now // 3600) - hours + 1):
            label = REFUSAL_LABELS[reason] + (f": {detail}" if detail else "")
            counts.setdefault(label, [0, 0])[column] = count
    rows = [(label, *columns) for label, columns in sorted(counts.items(), key=lambda item: -item[1][1])]
    if site:
        accepted = [db.events_received(site, (now - hours * 3600) * 1000) for hours in WINDOWS_HOURS]
        rows.insert(0, ("events accepted", *accepted))
    return rows


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
