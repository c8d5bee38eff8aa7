"""The publisher's dashboard (login required): top metrics against the previous
period, visitors and page views over the chosen range, breakdowns whose rows add a
filter when clicked, custom events and their props, goals with conversion rates, a
funnel, realtime visitors, CSV exports, and how many visitors chose not to be counted.
Everything is server-rendered from the URL (`period`, `date`, `filters`, `funnel`),
so a view can be bookmarked and the page runs no script."""

import csv
import io

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from ..clock import now_ms, now_seconds
from ..retention import RETENTION_DAYS, window_start_ms
from ..storage import db
from ..web.caching import private
from ..web.same_origin import same_origin_only
from . import analytics, api_tokens, goals, properties
from .analytics import Scope
from .auth import allowed_sites, login_required
from .charts import traffic_svg
from .periods import PeriodError, first_whole_day, period_from, utc_date
from .properties import FilterError
from .scrub_alerts import ALERT_DAYS, scrub_alerts

TOP_ROWS = 10
EXPORT_ROWS = 1000
# Cards of breakdown tabs, as Plausible lays them out: (card, [(tab heading, property)]).
# One tab per card is shown (the first unless the URL names another), so a page view
# costs four breakdown queries, not eighteen; each row links to the filter it names.
CARDS = (
    (
        "sources",
        (
            ("Sources", "visit:source"),
            ("Channels", "visit:channel"),
            ("Search terms", "visit:search_terms"),
            ("UTM sources", "visit:utm_source"),
            ("UTM mediums", "visit:utm_medium"),
            ("UTM campaigns", "visit:utm_campaign"),
            ("UTM terms", "visit:utm_term"),
            ("UTM contents", "visit:utm_content"),
        ),
    ),
    ("pages", (("Pages", "event:page"), ("Entry pages", "visit:entry_page"), ("Exit pages", "visit:exit_page"))),
    ("locations", (("Countries", "visit:country"), ("Languages", "visit:language"))),
    (
        "devices",
        (
            ("Browsers", "visit:browser"),
            ("Operating systems", "visit:os"),
            ("Device types", "visit:device_type"),
            ("Screen sizes", "visit:device"),
        ),
    ),
    ("events", (("Custom events", "event:name"),)),
)
HEADINGS = {prop: heading for _, tabs in CARDS for heading, prop in tabs}
METRIC_LABELS = (
    ("visitors", "Unique visitors"),
    ("visits", "Visits"),
    ("pageviews", "Page views"),
    ("views_per_visit", "Views per visit"),
    ("bounce_rate", "Bounce rate"),
    ("visit_duration", "Visit duration"),
)
PERIOD_LINKS = (("day", "Today"), ("yesterday", "Yesterday"), ("7d", "Last 7 days"), ("30d", "Last 30 days"), ("90d", "Last 90 days"))

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates")


class View:
    """The dashboard state a URL names: site, period, filters and funnel steps."""

    def __init__(self, args):
        sites = allowed_sites()
        site = args.get("site") or (sites[0] if sites else None)
        if site is None or site not in sites:
            abort(404)
        self.site: str = site
        period, date = args.get("period"), args.get("date")
        if period == "custom" and args.get("from") and args.get("to"):
            date = f"{args['from']},{args['to']}"
        self.period = period_from(period, date, utc_date(now_ms()), oldest_day())
        self.filters = properties.parse_filters(args.get("filters", ""))
        self.funnel = _funnel_steps(args.get("funnel", ""))
        self.tabs = {card: args.get(card) if args.get(card) in {prop for _, prop in tabs} else tabs[0][1] for card, tabs in CARDS}
        self.scope = Scope(self.site, self.period, self.filters)

    def params(self, **changes):
        """Query parameters naming this view, with `changes` applied."""
        period, date = self.period.query_value()
        params = {
            "site": self.site,
            "period": period,
            "date": date,
            "filters": properties.filters_text(self.filters),
            "funnel": ",".join(f"{step.kind}:{step.value}" for step in self.funnel),
            **{card: prop for card, prop in self.tabs.items() if prop != dict(CARDS)[card][0][1]},
        }
        params.update(changes)
        return {key: value for key, value in params.items() if value}

    def url(self, endpoint="dashboard.dashboard_page", **changes):
        return url_for(endpoint, **self.params(**changes))

    def filter_url(self, prop, value):
        return self.url(filters=properties.filters_text(properties.with_filter(self.filters, prop, value)))

    def unfilter_url(self, prop):
        return self.url(filters=properties.filters_text(properties.without_filter(self.filters, prop)))


