"""The numbers behind the dashboard and the stats API, from stored visits and events
(keyed by the tag's random visitor id, never an IP address): read from the rollups
(rollups.py) when no filter applies, from visit columns (filtered.py) under filters on visit
properties, pages and event names (and for every funnel and hourly chart), and computed in SQL
from the raw tables for filters and breakdowns on event props and for realtime.

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

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import FromClause, and_, case, distinct, func, literal, not_, or_, select, union_all

from ..collector.visits import COUNTED_TYPES
from ..storage import db, tables
from . import filtered, patterns, properties, rollups
from .patterns import matches
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


# Conditions


def _filter_condition(flt):
    expression = prop_expression(flt.prop)
    matched = or_(*(matches(expression, value) for value in flt.values))
    return or_(expression.is_(None), not_(matched)) if flt.negated else matched


def prop_expression(prop):
    """The SQL expression a property reads: a column, or a key of the event's props."""
    if prop.startswith(PROPS_PREFIX):
        return E.c.props[prop[len(PROPS_PREFIX) :]].as_string()
    return properties.column_of(prop)


def _split(filters):
    visit_filters = [f for f in filters if is_visit_property(f.prop)]
    event_filters = [f for f in filters if not is_visit_property(f.prop)]
    return visit_filters, event_filters


def _event_range(scope):
    """The scope's page views and custom events (naming both types lets a filter on a page or an
    event name read its own range of the (site, type, page or name, time) indexes)."""
    return [
        E.c.site == scope.site,
        E.c.type.in_(COUNTED_TYPES),
        E.c.received_at >= scope.period.start_ms,
        E.c.received_at < scope.period.end_ms,
    ]


def visit_conditions(scope):
    """Visits of the scope: started in the period, matching its visit filters, and
    containing a matching event when there are event filters."""
    visit_filters, event_filters = _split(scope.filters)
    conditions = [V.c.started_at >= scope.period.start_ms, V.c.started_at < scope.period.end_ms]
    conditions += [_filter_condition(f) for f in visit_filters]
    if event_filters:
        # The site's matching events name the visits, which are then read by id: with the site
        # named on `visit` too, SQLite scanned every visit of the period instead.
        conditions.append(V.c.id.in_(select(E.c.visit_id).where(*_event_range(scope), *map(_filter_condition, event_filters))))
    else:
        conditions.append(V.c.site == scope.site)
    return conditions


def _events_select(scope, columns, event_type, extra=()):
    """SELECT columns FROM the scope's events of one type (any type for None), joined to
    their visit only when a visit filter needs it."""
    visit_filters, event_filters = _split(scope.filters)
    conditions = [*_event_range(scope), *map(_filter_condition, event_filters), *extra]
    if event_type is not None:
        conditions.append(E.c.type == event_type)
    source: FromClause = E
    if visit_filters:
        source = E.join(V, V.c.id == E.c.visit_id)
        conditions += [_filter_condition(f) for f in visit_filters]
    return select(*columns).select_from(source).where(*conditions)


# Aggregates


