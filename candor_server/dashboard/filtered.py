"""Answers under filters on visit properties, pages, event names and props, and breakdowns by
props, from visit columns (visit_columns.py): the same Counts the rollups give unfiltered
(rollups.py), exact, visitors included. A period's columns are the stored columns of its
summed slices (joined once in this process: slice_cache.py) and, read beside them, the
stretches after them, joined once per request; each set of filters is applied once per
request too, for every panel of a page."""

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


def _stored(connection, site, digests, ordered=False):
    """The stored columns of the plan's summed slices (`digests`: (slice key, digest) pairs),
    decoded and joined once per process (slice_cache.py), and `ordered` by visitor to come first
    in every period they are read in (visit_columns.by_visitor); only the join is kept, as a
    month of slices at ten million events takes hundreds of MB."""
    key = ("joined columns", ordered, *digests)
    joined = slice_cache.get(key)
    if joined is None:
        query = select(ROLLED.c.slice, ROLLED.c.columns_digest, ROLLED.c.visit_columns).where(
            ROLLED.c.site == site, ROLLED.c.slice.in_([slice_key for slice_key, _ in digests])
        )
        rows = sorted(connection.execute(query))
        joined = visit_columns.combined([Columns.from_bytes(stored) for _, _, stored in rows])
        if ordered:
            joined = visit_columns.by_visitor(joined)
        # a slice summed again since the plan was made has a new digest
        key = ("joined columns", ordered, *((slice_key, digest) for slice_key, digest, _ in rows))
        slice_cache.put(key, joined, joined.nbytes)
    return joined


def _period_columns(connection, site, period):
    """The period's columns, in one or two parts read side by side (_Selection): its closed days
    (joined, ranked and ordered once a day, the costly part), or without any today's closed
    hours (joined once an hour); then, joined after them at each request (visit_columns.after),
    today's closed hours and the raw stretches. A month is read where it is kept, never copied."""
    joined = g.setdefault("candor_period_columns", {})
    key = (site, period.first, period.last)
    if key not in joined:
        read = rollups.plan(site, period)
        days = tuple(pair for pair in read.digests if rollup_slices.is_day(pair[0]))
        hours = tuple(pair for pair in read.digests if not rollup_slices.is_day(pair[0]))
        stored = [_stored(connection, site, run, ordered=run is days) for run in (days, hours) if run]
        later = stored[1:] + [rollups.raw_columns(connection, site, start, end) for start, end in read.raw]
        if not stored:
            parts = [visit_columns.combined(later)]
        else:
            parts = [stored[0], visit_columns.after(stored[0], later)] if later else stored
        joined[key] = _Selection(parts)
    return joined[key]


def _selection(connection, scope):
    """The period's columns with the scope's filters applied, once per request."""
    chosen = g.setdefault("candor_filtered", {})
    key = (scope.site, scope.period.first, scope.period.last, scope.filters)
    if key not in chosen:
        chosen[key] = _period_columns(connection, scope.site, scope.period).filtered(scope.filters)
    return chosen[key]


def _matching_codes(texts, values, negated=False):
    """Per code of `texts`, whether a filter on these values keeps it. A negated filter keeps
    rows without a value too (CONTRACT.md §6)."""
    kept = np.fromiter((text is not None and any(patterns.matches_text(text, value) for value in values) for text in texts), dtype=bool)
    return ~kept if negated else kept


def _distinct_count(ranks, size):
    """How many distinct visitors (or visits) some rows have, by their ranks (below `size`)."""
    return int(np.count_nonzero(np.bincount(ranks, minlength=size)))


def _counts_at(sums, index):
    """Counts of one group from arrays of sums by group, named by Counts' fields."""
    return Counts(*(int(sums[field][index]) for field in Counts._fields))


