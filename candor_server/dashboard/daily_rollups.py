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


@dataclass
class _DaySum:
    """A value's sums while one day's rows are read."""

    keys: list = field(default_factory=list)
    visit_ids: set = field(default_factory=set)
    visits: int = 0
    bounces: int = 0
    duration_ms: int = 0
    page_views: int = 0
    events: int = 0

    def totals(self, dimension):
        visits = len(self.visit_ids) if dimension == PAGE else self.visits
        return Totals(VisitorSketch(self.keys), visits, self.bounces, self.duration_ms, self.page_views, self.events)


def _day_totals(connection, site, day, dimensions):
    """{(dimension, value): Totals} of one UTC day, read from the raw visits and events."""
    start = day_start_ms(day)
    end = start + DAY_MS
    sums: dict[tuple, _DaySum] = {}

    def of(dimension, value):
        found = sums.get((dimension, value))
        if found is None:
            found = sums[(dimension, value)] = _DaySum()
        return found

    visit_dimensions = [d for d in dimensions if d == WHOLE_SITE or d in VISIT_COLUMNS]
    if visit_dimensions:
        facts = [V.c[VISIT_COLUMNS[d]] for d in visit_dimensions if d != WHOLE_SITE]
        query = select(V.c.visitor, V.c.page_views, V.c.events, V.c.ended_at - V.c.started_at, *facts).where(
            V.c.site == site, V.c.started_at >= start, V.c.started_at < end
        )
        with_facts = [d for d in visit_dimensions if d != WHOLE_SITE]
        for visitor, page_views, custom, duration, *values in connection.execute(query):
            bounce = 1 if page_views + custom <= 1 else 0
            if WHOLE_SITE in visit_dimensions:
                whole = of(WHOLE_SITE, WHOLE_SITE)
                whole.keys.append(visitor)
                whole.visits += 1
                whole.bounces += bounce
                whole.duration_ms += duration
            for dimension, value in zip(with_facts, values, strict=True):
                if value is not None:
                    found = of(dimension, value)
                    found.keys.append(visitor)
                    found.visits += 1
                    found.bounces += bounce
                    found.duration_ms += duration
                    found.page_views += page_views
                    found.events += custom
    received = (E.c.site == site, E.c.received_at >= start, E.c.received_at < end)
    if WHOLE_SITE in dimensions or PAGE in dimensions:
        for path, visitor, visit_id in connection.execute(select(E.c.path, E.c.visitor, E.c.visit_id).where(*received, E.c.type == "page")):
            if WHOLE_SITE in dimensions:
                of(WHOLE_SITE, WHOLE_SITE).page_views += 1
            if PAGE in dimensions and path is not None:
                found = of(PAGE, path)
                found.keys.append(visitor)
                found.page_views += 1
                found.visit_ids.add(visit_id)
    if WHOLE_SITE in dimensions or NAME in dimensions:
        for name, visitor in connection.execute(select(E.c.name, E.c.visitor).where(*received, E.c.type == "event")):
            if WHOLE_SITE in dimensions:
                of(WHOLE_SITE, WHOLE_SITE).events += 1
            if NAME in dimensions and name is not None:
                found = of(NAME, name)
                found.keys.append(visitor)
                found.events += 1
    return {key: found.totals(key[0]) for key, found in sums.items()}


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