def oldest_day():
    return first_whole_day(window_start_ms(now_seconds()))


def _funnel_steps(text):
    """`page:/pricing,page:/signup,event:signup` as Goals (up to four)."""
    steps = []
    for part in filter(None, text.split(",")):
        kind, _, value = part.partition(":")
        steps.append(goals.checked_goal(kind, value))
    if len(steps) > analytics.MAX_FUNNEL_STEPS:
        raise goals.GoalError(f"a funnel has at most {analytics.MAX_FUNNEL_STEPS} steps")
    return tuple(steps)


def _view():
    try:
        return View(request.args)
    except (PeriodError, FilterError, goals.GoalError) as error:
        abort(400, str(error))


@bp.errorhandler(400)
def bad_view(error):
    return render_template("dashboard/bad_view.html", reason=error.description), 400


@bp.get("")
@login_required
def dashboard_page():
    view = _view()
    with db.engine().connect() as connection:
        top = analytics.aggregate_with_comparison(connection, view.scope, [metric for metric, _ in METRIC_LABELS])
        total = top["visitors"][0]
        panels = [
            (
                card,
                tabs,
                view.tabs[card],
                analytics.with_shares(analytics.breakdown(connection, view.scope, view.tabs[card], TOP_ROWS), total),
            )
            for card, tabs in CARDS
        ]
        props_panels = []
        if any(f.prop == "event:name" and not f.negated for f in view.filters):
            for key in analytics.prop_keys(connection, view.scope):
                prop = properties.PROPS_PREFIX + key
                rows = analytics.breakdown(connection, view.scope, prop, TOP_ROWS)
                props_panels.append((f"props:{key}", ((f"Property {key}", prop),), prop, analytics.with_shares(rows, total)))
        site_goals = goals.goals_of(connection, view.site)
        conversions = analytics.conversions(connection, view.scope, site_goals, total)
        funnel = analytics.funnel(connection, view.scope, view.funnel) if view.funnel else []
        realtime = analytics.realtime(connection, view.site, now_ms())
        tokens = api_tokens.tokens_of(connection, view.site)
    return private(
        render_template(
            "dashboard/dashboard.html",
            view=view,
            sites=allowed_sites(),
            top=top,
            metric_labels=METRIC_LABELS,
            panels=panels + props_panels,
            conversions=conversions,
            funnel=funnel,
            realtime=realtime,
            tokens=tokens,
            period_links=PERIOD_LINKS,
            oldest=oldest_day(),
            optout_totals=db.optout_totals(view.site, view.period.first.isoformat()),
            beacons=beacon_report(view.site),
            scrub_alerts=scrub_alerts(view.site, now_seconds()),
            alert_days=ALERT_DAYS,
            beacons_naming_no_site=beacon_report("") if len(allowed_sites()) == len(current_app.config["SITES"]) else [],
            retention_days=RETENTION_DAYS,
            filter_labels=HEADINGS,
        )
    )


@bp.get("/traffic.svg")
@login_required
def traffic_chart():
    """Visitors and page views over the view's range, hourly for one day."""
    view = _view()
    with db.engine().connect() as connection:
        series = analytics.timeseries(connection, view.scope, ("visitors", "pageviews"))
    response = private(traffic_svg(series, hourly=view.period.days == 1))
    response.mimetype = "image/svg+xml"
    return response


