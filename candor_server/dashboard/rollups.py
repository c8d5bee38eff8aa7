"""Rollups: what the dashboard and the stats API read for a range of days when no filter
applies. Counting distinct visitors over 30 days of raw events takes seconds at a million
events, because every row of the window is sorted; so each slice of a site's time (a UTC day
once it is closed: over, and 30 minutes past, so no visit can still start in it; in a day
still open, each hour closed the same way) is summed once per dimension and value into
`rollup`: visits, bounces, durations, page views and events, which add up, and a visitor
sketch (visitor_sketches.py), which merges. A range then reads a few rows a day. The last
hour or two, not closed yet, are summed from the raw tables at each request (once for all
its panels), so the numbers are as fresh as the stored events.

A slice is summed the first time a view needs it (`flask --app candor_server rollup` sums
every closed day ahead of time); summing a day replaces its hours. A visit that goes on after
its slice was summed makes the slice stale, summed again when next read but at most every
RESUM_AFTER_MS, so a long visit on a busy site cannot have a day summed at every request. A
visitor who deletes their data has their days dropped and summed again without them."""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

import click
import numpy as np
from flask import current_app, g
from flask.cli import with_appcontext
from sqlalchemy import and_, delete, func, or_, select, update

from ..clock import now_ms
from ..collector.visits import COUNTED_TYPES, VISIT_GAP_MS
from ..retention import window_start_ms
from ..storage import db, rollup_slices, tables
from . import distinct, patterns, slice_cache, visit_columns
from .periods import DAY_MS, HOUR_MS, Period, day_start_ms, first_whole_day, utc_date
from .properties import VISIT_COLUMNS
from .visitor_sketches import VisitorSketch, merged

R, ROLLED = tables.rollup, tables.rolled_slice
WHOLE_SITE = ""
PAGE, NAME = "event:page", "event:name"
DIMENSIONS = (WHOLE_SITE, *VISIT_COLUMNS, PAGE, NAME)
COUNTED_BY = {PAGE: "page_views", NAME: "events"}
"""What ranks a dimension's values before their visitors are counted (visits otherwise)."""
INSERT_CHUNK = 500
RESUM_AFTER_MS = 5 * 60 * 1000


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


def _grouped(codes, texts, keys, **sums):
    """{text: Totals} of rows grouped by their code (code 0, no value, left out): each group's
    visitor keys and its sum of each array in `sums` (visits, bounces... by Totals' field names)."""
    codes = codes.astype(np.intp)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(texts) + 1))
    sorted_keys = keys[order]
    sums_by_code = {name: np.bincount(codes, weights=array, minlength=len(texts)) for name, array in sums.items()}
    totals = {}
    for code in range(1, len(texts)):
        if bounds[code + 1] > bounds[code]:
            found = totals[texts[code]] = Totals(VisitorSketch.of_keys(sorted_keys[bounds[code] : bounds[code + 1]]))
            for name, by_code in sums_by_code.items():
                setattr(found, name, int(by_code[code]))
    return totals


def _totals_of(columns, dimensions=DIMENSIONS):
    """{(dimension, value): Totals} of a stretch's visit columns (visit_columns.py): the visits
    that started in it and the events received in it, summed in bulk."""
    found: dict[tuple, Totals] = {}
    numbers, codes, texts = columns.numbers, columns.codes, columns.texts
    started = numbers["started"]
    keys = numbers["visitor"][started]
    counts = {
        "visits": np.ones(len(keys)),
        "page_views": numbers["page_views"][started].astype(np.float64),
        "events": numbers["events"][started].astype(np.float64),
        "duration_ms": numbers["duration_ms"][started].astype(np.float64),
    }
    counts["bounces"] = visit_columns.bounced(counts["page_views"], counts["events"])
    pages, custom = (numbers["event_kind"] == kind for kind in (visit_columns.PAGE, visit_columns.CUSTOM))
    if WHOLE_SITE in dimensions:
        found[(WHOLE_SITE, WHOLE_SITE)] = Totals(
            VisitorSketch.of_keys(keys),
            len(keys),
            int(counts["bounces"].sum()),
            int(counts["duration_ms"].sum()),
            int(pages.sum()),
            int(custom.sum()),
        )
    for dimension in dimensions:
        if dimension in VISIT_COLUMNS:
            column = VISIT_COLUMNS[dimension]
            found.update(
                ((dimension, value), totals) for value, totals in _grouped(codes[column][started], texts[column], keys, **counts).items()
            )
    if PAGE in dimensions:
        paths = codes["path"][pages]
        grouped = _grouped(paths, texts["path"], numbers["event_visitor"][pages], page_views=np.ones(len(paths)))
        visits_by_code = distinct.per_code(paths, numbers["event_visit_id"][pages] + 1, len(texts["path"]))
        for code, path in enumerate(texts["path"]):
            if path in grouped:
                grouped[path].visits = int(visits_by_code[code])
                found[(PAGE, path)] = grouped[path]
    if NAME in dimensions:
        grouped = _grouped(codes["name"][custom], texts["name"], numbers["event_visitor"][custom], events=np.ones(int(custom.sum())))
        found.update(((NAME, name), totals) for name, totals in grouped.items())
    return found