class _Selection:
    """The parts of a period's columns (a join, and the stretches after it that share its texts
    and ranks: visit_columns.after), each with a visit mask (the visits counted: started in the
    period, kept by the filters) and an event mask (the events counted). Panels read the values
    at the rows the masks select, across the parts, found once."""

    def __init__(self, parts, visits=None, events=None):
        self.parts = parts
        self.texts, self.visitors, self.visit_ranks = parts[-1].texts, parts[-1].visitors, parts[-1].visits
        self.visits = [part.numbers["started"] for part in parts] if visits is None else visits
        self.events = [np.ones(part.event_count, dtype=bool) for part in parts] if events is None else events
        self._of_kind: dict = {}

    def filtered(self, filters):
        """This selection narrowed by filters on visit properties, pages, event names and props:
        visits that match (and contain a matching event, with event filters); events that match,
        of a visit that matches."""
        visit_rows = [np.ones(part.visit_count, dtype=bool) for part in self.parts]
        events = [mask.copy() for mask in self.events]
        has_visit_filter = has_event_filter = False
        for flt in filters:
            visit_filter = flt.prop in VISIT_COLUMNS
            if flt.prop.startswith(PROPS_PREFIX):
                kept = _matching_codes(self.texts["prop_value"], flt.values)
                for part, mask, props in zip(self.parts, events, self._props_named(flt.prop[len(PROPS_PREFIX) :]), strict=True):
                    has = np.zeros(part.event_count, dtype=bool)
                    has[part.numbers["prop_event"][props[kept[part.codes["prop_value"][props]]]]] = True
                    mask &= ~has if flt.negated else has  # negated, events without the key are kept too
            else:
                name = VISIT_COLUMNS[flt.prop] if visit_filter else "path" if flt.prop == PAGE else "name"
                kept = _matching_codes(self.texts[name], flt.values, flt.negated)
                for part, masks in zip(self.parts, visit_rows if visit_filter else events, strict=True):
                    masks &= kept[part.codes[name]]
            has_visit_filter |= visit_filter
            has_event_filter |= not visit_filter
        visits = [mask & rows for mask, rows in zip(self.visits, visit_rows, strict=True)]
        if has_event_filter:
            with_event = np.zeros(self.visit_ranks, dtype=bool)
            for part, mask in zip(self.parts, events, strict=True):
                with_event[part.numbers["event_visit_rank"][mask]] = True
            visits = [mask & with_event[part.numbers["visit_rank"]] for part, mask in zip(self.parts, visits, strict=True)]
        if has_visit_filter:
            for part, rows, mask in zip(self.parts, visit_rows, events, strict=True):
                rows &= part.numbers["id"] >= 0  # an event whose visit is gone matches no visit filter
                mask &= rows[part.numbers["event_visit"]]
        return _Selection(self.parts, visits, events)

    def _props_named(self, key, events=None):
        """Each part's rows of the props named `key` (of the events in `events`, masks per part,
        when given)."""
        if key not in self.texts["prop_key"]:
            return [np.zeros(0, dtype=np.intp) for _ in self.parts]
        code = self.texts["prop_key"].index(key)
        found = [part.codes["prop_key"] == code for part in self.parts]
        if events is not None:
            found = [rows & mask[part.numbers["prop_event"]] for part, rows, mask in zip(self.parts, found, events, strict=True)]
        return [np.flatnonzero(rows) for rows in found]

    def prop_keys(self, limit):
        """The props keys of the selected events, most used first, up to `limit`."""
        size = len(self.texts["prop_key"])
        used = np.zeros(size, dtype=np.int64)
        for part, mask in zip(self.parts, self.events, strict=True):
            used += np.bincount(part.codes["prop_key"][mask[part.numbers["prop_event"]]], minlength=size)
        ranked = sorted((-int(used[code]), self.texts["prop_key"][code]) for code in np.flatnonzero(used) if code)
        return [key for _, key in ranked[:limit]]

    def _at(self, name, rows, codes=False):
        """A number (or with `codes`, a text's code) at each part's `rows`, as one array."""
        found = [(part.codes if codes else part.numbers)[name][taken] for part, taken in zip(self.parts, rows, strict=True)]
        return found[0] if len(found) == 1 else np.concatenate(found)

    @cached_property
    def _visit_rows(self):
        return [np.flatnonzero(mask) for mask in self.visits]

    def _of_visits(self, name, codes=False):
        """A number (or with `codes`, a text's code) of each selected visit."""
        return self._at(name, self._visit_rows, codes)

    def _events_of(self, kind):
        """Each part's rows of the selected events of one kind (page views or custom events)."""
        if kind not in self._of_kind:
            self._of_kind[kind] = [
                np.flatnonzero(mask & (part.numbers["event_kind"] == kind)) for part, mask in zip(self.parts, self.events, strict=True)
            ]
        return self._of_kind[kind]

    def _of_events(self, kind, name, codes=False):
        """A number (or with `codes`, a text's code) of each selected event of one kind."""
        return self._at(name, self._events_of(kind), codes)

    def _event_visits(self, kind, size):
        """A number per selected event of one kind for its visit: the visitor's rank and the
        visit's packed together, in which order a stored join keeps events
        (visit_columns.by_visitor), so that the pairs distinct.per_code sorts come nearly in
        order; the visit's rank alone when packed they would not fit with codes below `size`."""
        visits = self._of_events(kind, "event_visit_rank").astype(np.int64)
        if not distinct.fits(self.visitors * self.visit_ranks, size):
            return visits
        return self._of_events(kind, "event_visitor_rank").astype(np.int64) * self.visit_ranks + visits

    @cached_property
    def _chosen(self):
        """The selected visits' visitor ranks and the weights their counts sum."""
        chosen = {name: self._of_visits(name).astype(np.float64) for name in ("page_views", "events", "duration_ms")}
        chosen["bounces"] = visit_columns.bounced(chosen["page_views"], chosen["events"])
        return self._of_visits("visitor_rank"), chosen

    def _visit_sums(self, groups, size):
        """Counts per group code of the selected visits (`groups`: a code per selected visit)."""
        ranks, weights = self._chosen
        sums = {name: np.bincount(groups, weights=array, minlength=size).astype(np.int64) for name, array in weights.items()}
        return {"visitors": distinct.per_code(groups, ranks, size), "visits": np.bincount(groups, minlength=size), **sums}

    def whole(self):
        """Counts of the whole selection (all the comparison with the previous period asks for,
        so none of the breakdowns' sums)."""
        ranks, weights = self._chosen
        return Counts(
            _distinct_count(ranks, self.visitors),
            len(ranks),
            int(weights["bounces"].sum()),
            int(weights["duration_ms"].sum()),
            sum(len(rows) for rows in self._events_of(visit_columns.PAGE)),
            sum(len(rows) for rows in self._events_of(CUSTOM)),
        )

    def per_bucket(self, hours):
        """{bucket number: Counts} in buckets of `hours` hours since the epoch: visits by when
        they started, events by when they were received."""
        visit_buckets = self._of_visits("hour").astype(np.int64) // hours
        page_buckets, custom_buckets = (
            self._of_events(kind, "event_hour").astype(np.int64) // hours for kind in (visit_columns.PAGE, CUSTOM)
        )
        buckets = np.concatenate((visit_buckets, page_buckets, custom_buckets))
        if not len(buckets):
            return {}
        first = int(buckets.min())
        size = int(buckets.max()) - first + 1
        sums = self._visit_sums(visit_buckets - first, size)
        page_views, custom = (np.bincount(found - first, minlength=size) for found in (page_buckets, custom_buckets))
        sums.update(page_views=page_views, events=custom)
        return {first + n: _counts_at(sums, n) for n in range(size) if sums["visits"][n] or page_views[n] or custom[n]}

    def by_value(self, dimension):
        """{value: Counts} of a visit property, or of pages (visitors, visits, page views), event
        names or a key of props (visitors, events)."""
        if dimension in VISIT_COLUMNS:
            name = VISIT_COLUMNS[dimension]
            sums = self._visit_sums(self._of_visits(name, codes=True), len(self.texts[name]))
            found = {field: sums[field] for field in Counts._fields}
        elif dimension.startswith(PROPS_PREFIX):
            name, props = "prop_value", self._props_named(dimension[len(PROPS_PREFIX) :], self.events)
            groups = self._at(name, props, codes=True)
            events = [part.numbers["prop_event"][rows] for part, rows in zip(self.parts, props, strict=True)]
            size = len(self.texts[name])
            none = np.zeros(size, dtype=np.int64)
            found = {
                **{field: none for field in Counts._fields},
                "visitors": distinct.per_code(groups, self._at("event_visitor_rank", events), size),
                "events": np.bincount(groups, minlength=size),
            }
        else:
            name, kind = ("path", visit_columns.PAGE) if dimension == PAGE else ("name", CUSTOM)
            groups = self._of_events(kind, name, codes=True)
            size = len(self.texts[name])
            count = np.bincount(groups, minlength=size)
            none = np.zeros(size, dtype=np.int64)
            found = {
                "visitors": distinct.per_code(groups, self._of_events(kind, "event_visitor_rank"), size),
                "visits": distinct.per_code(groups, self._event_visits(kind, size), size) if dimension == PAGE else none,
                "bounces": none,
                "duration_ms": none,
                "page_views": count if dimension == PAGE else none,
                "events": count if dimension == NAME else none,
            }
        present = np.flatnonzero(found["visits"] + found["page_views"] + found["events"])
        return {self.texts[name][code]: _counts_at(found, code) for code in present if code}

    def funnel(self, steps):
        """Visits of the selection reaching each step: an event matching step n (a page view of
        a path matching the pattern, or a custom event of that name) whose browser time is
        later than the earliest that reached step n-1 in the same visit."""
        never = np.iinfo(np.int64).max
        reached_at = np.full(self.visit_ranks, never)  # by visit rank: a selected visit is at the start, no other ever
        for part, mask in zip(self.parts, self.visits, strict=True):
            reached_at[part.numbers["visit_rank"][mask]] = np.iinfo(np.int64).min
        reached = []
        for step in steps:
            rows = [np.flatnonzero(reaching) for reaching in self._goal_events(step)]
            visits, times = self._at("event_visit_rank", rows), self._at("event_ts", rows)
            later = times > reached_at[visits]
            reached_at = np.full(self.visit_ranks, never)
            np.minimum.at(reached_at, visits[later], times[later])
            reached.append(int(np.count_nonzero(reached_at < never)))
        return reached

    def _goal_events(self, goal):
        """Per part, which events (all, filtered or not) reach a goal (analytics.Goal): a page
        view whose path matches its pattern, or a custom event of exactly its name."""
        if goal.kind == "page":
            kind, name, kept = visit_columns.PAGE, "path", _matching_codes(self.texts["path"], (goal.value,))
        else:
            kind, name = CUSTOM, "name"
            kept = np.fromiter((text == goal.value for text in self.texts["name"]), dtype=bool, count=len(self.texts["name"]))
        return [(part.numbers["event_kind"] == kind) & kept[part.codes[name]] for part in self.parts]

    def matching(self, goal):
        """Counts of the page views that reach a page goal, taken together."""
        rows = [np.flatnonzero(mask & reaching) for mask, reaching in zip(self.events, self._goal_events(goal), strict=True)]
        visitors = _distinct_count(self._at("event_visitor_rank", rows), self.visitors)
        visits = _distinct_count(self._at("event_visit_rank", rows), self.visit_ranks)
        return Counts(visitors, visits, 0, 0, sum(len(found) for found in rows), 0)


def whole_site(connection, scope):
    return _selection(connection, scope).whole()


def per_bucket(connection, scope, interval_ms):
    """{bucket: Counts} for the buckets (hours or days since the epoch) that have any."""
    return _selection(connection, scope).per_bucket(interval_ms // HOUR_MS)


def by_value(connection, scope, dimension):
    """{value: Counts} of a visit property, `event:page`, `event:name` or `event:props:<key>`."""
    return _selection(connection, scope).by_value(dimension)


def funnel(connection, scope, steps):
    """[visits that reached each step] (see analytics.funnel)."""
    return _selection(connection, scope).funnel(steps)


def prop_keys(connection, scope, limit):
    """The props keys of the scope's custom events, most used first."""
    return _selection(connection, scope).prop_keys(limit)


def page_goal(connection, scope, goal):
    """Counts of the page views that reach a page goal, taken together."""
    return _selection(connection, scope).matching(goal)
