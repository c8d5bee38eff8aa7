"""The numbers behind the dashboard and the stats API, from stored visits and events
(keyed by the tag's random visitor id, never an IP address): read from the rollups
(rollups.py) when no filter applies, from visit columns (filtered.py) under filters, for
breakdowns by props and for every funnel and hourly chart, and from the raw tables for
realtime.

Definitions, the same everywhere (visitors are counted by `visitor`, an integer key of
the visitor id, see candor_server/collector/visits.py):
- a visit counts in a period when it started in it, an event when it was received in it;
- visitors are distinct visitor ids; a bounce is a visit of one page view or event;
- visit duration is from a visit's first event to its last, in seconds;
- filters on visits (source, country...) keep the visits that match; filters on
  events (page, event name, props) keep the matching events and the visits that
  contain one. Page views and events count the matching events only;
- unique visitors read from rollups (unfiltered views) are exact up to 512 per row and
  estimated beyond (visitor_sketches.py); every other number is exact.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import distinct, func, select

from ..collector.visits import COUNTED_TYPES
from ..storage import db, tables
from . import filtered, rollups
from .periods import DAY_MS, day_start_ms
from .properties import PROPS_PREFIX, is_visit_property

E, V = tables.event, tables.visit
VISIT_METRICS = ("visitors", "visits", "bounce_rate", "visit_duration", "views_per_visit")
EVENT_METRICS = ("pageviews", "events")
METRICS = VISIT_METRICS + EVENT_METRICS
REALTIME_MS = 5 * 60 * 1000
MAX_FUNNEL_STEPS = 4


@dataclass(frozen=True)
class Scope:
    """What one question is about: a site, a period (see periods.py) and filters."""

    site: str
    period: object
    filters: tuple = ()

    def shifted(self, period):
        return Scope(self.site, period, self.filters)


@dataclass(frozen=True)
class Goal:
    """A conversion: a page view whose path matches `value` (`*` wildcards), or a
    custom event named `value`."""

    kind: str  # page or event
    value: str

    def label(self):
        return f"Visit {self.value}" if self.kind == "page" else self.value


# Aggregates


def _visit_metrics(row, page_views):
    visits = row.visits
    return {
        "visitors": row.visitors,
        "visits": visits,
        "bounce_rate": round(100 * row.bounces / visits) if visits else 0,
        "visit_duration": round(row.duration_ms / visits / 1000) if visits else 0,
        "views_per_visit": round(page_views / visits, 2) if visits else 0,
    }


def aggregate(connection, scope, metrics=METRICS):
    """{metric: value} for the scope: visitors, visits, pageviews, views_per_visit,
    bounce_rate (%), visit_duration (s), events (custom events)."""
    counts = filtered.whole_site(connection, scope) if scope.filters else rollups.whole_site(connection, scope.site, scope.period)
    result = {"pageviews": counts.page_views, "events": counts.events, **_visit_metrics(counts, counts.page_views)}
    return {metric: result[metric] for metric in metrics}


def change(current, previous):
    """Percent change against the previous period, None when there is nothing to compare."""
    if not previous:
        return None
    return round(100 * (current - previous) / previous)


def aggregate_with_comparison(connection, scope, metrics=METRICS):
    """{metric: (value, previous period's value, change in %)}."""
    now = aggregate(connection, scope, metrics)
    before = aggregate(connection, scope.shifted(scope.period.previous()), metrics)
    return {metric: (now[metric], before[metric], change(now[metric], before[metric])) for metric in metrics}


# Over time


def first_data_ms(connection, site):
    """When the site's first stored visit started, or None."""
    return connection.execute(select(func.min(V.c.started_at)).where(V.c.site == site)).scalar_one()


def timeseries(connection, scope, metrics=("visitors", "pageviews")):
    """[(bucket start as a UTC datetime, {metric: value})], hourly for one day and daily
    otherwise, with zeros where nothing happened, from the first bucket holding data
    of the site (no empty weeks before a site's first visit)."""
    interval = scope.period.interval_ms
    if interval == DAY_MS and not scope.filters:
        buckets = {day_start_ms(day) // DAY_MS: counts for day, counts in rollups.per_day(connection, scope.site, scope.period).items()}
    else:
        buckets = filtered.per_bucket(connection, scope, interval)
    start = scope.period.start_ms // interval
    first = first_data_ms(connection, scope.site)
    if first is not None:
        start = max(start, first // interval)
    series = []
    for bucket in range(start, scope.period.end_ms // interval):
        counts = buckets.get(bucket)
        values = {"pageviews": counts.page_views if counts else 0, "events": counts.events if counts else 0}
        if counts is not None:
            values.update(_visit_metrics(counts, values["pageviews"]))
        else:
            values.update({metric: 0 for metric in VISIT_METRICS})
        series.append((datetime.fromtimestamp(bucket * interval / 1000, UTC), {metric: values[metric] for metric in metrics}))
    return series


# Breakdowns


ROLLED_CANDIDATES = 3
"""A rolled breakdown counts the visitors of this many times the values it shows, those with
the most visits (page views, events), then ranks them by visitors."""


def breakdown(connection, scope, prop, limit=10, page=1):
    """Top values of a property: [{"value", "visitors", ...}] most visitors first.
    Visit properties add visits, pageviews, bounce_rate and visit_duration; pages add
    pageviews and visits; event names and props add events. Read from the rollups unfiltered,
    from visit columns (filtered.py) under filters and for props."""
    offset = (page - 1) * limit
    found = _by_value(connection, scope, prop, top=ROLLED_CANDIDATES * (offset + limit) + 10)
    if prop == "event:page":
        rows = [{"value": v, "visitors": c.visitors, "pageviews": c.page_views, "visits": c.visits} for v, c in found.items()]
        rank = "pageviews"
    elif is_visit_property(prop):
        rows = [{"value": v, **_visit_metrics(c, c.page_views), "pageviews": c.page_views} for v, c in found.items()]
        rank = "visits"
    else:
        rows = [{"value": v, "visitors": c.visitors, "events": c.events} for v, c in found.items()]
        rank = "events"
    rows.sort(key=lambda row: (-row["visitors"], -row[rank], row["value"]))
    return rows[offset : offset + limit]


def _by_value(connection, scope, prop, top=None):
    """{value: Counts} of a property: from visit columns under filters and for props (which the
    rollups do not hold), from the rollups otherwise (`top` as in rollups.by_value)."""
    if scope.filters or prop.startswith(PROPS_PREFIX):
        return filtered.by_value(connection, scope, prop)
    return rollups.by_value(connection, scope.site, scope.period, prop, top)


def with_shares(rows, total_visitors):
    """Each row with its share of all visitors in % (one decimal)."""
    return [{**row, "share": round(100 * row["visitors"] / total_visitors, 1) if total_visitors else 0.0} for row in rows]


def prop_keys(connection, scope, limit=20):
    """The props keys of the scope's custom events, most used first."""
    return filtered.prop_keys(connection, scope, limit)


# Goals and funnels


def conversions(connection, scope, goals, total=None):
    """[{"goal", "visitors" (unique conversions), "events" (total), "conversion_rate" (%)}]
    for each goal, against all visitors of the scope (`total`, counted when not given)."""
    if total is None:
        total = aggregate(connection, scope, ("visitors",))["visitors"]
    return [_conversion(connection, scope, goal, total) for goal in goals]


def _conversion(connection, scope, goal, total):
    if goal.kind == "page":
        if scope.filters:
            counts = filtered.page_goal(connection, scope, goal)
        else:
            counts = rollups.matching(connection, scope.site, scope.period, "event:page", goal.value)
        events = counts.page_views
    else:
        counts = _by_value(connection, scope, "event:name").get(goal.value)
        events = counts.events if counts else 0
    visitors = counts.visitors if counts else 0
    return {"goal": goal, "visitors": visitors, "events": events, "conversion_rate": round(100 * visitors / total, 1) if total else 0.0}


def funnel(connection, scope, steps):
    """[(goal, visits that reached this step)] for up to four steps in order within one
    visit: step n counts visits where a matching event follows (by the browser's clock,
    strictly later) the event that reached step n-1. Visits are those of the scope, events
    those received in the period; visit columns answer it (filtered.py)."""
    if not 1 <= len(steps) <= MAX_FUNNEL_STEPS:
        raise ValueError(f"a funnel has 1 to {MAX_FUNNEL_STEPS} steps")
    return list(zip(steps, filtered.funnel(connection, scope, steps), strict=True))


# The collector's intake


def events_accepted(connection, site, since_ms, now_ms):
    """Events of every type the collector stored for the site since `since_ms`: page views and
    custom events from the rollups, leak reports (no visit, no rollup) counted raw."""
    return rollups.events_received_since(connection, site, since_ms) + db.events_received(site, since_ms, now_ms + 1, ("leak",))


# Realtime


def realtime(connection, site, now_ms, limit=10):
    """(visitors active in the last 5 minutes, [(their current page, visitors)]). A visit is
    active when one of its events arrived in the last 5 minutes (its `ended_at` is then that
    recent too); finding those events first reads only the index's last minutes."""
    recent = select(E.c.visit_id).where(E.c.site == site, E.c.type.in_(COUNTED_TYPES), E.c.received_at >= now_ms - REALTIME_MS)
    active = [V.c.id.in_(recent)]
    visitors = connection.execute(select(func.count(distinct(V.c.visitor))).where(*active)).scalar_one()
    pages = connection.execute(
        select(V.c.exit_path, func.count(distinct(V.c.visitor)).label("n"))
        .where(*active, V.c.exit_path.isnot(None))
        .group_by(V.c.exit_path)
        .order_by(func.count(distinct(V.c.visitor)).desc(), V.c.exit_path)
        .limit(limit)
    )
    return visitors, [tuple(row) for row in pages]
