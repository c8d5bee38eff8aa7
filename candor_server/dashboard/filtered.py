"""Answers under filters on visit properties, pages and event names, from visit columns
(visit_columns.py): the same Counts the rollups give unfiltered (rollups.py), exact, visitors
included. A period's columns are the stored columns of its summed slices (joined once in this
process: slice_cache.py) and the raw stretches after them, joined once per request; each set of
filters is applied once per request too, for every panel of a page.

Filters on event props are not held in columns; analytics.py answers them in SQL."""

from functools import cached_property

import numpy as np
from flask import g
from sqlalchemy import select

from ..storage import rollup_slices, tables
from . import distinct, patterns, rollups, slice_cache, visit_columns
from .periods import HOUR_MS
from .properties import PROPS_PREFIX, VISIT_COLUMNS
from .rollups import NAME, PAGE, Counts
from .visit_columns import CUSTOM, Columns

ROLLED = tables.rolled_slice


def answers(filters):
    """Whether the rollups (no filter) or visit columns answer a view under these filters:
    unless one is on event props."""
    return not any(f.prop.startswith(PROPS_PREFIX) for f in filters)


def _stored(connection, site, digests):
    """The stored columns of the plan's summed slices (`digests`: (slice key, digest) pairs),
    decoded and joined once per process (slice_cache.py); only the join is kept, as a month of
    slices at ten million events takes hundreds of MB."""
    key = ("joined columns", *digests)
    joined = slice_cache.get(key)
    if joined is None:
        query = select(ROLLED.c.slice, ROLLED.c.columns_digest, ROLLED.c.visit_columns).where(
            ROLLED.c.site == site, ROLLED.c.slice.in_([slice_key for slice_key, _ in digests])
        )
        rows = sorted(connection.execute(query))
        joined = visit_columns.combined([Columns.from_bytes(stored) for _, _, stored in rows])
        key = ("joined columns", *((slice_key, digest) for slice_key, digest, _ in rows))  # a slice summed again since has a new digest
        slice_cache.put(key, joined, joined.nbytes)
    return joined


def _period_columns(connection, site, period):
    """The period's columns, joined once per request: its closed days (joined and their visitors
    ranked once a day, the costly part), today's closed hours (joined once an hour) and the raw
    stretches after them."""
    joined = g.setdefault("candor_period_columns", {})
    key = (site, period.first, period.last)
    if key not in joined:
        read = rollups.plan(site, period)
        days = tuple(pair for pair in read.digests if rollup_slices.is_day(pair[0]))
        hours = tuple(pair for pair in read.digests if not rollup_slices.is_day(pair[0]))
        parts = [_stored(connection, site, run) for run in (days, hours) if run]
        parts += [rollups.raw_columns(connection, site, start, end) for start, end in read.raw]
        joined[key] = _Selection(visit_columns.combined(parts))
    return joined[key]


def _selection(connection, scope):
    """The period's columns with the scope's filters applied, once per request."""
    chosen = g.setdefault("candor_filtered", {})
    key = (scope.site, scope.period.first, scope.period.last, scope.filters)
    if key not in chosen:
        chosen[key] = _period_columns(connection, scope.site, scope.period).filtered(scope.filters)
    return chosen[key]


def _matching_codes(texts, values, negated=False):
    """Per code of `texts`, whether a filter on these values keeps it. As in SQL, a negated
    filter keeps rows without a value."""
    kept = np.fromiter((text is not None and any(patterns.matches_text(text, value) for value in values) for text in texts), dtype=bool)
    return ~kept if negated else kept


