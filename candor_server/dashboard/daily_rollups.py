"""Daily rollups: what the dashboard and the stats API read for a range of days when no
filter applies. Counting distinct visitors over 30 days of raw events takes seconds at a
million events, because every row of the window is sorted; so each UTC day of a site, once
it is closed (over, and 30 minutes past, so no visit can still start in it), is summed once
per dimension and value into `daily_rollup`: visits, bounces, durations, page views and
events, which add up across days, and a visitor sketch (visitor_sketches.py), which merges.
A range then reads a few rows a day. Days still open (today, and yesterday for its first
half hour) are summed from the raw tables at each read, the same way, so the numbers are
as fresh as the stored events.

A closed day is rolled the first time a view needs it (`flask --app candor_server rollup`
rolls every closed day ahead of time). Its rollup is dropped, and so made again when next
read, when a visitor deletes their data or a visit that started that day goes on past
its end (storage/db.py)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

import click
import numpy as np
from flask import current_app, g
from flask.cli import with_appcontext
from sqlalchemy import delete, func, select

from ..clock import now_ms, now_seconds
from ..collector.visits import VISIT_GAP_MS
from ..retention import window_start_ms
from ..storage import db, tables
from . import patterns
from .periods import DAY_MS, day_start_ms, first_whole_day, utc_date
from .properties import VISIT_COLUMNS
from .visitor_sketches import VisitorSketch, merged

R, ROLLED, E, V = tables.daily_rollup, tables.rolled_day, tables.event, tables.visit
WHOLE_SITE = ""
PAGE, NAME = "event:page", "event:name"
DIMENSIONS = (WHOLE_SITE, *VISIT_COLUMNS, PAGE, NAME)
COUNTED_BY = {PAGE: "page_views", NAME: "events"}
"""What ranks a dimension's values before their visitors are counted (visits otherwise)."""
INSERT_CHUNK = 500


@dataclass
class Totals:
    """What one value (or the whole site) adds up to over some days."""

    visitors: VisitorSketch = field(default_factory=VisitorSketch)
    visits: int = 0
    bounces: int = 0
    duration_ms: int = 0
    page_views: int = 0
    events: int = 0

    def add(self, other):
        self.visitors.merge(other.visitors)
        self.visits += other.visits
        self.bounces += other.bounces
        self.duration_ms += other.duration_ms
        self.page_views += other.page_views
        self.events += other.events
        return self


def _grouped(values, keys, **sums):
    """{value: Totals} of rows grouped by `values` (None left out): each group's visitor
    keys and its sum of each array in `sums` (visits, bounces... by Totals' field names)."""
    codes: dict = {}
    inverse = np.fromiter((codes.setdefault(value, len(codes)) for value in values), dtype=np.intp, count=len(values))
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(codes) + 1))
    sorted_keys = keys[order]
    sums_by_code = {name: np.bincount(inverse, weights=array, minlength=len(codes)) for name, array in sums.items()}
    totals = {}
    for code, value in enumerate(codes):
        if value is not None:
            found = totals[value] = Totals(VisitorSketch.of_keys(sorted_keys[bounds[code] : bounds[code + 1]]))
            for name, by_code in sums_by_code.items():
                setattr(found, name, int(by_code[code]))
    return totals


def _columns(connection, query, count):
    """The result's columns as lists (empty lists when there are no rows)."""
    rows = connection.execute(query).all()
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(count)]