# Summing closed slices


def _closed(end_ms, now):
    """Whether no visit can start in a slice ending at `end_ms` any more, and its events are in."""
    return end_ms + VISIT_GAP_MS <= now


def roll_slice(site, key):
    """Sum one closed slice of a site into `rollup`, unless another request or node already
    has: the slice's `rolled_slice` row is claimed first (inserted, or taken back from stale), in
    the same transaction. Summing a day drops the rollups of its hours, which it replaces."""
    now = now_ms()
    with db.engine().begin() as connection:
        claim = db.dialect_insert(ROLLED).on_conflict_do_nothing().returning(ROLLED.c.slice)
        claimed = connection.execute(claim.values(site=site, slice=key, rolled_at=now, stale=False)).first() is not None
        if not claimed:
            taken_back = (
                update(ROLLED)
                .where(ROLLED.c.site == site, ROLLED.c.slice == key, ROLLED.c.stale, ROLLED.c.rolled_at <= now - RESUM_AFTER_MS)
                .values(rolled_at=now, stale=False)
            )
            if connection.execute(taken_back).rowcount != 1:
                return False
        connection.execute(delete(R).where(R.c.site == site, R.c.slice == key))
        if rollup_slices.is_day(key):
            db.forget_rollups(connection, site, [key], hours_only=True)
        start, end = rollup_slices.bounds(key)
        columns = visit_columns.between(connection, site, start, end)
        rows = [
            {
                "site": site,
                "dimension": dimension,
                "slice": key,
                "value": value,
                "visitors": totals.visitors.to_bytes(),
                **{name: getattr(totals, name) for name in SUMMED},
            }
            for (dimension, value), totals in _totals_of(columns).items()
        ]
        for first in range(0, len(rows), INSERT_CHUNK):
            connection.execute(R.insert(), rows[first : first + INSERT_CHUNK])
        stored = columns.to_bytes()
        connection.execute(
            update(ROLLED)
            .where(ROLLED.c.site == site, ROLLED.c.slice == key)
            .values(visit_columns=stored, columns_digest=hashlib.blake2b(stored, digest_size=16).hexdigest())
        )
    return True


def roll_due(site, keys):
    """Sum the slices among `keys` that have no rollup yet, or a stale one last summed over
    RESUM_AFTER_MS ago; returns how many were summed."""
    now = now_ms()
    with db.engine().connect() as connection:
        found = (
            dict(
                connection.execute(
                    select(ROLLED.c.slice, ROLLED.c.stale & (ROLLED.c.rolled_at <= now - RESUM_AFTER_MS)).where(
                        ROLLED.c.site == site, ROLLED.c.slice >= min(keys), ROLLED.c.slice <= max(keys)
                    )
                ).all()
            )
            if keys
            else {}
        )
    return sum(roll_slice(site, key) for key in keys if key not in found or found[key])


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


@dataclass(frozen=True)
class Plan:
    """How a period is read: ranges of summed slice keys (closed days, then the closed hours of
    each open day), those slices with the digests of their stored columns (which name what was
    summed in them: slice_cache.py), and the stretches after them (ms) still read raw."""

    summed: tuple
    digests: tuple
    raw: tuple


def plan(site, period):
    """The plan of a period, with its due slices summed first (once per request: every panel
    of a page asks for the same period). Days before the retention window (a comparison with
    the period before a long one) hold nothing and are left out."""
    planned = g.setdefault("candor_rollup_plans", {})
    key = (site, period.first, period.last)
    if key not in planned:
        planned[key] = _plan(site, period)
    return planned[key]