class _Visitors:
    """The visitors of some rows, by their ranks (visit_columns.Columns): a visitor on a single row
    is counted without sorting at all."""

    def __init__(self, ranks, visitors):
        self.ranks, self.width = ranks, max(visitors, 1)
        rows_of = np.bincount(ranks, minlength=visitors)
        self.count = int(np.count_nonzero(rows_of))
        self.single = rows_of[ranks] == 1

    def per_code(self, codes, size):
        """How many distinct visitors each code has among the rows (a code per row)."""
        found = np.bincount(codes[self.single], minlength=size)
        shared = ~self.single
        if shared.any():
            pairs = distinct.unique(codes[shared].astype(np.int64) * self.width + self.ranks[shared])
            found += np.bincount(pairs // self.width, minlength=size)
        return found


def _counts_at(sums, index):
    """Counts of one group from arrays of sums by group, named by Counts' fields."""
    return Counts(*(int(sums[field][index]) for field in Counts._fields))


class _Selection:
    """Columns with a visit mask (the visits counted: started in the period, kept by the
    filters) and an event mask (the events counted)."""

    def __init__(self, columns, visits=None, events=None):
        self.columns = columns
        numbers = columns.numbers
        self.visits = numbers["started"] if visits is None else visits
        self.events = np.ones(columns.event_count, dtype=bool) if events is None else events
        self._of_kind: dict = {}

    def filtered(self, filters):
        """This selection narrowed by filters on visit properties, pages and event names: visits
        that match (and contain a matching event, with event filters); events that match, of a
        visit that matches."""
        numbers, codes, texts = self.columns.numbers, self.columns.codes, self.columns.texts
        visit_rows = np.ones(self.columns.visit_count, dtype=bool)
        events = self.events.copy()
        has_visit_filter = has_event_filter = False
        for flt in filters:
            if flt.prop in VISIT_COLUMNS:
                name = VISIT_COLUMNS[flt.prop]
                visit_rows &= _matching_codes(texts[name], flt.values, flt.negated)[codes[name]]
                has_visit_filter = True
            else:
                name = "path" if flt.prop == PAGE else "name"
                events &= _matching_codes(texts[name], flt.values, flt.negated)[codes[name]]
                has_event_filter = True
        visits = self.visits & visit_rows
        if has_event_filter:
            visits &= np.isin(numbers["id"], numbers["event_visit_id"][events])
        if has_visit_filter:
            visit_rows &= numbers["id"] >= 0  # an event whose visit is gone matches no visit filter
            events &= visit_rows[numbers["event_visit"]]
        return _Selection(self.columns, visits, events)

    @cached_property
    def _chosen(self):
        """The selected visits' visitors (as _Visitors) and the weights their counts sum."""
        numbers = self.columns.numbers
        chosen = {name: numbers[name][self.visits].astype(np.float64) for name in ("page_views", "events", "duration_ms")}
        chosen["bounces"] = visit_columns.bounced(chosen["page_views"], chosen["events"])
        return _Visitors(numbers["visitor_rank"][self.visits], self.columns.visitors), chosen

    def _visit_sums(self, groups, size):
        """Counts per group code of the selected visits (`groups`: a code per selected visit)."""
        visitors, weights = self._chosen
        sums = {name: np.bincount(groups, weights=array, minlength=size).astype(np.int64) for name, array in weights.items()}
        return {"visitors": visitors.per_code(groups, size), "visits": np.bincount(groups, minlength=size), **sums}

    def _events_of(self, kind):
        """The selected events of one kind (page views or custom events), found once."""
        if kind not in self._of_kind:
            self._of_kind[kind] = self.events & (self.columns.numbers["event_kind"] == kind)
        return self._of_kind[kind]

    def whole(self):
        """Counts of the whole selection (all the comparison with the previous period asks for,
        so none of the breakdowns' sums)."""
        numbers = self.columns.numbers
        return Counts(
            _Visitors(numbers["visitor_rank"][self.visits], self.columns.visitors).count,
            int(self.visits.sum()),
            int(visit_columns.bounced(numbers["page_views"][self.visits], numbers["events"][self.visits]).sum()),
            int(numbers["duration_ms"][self.visits].sum()),
            int(self._events_of(visit_columns.PAGE).sum()),
            int(self._events_of(CUSTOM).sum()),
        )

    def per_bucket(self, hours):
        """{bucket number: Counts} in buckets of `hours` hours since the epoch: visits by when
        they started, events by when they were received."""
        numbers = self.columns.numbers
        visit_buckets, event_buckets = (numbers[name].astype(np.int64) // hours for name in ("hour", "event_hour"))
        buckets = np.concatenate((visit_buckets[self.visits], event_buckets[self.events]))
        if not len(buckets):
            return {}
        first = int(buckets.min())
        size = int(buckets.max()) - first + 1
        sums = self._visit_sums(visit_buckets[self.visits] - first, size)
        page_views, custom = (
            np.bincount(event_buckets[self._events_of(kind)] - first, minlength=size) for kind in (visit_columns.PAGE, CUSTOM)
        )
        sums.update(page_views=page_views, events=custom)
        return {first + n: _counts_at(sums, n) for n in range(size) if sums["visits"][n] or page_views[n] or custom[n]}

    def by_value(self, dimension):
        """{value: Counts} of a visit property, or of pages (visitors, visits, page views) or
        event names (visitors, events)."""
        numbers, codes, texts = self.columns.numbers, self.columns.codes, self.columns.texts
        if dimension in VISIT_COLUMNS:
            name = VISIT_COLUMNS[dimension]
            sums = self._visit_sums(codes[name][self.visits].astype(np.int64), len(texts[name]))
            found = {field: sums[field] for field in Counts._fields}
        else:
            name, kind = ("path", visit_columns.PAGE) if dimension == PAGE else ("name", CUSTOM)
            rows = self._events_of(kind)
            groups = codes[name][rows].astype(np.int64)
            size = len(texts[name])
            count = np.bincount(groups, minlength=size)
            none = np.zeros(size, dtype=np.int64)
            found = {
                "visitors": _Visitors(numbers["event_visitor_rank"][rows], self.columns.visitors).per_code(groups, size),
                "visits": distinct.per_code(groups, numbers["event_visit_id"][rows] + 1, size) if dimension == PAGE else none,
                "bounces": none,
                "duration_ms": none,
                "page_views": count if dimension == PAGE else none,
                "events": count if dimension == NAME else none,
            }
        present = np.flatnonzero(found["visits"] + found["page_views"] + found["events"])
        return {texts[name][code]: _counts_at(found, code) for code in present if code}

    def funnel(self, steps):
        """Visits of the selection reaching each step: an event matching step n (a page view of
        a path matching the pattern, or a custom event of that name) whose browser time is
        later than the earliest that reached step n-1 in the same visit."""
        numbers = self.columns.numbers
        counted = np.sort(numbers["id"][self.visits], kind="stable")  # nearly in order already: ids grow with time
        reached_at = np.full(len(counted), np.iinfo(np.int64).min)  # every visit is at the start
        reached = []
        for step in steps:
            rows = np.flatnonzero(self._goal_events(step))
            visit_ids = numbers["event_visit_id"][rows]
            visit_rank = np.minimum(np.searchsorted(counted, visit_ids), max(len(counted) - 1, 0))
            of_visit = counted[visit_rank] == visit_ids if len(counted) else np.zeros(len(rows), dtype=bool)
            rows, visit_rank = rows[of_visit], visit_rank[of_visit]
            later = numbers["event_ts"][rows] > reached_at[visit_rank]
            rows, visit_rank = rows[later], visit_rank[later]
            earliest = np.full(len(counted), np.iinfo(np.int64).max)
            np.minimum.at(earliest, visit_rank, numbers["event_ts"][rows])
            reached_at = earliest
            reached.append(int((earliest < np.iinfo(np.int64).max).sum()))
        return reached

    def _goal_events(self, goal):
        """Which events (of all, filtered or not) reach a goal (analytics.Goal): a page view
        whose path matches its pattern, or a custom event of exactly its name."""
        numbers, codes, texts = self.columns.numbers, self.columns.codes, self.columns.texts
        if goal.kind == "page":
            kind, name, kept = visit_columns.PAGE, "path", _matching_codes(texts["path"], (goal.value,))
        else:
            kind, name = CUSTOM, "name"
            kept = np.fromiter((text == goal.value for text in texts["name"]), dtype=bool, count=len(texts["name"]))
        return (numbers["event_kind"] == kind) & kept[codes[name]]

    def matching(self, goal):
        """Counts of the page views that reach a page goal, taken together."""
        numbers = self.columns.numbers
        rows = self.events & self._goal_events(goal)
        visitors = _Visitors(numbers["event_visitor_rank"][rows], self.columns.visitors).count
        visits = len(distinct.unique(numbers["event_visit_id"][rows]))
        return Counts(visitors, visits, 0, 0, int(rows.sum()), 0)


def whole_site(connection, scope):
    return _selection(connection, scope).whole()


def per_bucket(connection, scope, interval_ms):
    """{bucket: Counts} for the buckets (hours or days since the epoch) that have any."""
    return _selection(connection, scope).per_bucket(interval_ms // HOUR_MS)


def by_value(connection, scope, dimension):
    """{value: Counts} of a visit property, `event:page` or `event:name`."""
    return _selection(connection, scope).by_value(dimension)


def funnel(connection, scope, steps):
    """[visits that reached each step] (see analytics.funnel)."""
    return _selection(connection, scope).funnel(steps)


def page_goal(connection, scope, goal):
    """Counts of the page views that reach a page goal, taken together."""
    return _selection(connection, scope).matching(goal)