def _day_totals(connection, site, day, dimensions):
    """{(dimension, value): Totals} of one UTC day, read from the raw visits and events and
    summed in bulk (numpy), since a day of a busy site holds tens of thousands of rows."""
    start = day_start_ms(day)
    end = start + DAY_MS
    found: dict[tuple, Totals] = {}
    facts = [d for d in dimensions if d in VISIT_COLUMNS]
    if WHOLE_SITE in dimensions or facts:
        query = select(V.c.visitor, V.c.page_views, V.c.events, V.c.ended_at - V.c.started_at, *(V.c[VISIT_COLUMNS[d]] for d in facts))
        visitor, page_views, custom, duration, *values = _columns(
            connection, query.where(V.c.site == site, V.c.started_at >= start, V.c.started_at < end), 4 + len(facts)
        )
        keys = np.array(visitor, dtype=np.uint64)
        counts = {
            "visits": np.ones(len(keys)),
            "page_views": np.array(page_views, dtype=np.float64),
            "events": np.array(custom, dtype=np.float64),
            "duration_ms": np.array(duration, dtype=np.float64),
        }
        counts["bounces"] = (counts["page_views"] + counts["events"] <= 1).astype(np.float64)
        if WHOLE_SITE in dimensions:
            found[(WHOLE_SITE, WHOLE_SITE)] = Totals(
                VisitorSketch.of_keys(keys), len(keys), int(counts["bounces"].sum()), int(counts["duration_ms"].sum())
            )
        for dimension, column in zip(facts, values, strict=True):
            found.update(((dimension, value), totals) for value, totals in _grouped(column, keys, **counts).items())
    received = (E.c.site == site, E.c.received_at >= start, E.c.received_at < end)
    if WHOLE_SITE in dimensions or PAGE in dimensions:
        paths, visitor, visit_ids = _columns(
            connection, select(E.c.path, E.c.visitor, E.c.visit_id).where(*received, E.c.type == "page"), 3
        )
        found.setdefault((WHOLE_SITE, WHOLE_SITE), Totals()).page_views = len(paths)
        if PAGE in dimensions:
            grouped = _grouped(paths, np.array(visitor, dtype=np.uint64), page_views=np.ones(len(paths)))
            visits_of: dict[str, set] = {}
            for path, visit_id in zip(paths, visit_ids, strict=True):
                visits_of.setdefault(path, set()).add(visit_id)
            for path, totals in grouped.items():
                totals.visits = len(visits_of[path])
                found[(PAGE, path)] = totals
    if WHOLE_SITE in dimensions or NAME in dimensions:
        names, visitor = _columns(connection, select(E.c.name, E.c.visitor).where(*received, E.c.type == "event"), 2)
        found.setdefault((WHOLE_SITE, WHOLE_SITE), Totals()).events = len(names)
        if NAME in dimensions:
            grouped = _grouped(names, np.array(visitor, dtype=np.uint64), events=np.ones(len(names)))
            found.update(((NAME, name), totals) for name, totals in grouped.items())
    if WHOLE_SITE not in dimensions:
        found.pop((WHOLE_SITE, WHOLE_SITE), None)
    return found


# Rolling closed days


def _closed(day, now):
    """Whether no visit can start on `day` any more and its events are all in."""
    return day_start_ms(day) + DAY_MS + VISIT_GAP_MS <= now


def roll_day(site, day):
    """Sum one closed day of a site into `daily_rollup`, unless another request or node
    already has: the `rolled_day` row is claimed first, in the same transaction."""
    with db.engine().begin() as connection:
        claim = db.dialect_insert(ROLLED).on_conflict_do_nothing().returning(ROLLED.c.day)
        if connection.execute(claim.values(site=site, day=day.isoformat(), rolled_at=now_ms())).first() is None:
            return False
        connection.execute(delete(R).where(R.c.site == site, R.c.day == day.isoformat()))
        rows = [
            {
                "site": site,
                "dimension": dimension,
                "day": day.isoformat(),
                "value": value,
                "visitors": totals.visitors.to_bytes(),
                "visits": totals.visits,
                "bounces": totals.bounces,
                "duration_ms": totals.duration_ms,
                "page_views": totals.page_views,
                "events": totals.events,
            }
            for (dimension, value), totals in _day_totals(connection, site, day, DIMENSIONS).items()
        ]
        for start in range(0, len(rows), INSERT_CHUNK):
            connection.execute(R.insert(), rows[start : start + INSERT_CHUNK])
    return True


def roll_closed_days(site, first, last):
    """Roll every closed day from `first` to `last` that has no rollup yet; returns how many."""
    now = now_ms()
    with db.engine().connect() as connection:
        rolled = set(
            connection.execute(
                select(ROLLED.c.day).where(ROLLED.c.site == site, ROLLED.c.day >= first.isoformat(), ROLLED.c.day <= last.isoformat())
            ).scalars()
        )
    missing = [day for day in _days(first, last) if _closed(day, now) and day.isoformat() not in rolled]
    return sum(roll_day(site, day) for day in missing)


def _days(first, last):
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# Reading


class Counts(NamedTuple):
    """Totals with their visitors counted."""

    visitors: int
    visits: int
    bounces: int
    duration_ms: int
    page_views: int
    events: int


def _counts(totals):
    return Counts(totals.visitors.count(), totals.visits, totals.bounces, totals.duration_ms, totals.page_views, totals.events)