def _plan(site, period):
    now = now_ms()
    oldest = first_whole_day(window_start_ms(now / 1000))
    keys, summed, raw = _slices(_days(max(period.first, oldest), period.last), now)
    roll_due(site, keys)
    digests = ()
    if summed:
        with db.engine().connect() as connection:
            in_ranges = or_(*(and_(ROLLED.c.slice >= first, ROLLED.c.slice <= last) for first, last in summed))
            digests = tuple(
                connection.execute(select(ROLLED.c.slice, ROLLED.c.columns_digest).where(ROLLED.c.site == site, in_ranges)).all()
            )
    return Plan(summed, tuple(sorted(digests)), raw)


def _slices(days, now):
    """(keys of the closed slices of these days, their ranges of keys, the raw stretches)."""
    keys, summed, raw = [], [], []
    for day in days:
        start = day_start_ms(day)
        if _closed(start + DAY_MS, now):
            keys.append(day.isoformat())
            continue
        hours = [rollup_slices.hour_key(start + n * HOUR_MS) for n in range(24) if _closed(start + (n + 1) * HOUR_MS, now)]
        keys += hours
        if hours:
            summed.append((hours[0], hours[-1]))
        raw.append((start + len(hours) * HOUR_MS, start + DAY_MS))
    days_summed = [key for key in keys if rollup_slices.is_day(key)]
    if days_summed:
        summed.insert(0, (days_summed[0], days_summed[-1]))
    return keys, tuple(summed), tuple(raw)


def roll_window(site):
    """Sum every closed slice in the retention window; returns how many were summed."""
    now = now_ms()
    keys, _, _ = _slices(_days(first_whole_day(window_start_ms(now / 1000)), utc_date(now)), now)
    return roll_due(site, keys)


def raw_columns(connection, site, start, end):
    """The visit columns of a stretch still read raw, read once per request for all its panels."""
    read = g.setdefault("candor_raw_columns", {})
    key = (site, start, end)
    if key not in read:
        read[key] = visit_columns.between(connection, site, start, end)
    return read[key]


def _raw_totals(connection, site, start, end):
    """`_totals_of` a stretch still read raw, summed once per request for all its panels."""
    summed = g.setdefault("candor_raw_totals", {})
    key = (site, start, end)
    if key not in summed:
        summed[key] = _totals_of(raw_columns(connection, site, start, end))
    return summed[key]


def _summed_rows(site, dimension, summed):
    """Conditions on `rollup` for a dimension's rows in the plan's summed slices."""
    return [R.c.site == site, R.c.dimension == dimension, or_(*(and_(R.c.slice >= first, R.c.slice <= last) for first, last in summed))]


SUMMED = ("visits", "bounces", "duration_ms", "page_views", "events")
ROLLUP_SUMS = tuple(R.c[name] for name in SUMMED)


def _totals_by_value(connection, site, period, dimension, top=None, pattern=None):
    """{value: Totals} of one dimension over the period. `top` keeps the values with the most
    visits (page views, events) in the summed slices, and every value of the raw stretches,
    before their sketches are merged; `pattern` keeps the values it matches (patterns.py)."""
    read = plan(site, period)
    found: dict[str, Totals] = {}
    for start, end in read.raw:
        for (of_dimension, value), totals in _raw_totals(connection, site, start, end).items():
            if of_dimension == dimension and (pattern is None or patterns.matches_text(value, pattern)):
                found.setdefault(value, Totals()).add(totals)
    if read.summed:
        for value, totals in _summed_by_value(connection, site, read, dimension, top, pattern).items():
            found.setdefault(value, Totals()).add(totals)
    return found