def _visit_columns():
    return (
        func.count(distinct(V.c.visitor)).label("visitors"),
        func.count().label("visits"),
        func.coalesce(func.sum(V.c.page_views), 0).label("visit_page_views"),
        func.coalesce(func.sum(case((V.c.page_views + V.c.events <= 1, 1), else_=0)), 0).label("bounces"),
        func.coalesce(func.sum(V.c.ended_at - V.c.started_at), 0).label("duration_ms"),
    )


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
    if filtered.answers(scope.filters):
        counts = filtered.whole_site(connection, scope) if scope.filters else rollups.whole_site(connection, scope.site, scope.period)
        result = {"pageviews": counts.page_views, "events": counts.events, **_visit_metrics(counts, counts.page_views)}
        return {metric: result[metric] for metric in metrics}
    result = {}
    if any(metric in ("pageviews", "events", "views_per_visit") for metric in metrics):
        counts = [func.count(case((E.c.type == kind, 1))) for kind in ("page", "event")]  # one pass over both kinds
        result["pageviews"], result["events"] = connection.execute(_events_select(scope, counts, None, [E.c.type.in_(COUNTED_TYPES)])).one()
    if any(metric in VISIT_METRICS for metric in metrics):
        row = connection.execute(select(*_visit_columns()).where(*visit_conditions(scope))).one()
        result.update(_visit_metrics(row, result.get("pageviews", 0)))
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
    if filtered.answers(scope.filters):
        if interval == DAY_MS and not scope.filters:
            buckets = {day_start_ms(day) // DAY_MS: counts for day, counts in rollups.per_day(connection, scope.site, scope.period).items()}
        else:
            buckets = filtered.per_bucket(connection, scope, interval)
        by_bucket = {
            bucket: {"visit_row": counts, "pageviews": counts.page_views, "events": counts.events} for bucket, counts in buckets.items()
        }
    else:
        by_bucket = _raw_buckets(connection, scope, metrics, interval)
    start = scope.period.start_ms // interval
    first = first_data_ms(connection, scope.site)
    if first is not None:
        start = max(start, first // interval)
    series = []
    for bucket in range(start, scope.period.end_ms // interval):
        found = by_bucket.get(bucket, {})
        values = {"pageviews": found.get("pageviews", 0), "events": found.get("events", 0)}
        row = found.get("visit_row")
        if row is not None:
            values.update(_visit_metrics(row, values["pageviews"]))
        else:
            values.update({metric: 0 for metric in VISIT_METRICS})
        series.append((datetime.fromtimestamp(bucket * interval / 1000, UTC), {metric: values[metric] for metric in metrics}))
    return series


def _raw_buckets(connection, scope, metrics, interval):
    """{bucket: {"visit_row": visit columns, "pageviews": n, "events": n}} from the raw tables."""
    by_bucket: dict[int, dict] = {}
    if any(metric in VISIT_METRICS for metric in metrics):
        bucket = (V.c.started_at // interval).label("bucket")
        query = select(bucket, *_visit_columns()).where(*visit_conditions(scope)).group_by(bucket)
        for row in connection.execute(query):
            by_bucket.setdefault(int(row.bucket), {})["visit_row"] = row
    for metric, event_type in (("pageviews", "page"), ("events", "event")):
        if metric in metrics or (metric == "pageviews" and "views_per_visit" in metrics):
            bucket = (E.c.received_at // interval).label("bucket")
            query = _events_select(scope, [bucket, func.count().label("n")], event_type).group_by(bucket)
            for row in connection.execute(query):
                by_bucket.setdefault(int(row.bucket), {})[metric] = row.n
    return by_bucket


# Breakdowns


def breakdown(connection, scope, prop, limit=10, page=1):
    """Top values of a property: [{"value", "visitors", ...}] most visitors first.
    Visit properties add visits, pageviews, bounce_rate and visit_duration; pages add
    pageviews and visits; event names and props add events."""
    offset = (page - 1) * limit
    if (is_visit_property(prop) or prop in rollups.COUNTED_BY) and filtered.answers(scope.filters):
        return _counted_breakdown(connection, scope, prop, offset, limit)
    if is_visit_property(prop):
        value = properties.column_of(prop).label("value")
        query = select(value, *_visit_columns()).where(*visit_conditions(scope), value.isnot(None)).group_by(value)
        rows = connection.execute(
            query.order_by(func.count(distinct(V.c.visitor)).desc(), func.count().desc(), value).limit(limit).offset(offset)
        )
        return [{"value": row.value, **_visit_metrics(row, row.visit_page_views), "pageviews": row.visit_page_views} for row in rows]
    value = prop_expression(prop).label("value")
    visitors = func.count(distinct(E.c.visitor))
    counts: tuple
    if prop == "event:page":
        counts = (visitors.label("visitors"), func.count().label("pageviews"), func.count(distinct(E.c.visit_id)).label("visits"))
        event_type = "page"
    else:
        counts = (visitors.label("visitors"), func.count().label("events"))
        event_type = "event"
    query = (
        _events_select(scope, [value, *counts], event_type, [value.isnot(None)])
        .group_by(value)
        .order_by(visitors.desc(), func.count().desc(), value)
        .limit(limit)
        .offset(offset)
    )
    return [dict(row._mapping) for row in connection.execute(query)]


ROLLED_CANDIDATES = 3
"""A rolled breakdown counts the visitors of this many times the values it shows, those with
the most visits (page views, events), then ranks them by visitors."""


def _counted_breakdown(connection, scope, prop, offset, limit):
    """`breakdown` from the rollups (unfiltered) or visit columns (filtered)."""
    if scope.filters:
        found = filtered.by_value(connection, scope, prop)
    else:
        found = rollups.by_value(connection, scope.site, scope.period, prop, top=ROLLED_CANDIDATES * (offset + limit) + 10)
    if prop == "event:page":
        rows = [{"value": v, "visitors": c.visitors, "pageviews": c.page_views, "visits": c.visits} for v, c in found.items()]
        rank = "pageviews"
    elif prop == "event:name":
        rows = [{"value": v, "visitors": c.visitors, "events": c.events} for v, c in found.items()]
        rank = "events"
    else:
        rows = [{"value": v, **_visit_metrics(c, c.page_views), "pageviews": c.page_views} for v, c in found.items()]
        rank = "visits"
    rows.sort(key=lambda row: (-row["visitors"], -row[rank], row["value"]))
    return rows[offset : offset + limit]


def with_shares(rows, total_visitors):
    """Each row with its share of all visitors in % (one decimal)."""
    return [{**row, "share": round(100 * row["visitors"] / total_visitors, 1) if total_visitors else 0.0} for row in rows]


def prop_keys(connection, scope, limit=20, sample=2000):
    """The props keys of the scope's latest custom events (up to `sample` of them), most
    used first: read in Python, since each SQL dialect unnests JSON keys differently."""
    query = _events_select(scope, [E.c.props], "event", [E.c.props.isnot(None)])
    counts = Counter(key for (props,) in connection.execute(query.order_by(E.c.received_at.desc()).limit(sample)) for key in props or {})
    return [key for key, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]]


# Goals and funnels


def _goal_condition(goal):
    if goal.kind == "page":
        return and_(E.c.type == "page", matches(E.c.path, goal.value))
    return and_(E.c.type == "event", E.c.name == goal.value)


def conversions(connection, scope, goals, total=None):
    """[{"goal", "visitors" (unique conversions), "events" (total), "conversion_rate" (%)}]
    for each goal, against all visitors of the scope (`total`, counted when not given)."""
    if total is None:
        total = aggregate(connection, scope, ("visitors",))["visitors"]
    results = []
    for goal in goals:
        if filtered.answers(scope.filters):
            results.append(_counted_conversion(connection, scope, goal, total))
            continue
        counts = [func.count(distinct(E.c.visitor)).label("visitors"), func.count().label("events")]
        row = connection.execute(_events_select(scope, counts, None, [_goal_condition(goal)])).one()
        results.append(
            {
                "goal": goal,
                "visitors": row.visitors,
                "events": row.events,
                "conversion_rate": round(100 * row.visitors / total, 1) if total else 0.0,
            }
        )
    return results


def _counted_conversion(connection, scope, goal, total):
    if goal.kind == "page":
        if scope.filters:
            counts = filtered.page_goal(connection, scope, goal)
        else:
            counts = rollups.matching(connection, scope.site, scope.period, "event:page", goal.value)
        events = counts.page_views
    else:
        names = (
            filtered.by_value(connection, scope, "event:name")
            if scope.filters
            else rollups.by_value(connection, scope.site, scope.period, "event:name")
        )
        counts = names.get(goal.value)
        events = counts.events if counts else 0
    visitors = counts.visitors if counts else 0
    return {"goal": goal, "visitors": visitors, "events": events, "conversion_rate": round(100 * visitors / total, 1) if total else 0.0}


def funnel(connection, scope, steps):
    """[(goal, visits that reached this step)] for up to four steps in order within one
    visit: step n counts visits where a matching event follows (by the browser's clock,
    strictly later) the event that reached step n-1. Visits are those of the scope, events
    those received in the period.

    Visit columns answer it (filtered.py) unless a filter is on event props. Then the events
    that match a step are read (one indexed range a step: its type, and its page while no `*`
    widens it), ordered by visit and time, and walked in Python: a chain of SQL joins, one per
    step, was planned as nested loops (seconds on PostgreSQL)."""
    if not 1 <= len(steps) <= MAX_FUNNEL_STEPS:
        raise ValueError(f"a funnel has 1 to {MAX_FUNNEL_STEPS} steps")
    if filtered.answers(scope.filters):
        return list(zip(steps, filtered.funnel(connection, scope, steps)))
    step_events = [
        select(literal(number).label("step"), E.c.visit_id, E.c.ts, E.c.path)
        .join(V, V.c.id == E.c.visit_id)
        .where(*_event_range(scope), _goal_condition(step), *visit_conditions(scope))
        for number, step in enumerate(steps)
    ]
    union = union_all(*step_events).subquery()
    rows = connection.execute(select(union).order_by(union.c.visit_id, union.c.ts, union.c.step)).all()
    rechecked = [step.kind == "page" and "*" in step.value for step in steps]  # LIKE ignores case in SQLite
    reached = [0] * len(steps)
    visit_id, step, last_ts = None, 0, None
    for number, of_visit, ts, path in rows:
        if of_visit != visit_id:
            visit_id, step, last_ts = of_visit, 0, None
        if number == step and (last_ts is None or ts > last_ts):
            if rechecked[step] and not patterns.matches_text(path or "", steps[step].value):
                continue
            reached[step] += 1
            step, last_ts = step + 1, ts
    return list(zip(steps, reached))


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