@bp.get("/export/<panel>.csv")
@login_required
def export_panel(panel):
    """One panel for the view's range and filters as CSV: `visitors`, `timeseries`,
    `goals`, `funnel` or a breakdown property such as `visit:source`."""
    view = _view()
    with db.engine().connect() as connection:
        if panel == "timeseries":
            series = analytics.timeseries(connection, view.scope, analytics.METRICS)
            header = ["date", *analytics.METRICS]
            rows = [[moment.isoformat(), *(values[m] for m in analytics.METRICS)] for moment, values in series]
        elif panel == "goals":
            header = ["goal", "visitors", "events", "conversion_rate"]
            rows = [
                [c["goal"].label(), c["visitors"], c["events"], c["conversion_rate"]]
                for c in analytics.conversions(connection, view.scope, goals.goals_of(connection, view.site))
            ]
        elif panel == "funnel":
            header = ["step", "visits"]
            rows = [[step.label(), count] for step, count in analytics.funnel(connection, view.scope, view.funnel)] if view.funnel else []
        else:
            try:
                prop = properties.checked_property(panel)
            except FilterError as error:
                abort(400, str(error))
            total = analytics.aggregate(connection, view.scope, ("visitors",))["visitors"]
            found = analytics.with_shares(analytics.breakdown(connection, view.scope, prop, EXPORT_ROWS), total)
            header = list(found[0]) if found else ["value", "visitors", "share"]
            rows = [[row[column] for column in header] for row in found]
    response = private(_csv(header, rows))
    response.mimetype = "text/csv"
    filename = panel.replace(":", "-")
    response.headers["Content-Disposition"] = f'attachment; filename="{view.site}-{filename}.csv"'
    return response


def _csv(header, rows):
    """CSV text; a cell that a spreadsheet would run as a formula is written as text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["'" + cell if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@") else cell for cell in row])
    return out.getvalue()


@bp.post("/goals")
@login_required
@same_origin_only
def add_goal():
    view, goal = _view(), _posted_goal()
    try:
        with db.engine().connect() as connection:
            goals.add_goal(connection, view.site, goal)
    except goals.GoalError as error:
        abort(400, str(error))
    return redirect(view.url(), 303)


@bp.post("/goals/delete")
@login_required
@same_origin_only
def delete_goal():
    view, goal = _view(), _posted_goal()
    with db.engine().connect() as connection:
        goals.remove_goal(connection, view.site, goal)
    return redirect(view.url(), 303)


def _posted_goal():
    try:
        return goals.checked_goal(request.form.get("kind"), request.form.get("value"))
    except goals.GoalError as error:
        abort(400, str(error))


@bp.post("/tokens")
@login_required
@same_origin_only
def create_token():
    """A new stats API token for the site, shown this once: only its hash is kept."""
    view = _view()
    try:
        with db.engine().connect() as connection:
            token = api_tokens.create_token(connection, view.site, request.form.get("name"), now_ms())
    except api_tokens.TokenError as error:
        abort(400, str(error))
    return private(render_template("dashboard/new_token.html", view=view, token=token, public_url=request.host_url.rstrip("/"))), 201


@bp.post("/tokens/delete")
@login_required
@same_origin_only
def delete_token():
    view = _view()
    token_id = request.form.get("id", "")
    if not token_id.isdigit():
        abort(400, "which token? (id)")
    with db.engine().connect() as connection:
        api_tokens.revoke_token(connection, view.site, int(token_id))
    return redirect(view.url(), 303)


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
        with db.engine().connect() as connection:
            since = [int((now - hours * 3600) * 1000) for hours in WINDOWS_HOURS]
            accepted = [analytics.events_accepted(connection, site, moment, int(now * 1000)) for moment in since]
        rows.insert(0, ("events accepted", *accepted))
    return rows