def _summed_by_value(connection, site, read, dimension, top, pattern):
    """`_totals_by_value` of the plan's summed slices alone, merged once per process while no
    slice changes (slice_cache.py); never to be changed by the caller."""

    def merge():
        conditions = _summed_rows(site, dimension, read.summed)
        if pattern is not None:
            conditions.append(patterns.matches(R.c.value, pattern))
        if top is not None:
            rank = func.sum(R.c[COUNTED_BY.get(dimension, "visits")])
            candidates = select(R.c.value).where(*conditions).group_by(R.c.value).order_by(rank.desc(), R.c.value).limit(top)
            conditions.append(R.c.value.in_(candidates.scalar_subquery()))
        rows = connection.execute(select(R.c.value, R.c.visitors, *ROLLUP_SUMS).where(*conditions))
        return _summed_by((row for row in rows if pattern is None or patterns.matches_text(row[0], pattern)), lambda value: value)

    return slice_cache.kept(("totals by value", dimension, top, pattern, read.digests), merge, _sketch_bytes)


def _sketch_bytes(totals_by_key):
    return sum(totals.visitors.nbytes for totals in totals_by_key.values())


def _summed_by(rows, key_of):
    """{key_of(first column): Totals} of stored rollup rows (first column, visitors, *SUMMED):
    the counts added, the sketches merged in bulk once per key."""
    blobs: dict = {}
    sums: dict = {}
    for first, visitors, *counts in rows:
        key = key_of(first)
        blobs.setdefault(key, []).append(visitors)
        sums[key] = [a + b for a, b in zip(sums.get(key, (0,) * len(counts)), counts, strict=True)]
    return {key: Totals(merged(stored), *sums[key]) for key, stored in blobs.items()}


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


def events_received_since(connection, site, since_ms):
    """Page views and custom events received since `since_ms`: the rest of that moment's hour
    counted raw, the rest of its day from the hours of its stored columns once it is summed,
    and the whole days after it from the rollups (counting a day of raw rows reads 50 ms of
    index at ten million events, and the dashboard counts two such days at every view)."""
    day = utc_date(since_ms)
    next_day = day + timedelta(days=1)
    now = now_ms()
    summed = [pair for pair in plan(site, Period("custom", day, day)).digests if rollup_slices.is_day(pair[0])]
    if summed:
        next_hour = -(-since_ms // HOUR_MS) * HOUR_MS
        found = db.events_received(site, since_ms, next_hour, tuple(COUNTED_TYPES))
        found += int(_events_per_hour(connection, site, *summed[0])[(next_hour - day_start_ms(day)) // HOUR_MS :].sum())
    else:
        found = db.events_received(site, since_ms, min(day_start_ms(next_day), now + 1), tuple(COUNTED_TYPES))
    today = utc_date(now)
    if next_day <= today:
        counts = whole_site(connection, site, Period("custom", next_day, today))
        found += counts.page_views + counts.events
    return found


def _events_per_hour(connection, site, key, digest):
    """[page views and custom events received in each hour] of a summed day, from its stored
    columns, counted once per process while the day is not summed again (slice_cache.py)."""

    def count():
        stored = connection.scalar(select(ROLLED.c.visit_columns).where(ROLLED.c.site == site, ROLLED.c.slice == key))
        hours = visit_columns.Columns.from_bytes(stored).numbers["event_hour"].astype(np.int64)
        return np.bincount(hours - day_start_ms(date.fromisoformat(key)) // HOUR_MS, minlength=24)

    return slice_cache.kept(("events per hour", key, digest), count, lambda found: found.nbytes)


def per_day(connection, site, period):
    """{day: Counts} of the whole site, for the days that have any."""
    read = plan(site, period)
    found: dict = {}
    if read.summed:

        def merge():
            rows = connection.execute(select(R.c.slice, R.c.visitors, *ROLLUP_SUMS).where(*_summed_rows(site, WHOLE_SITE, read.summed)))
            return _summed_by(rows, lambda key: date.fromisoformat(key[:10]))

        for day, totals in slice_cache.kept(("totals per day", read.digests), merge, _sketch_bytes).items():
            found[day] = Totals().add(totals)
    for start, end in read.raw:
        totals = _raw_totals(connection, site, start, end).get((WHOLE_SITE, WHOLE_SITE))
        if totals is not None:
            found.setdefault(utc_date(start), Totals()).add(totals)
    return {day: _counts(totals) for day, totals in found.items()}


def init_app(app):
    app.cli.add_command(rollup_command)


@click.command("rollup")
@with_appcontext
def rollup_command():
    """Sum every closed day (and hour of today) in the retention window for every site, so no
    dashboard view has to (each slice is otherwise summed when first read)."""
    for site in current_app.config["SITES"]:
        click.echo(f"{site}: {roll_window(site)} slices summed")