def _closed_and_open(site, period):
    """The period's closed days as (first, last), rolled, or None; and its open days."""
    now = now_ms()
    days = _days(period.first, period.last)
    closed = [day for day in days if _closed(day, now)]
    if closed:
        roll_closed_days(site, closed[0], closed[-1])
    return ((closed[0], closed[-1]) if closed else None), [day for day in days if not _closed(day, now)]


def _open_day_totals(connection, site, day):
    """`_day_totals` of a day still open, summed once per request for all its panels."""
    summed = g.setdefault("candor_open_days", {})
    key = (site, day)
    if key not in summed:
        summed[key] = _day_totals(connection, site, day, DIMENSIONS)
    return summed[key]


def _rollup_range(site, dimension, closed):
    first, last = closed
    return [R.c.site == site, R.c.dimension == dimension, R.c.day >= first.isoformat(), R.c.day <= last.isoformat()]


ROLLUP_SUMS = (R.c.visits, R.c.bounces, R.c.duration_ms, R.c.page_views, R.c.events)


def _totals_by_value(connection, site, period, dimension, top=None, pattern=None):
    """{value: Totals} of one dimension over the period. `top` keeps the values with the most
    visits (page views, events) in the closed days, and every value of the open ones, before
    their sketches are merged; `pattern` keeps the values it matches (patterns.py)."""
    closed, open_days = _closed_and_open(site, period)
    found: dict[str, Totals] = {}
    for day in open_days:
        for (of_dimension, value), totals in _open_day_totals(connection, site, day).items():
            if of_dimension == dimension and (pattern is None or patterns.matches_text(value, pattern)):
                found.setdefault(value, Totals()).add(totals)
    if closed:
        conditions = _rollup_range(site, dimension, closed)
        if pattern is not None:
            conditions.append(patterns.matches(R.c.value, pattern))
        if top is not None:
            rank = func.sum(R.c[COUNTED_BY.get(dimension, "visits")])
            candidates = select(R.c.value).where(*conditions).group_by(R.c.value).order_by(rank.desc(), R.c.value).limit(top)
            conditions.append(R.c.value.in_(candidates.scalar_subquery()))
        blobs: dict[str, list] = {}
        sums: dict[str, list] = {}
        for value, visitors, *counts in connection.execute(select(R.c.value, R.c.visitors, *ROLLUP_SUMS).where(*conditions)):
            if pattern is None or patterns.matches_text(value, pattern):
                blobs.setdefault(value, []).append(visitors)
                sums[value] = [a + b for a, b in zip(sums.get(value, (0,) * len(counts)), counts, strict=True)]
        for value, stored in blobs.items():
            found.setdefault(value, Totals()).add(Totals(merged(stored), *sums[value]))
    return found


def by_value(connection, site, period, dimension, top=None):
    """{value: Counts} of one dimension over the period (`top` as in `_totals_by_value`)."""
    return {value: _counts(totals) for value, totals in _totals_by_value(connection, site, period, dimension, top).items()}


def matching(connection, site, period, dimension, pattern):
    """Counts of every value matching `pattern` taken together (a page goal's visitors)."""
    whole = Totals()
    for totals in _totals_by_value(connection, site, period, dimension, pattern=pattern).values():
        whole.add(totals)
    return _counts(whole)


def whole_site(connection, site, period):
    """Counts of the whole site over the period."""
    return by_value(connection, site, period, WHOLE_SITE).get(WHOLE_SITE) or _counts(Totals())


def per_day(connection, site, period):
    """{day: Counts} of the whole site, for the days that have any."""
    closed, open_days = _closed_and_open(site, period)
    found = {}
    if closed:
        query = select(R.c.day, R.c.visitors, *ROLLUP_SUMS).where(*_rollup_range(site, WHOLE_SITE, closed))
        for day, visitors, *counts in connection.execute(query):
            found[date.fromisoformat(day)] = _counts(Totals(VisitorSketch.from_bytes(visitors), *counts))
    for day in open_days:
        totals = _open_day_totals(connection, site, day).get((WHOLE_SITE, WHOLE_SITE))
        if totals is not None:
            found[day] = _counts(totals)
    return found


def init_app(app):
    app.cli.add_command(rollup_command)


@click.command("rollup")
@with_appcontext
def rollup_command():
    """Roll every closed day in the retention window for every site, so no dashboard view
    has to (each day is otherwise rolled when first read)."""
    first, last = first_whole_day(window_start_ms(now_seconds())), utc_date(now_ms())
    for site in current_app.config["SITES"]:
        click.echo(f"{site}: rolled {roll_closed_days(site, first, last)} days")
