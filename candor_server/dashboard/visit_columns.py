"""Visit columns: a stretch of a site's time (a slice of rollup_slices.py, or the last hour or
two still read raw) as numpy arrays, one per field of its visits and of its events, texts coded
against the stretch's own list of them. The rollups (rollups.py) are summed from them, and the
dashboard answers a filter with them (filtered.py): a filter can pick any set of visits, so no
sum made ahead of time answers it, and reading 30 days of raw rows through SQL takes most of a
second at a million events, where a lookup of codes over arrays takes milliseconds.

A stretch holds the visits that started in it and, for the events received in it, the visits
those events belong to (marked as started before), so a filter on a visit property applies
to an event whatever stretch its visit started in; and the props of its custom events, a row
per key. Stored, a closed slice's columns take about 23 bytes an event, its visit and props
included (`to_bytes`), kept with the slice in `rolled_slice`; a change to which arrays a stretch
holds needs a migration that drops the summed slices, as 0009_prop_columns does."""

import json
import zlib
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from ..collector.visits import COUNTED_TYPES
from ..storage import tables
from . import distinct
from .periods import HOUR_MS
from .properties import VISIT_COLUMNS

E, V = tables.event, tables.visit
VISIT_TEXTS = tuple(dict.fromkeys(VISIT_COLUMNS.values()))
EVENT_TEXTS = ("path", "name")
PROP_TEXTS = ("prop_key", "prop_value")
PAGE, CUSTOM = 0, 1
"""`event_kind` of a page view and of a custom event."""
ID_CHUNK = 500


@dataclass
class Columns:
    """`numbers`: per visit `id`, `visitor`, `started` (in this stretch), `page_views`,
    `events`, `duration_ms`, `hour` (hours since the epoch when it started); per event
    `event_visit` (its visit's row), `event_visit_id`, `event_visitor`, `event_kind`, `event_ts`
    (the browser's clock, which orders a funnel's steps) and `event_hour` (when received); per
    prop (a key of a custom event's props with a value) `prop_event` (its event's row).
    `codes`: per text field (VISIT_TEXTS for visits, EVENT_TEXTS for events, PROP_TEXTS for
    props) each row's code, an index into `texts`, whose code 0 stands for no value.

    Joined stretches (`combined`) also rank their visitors and visits (RANKED):
    `visitor_rank` and `event_visitor_rank` number each row's visitor densely below `visitors`,
    `visit_rank` and `event_visit_rank` each row's visit below `visits` (a visit that goes on
    past a stretch has a row in each, all one rank), so counting distinct visitors or visits, or
    following a visit's events, needs no sort of large keys; `ranked_keys` ({"visitor" or
    "visit": the keys in rank order}) lets a later join extend those ranks instead of sorting
    again."""

    numbers: dict
    codes: dict
    texts: dict
    visitors: int = 0
    visits: int = 0
    ranked_keys: dict | None = None

    @property
    def visit_count(self):
        return len(self.numbers["id"])

    @property
    def event_count(self):
        return len(self.numbers["event_kind"])

    @property
    def prop_count(self):
        return len(self.numbers["prop_event"])

    def to_bytes(self):
        """The columns compressed, with a JSON header naming each array and the texts."""
        arrays = {**self.numbers, **{f"code:{name}": codes for name, codes in self.codes.items()}}
        header = json.dumps(
            {"arrays": [[name, array.dtype.str, len(array)] for name, array in arrays.items()], "texts": self.texts}
        ).encode()
        return zlib.compress(len(header).to_bytes(4, "big") + header + b"".join(array.tobytes() for array in arrays.values()), 1)

    @classmethod
    def from_bytes(cls, stored):
        raw = zlib.decompress(stored)
        size = int.from_bytes(raw[:4], "big")
        header = json.loads(raw[4 : 4 + size])
        offset, numbers, codes = 4 + size, {}, {}
        for name, dtype, length in header["arrays"]:
            array = np.frombuffer(raw, dtype=dtype, count=length, offset=offset)
            offset += array.nbytes
            if name.startswith("code:"):
                codes[name[len("code:") :]] = array
            else:
                numbers[name] = array
        return cls(numbers, codes, header["texts"])

    @property
    def nbytes(self):
        ranked = sum(keys.nbytes for keys in (self.ranked_keys or {}).values())
        return ranked + sum(array.nbytes for array in (*self.numbers.values(), *self.codes.values()))


def bounced(page_views, events):
    """Per visit, whether it bounced (one page view or event), as 1.0 or 0.0 to be summed."""
    return (page_views.astype(np.int64) + events <= 1).astype(np.float64)


def _coded(values):
    """(codes, texts) of a list of values, None coded 0, in the smallest unsigned type."""
    index: dict = {None: 0}
    codes = [index.setdefault(value, len(index)) for value in values]
    return np.array(codes, dtype=_code_type(len(index))), list(index)


def _code_type(count):
    """The smallest unsigned type holding codes below `count`: most fields take a byte a row."""
    return np.uint8 if count <= 1 << 8 else np.uint16 if count <= 1 << 16 else np.uint32


def _visit_query():
    duration = V.c.ended_at - V.c.started_at
    return select(V.c.id, V.c.visitor, V.c.page_views, V.c.events, duration, V.c.started_at, *(V.c[name] for name in VISIT_TEXTS))


def between(connection, site, start, end):
    """The columns of the visits started and the page views and custom events received from
    `start` to `end` (ms), with the visits of those events that started earlier."""
    visits = connection.execute(_visit_query().where(V.c.site == site, V.c.started_at >= start, V.c.started_at < end)).all()
    events = connection.execute(
        select(E.c.visit_id, E.c.visitor, E.c.type, E.c.path, E.c.name, E.c.ts, E.c.received_at, E.c.props).where(
            E.c.site == site, E.c.type.in_(COUNTED_TYPES), E.c.received_at >= start, E.c.received_at < end
        )
    ).all()
    started = len(visits)
    known = {row[0] for row in visits}
    earlier = sorted({row[0] for row in events if row[0] not in known and row[0] is not None})
    for first in range(0, len(earlier), ID_CHUNK):
        visits += connection.execute(_visit_query().where(V.c.id.in_(earlier[first : first + ID_CHUNK]))).all()
    return of_rows(visits, started, events)


def of_rows(visits, started, events):
    """Columns of visit rows (the first `started` of them started in the stretch) and event
    rows, as `between` reads them."""
    row_of = {row[0]: number for number, row in enumerate(visits)}
    visit_fields = list(zip(*visits, strict=True)) if visits else [()] * (6 + len(VISIT_TEXTS))
    event_fields = list(zip(*events, strict=True)) if events else [()] * 8
    props = [(row, key, _prop_text(value)) for row, found in enumerate(event_fields[7]) for key, value in (found or {}).items()]
    props = [prop for prop in props if prop[2] is not None]
    numbers = {
        "id": np.array(visit_fields[0], dtype=np.int64),
        "visitor": np.array(visit_fields[1], dtype=np.uint64),
        "started": np.arange(len(visits)) < started,
        "page_views": np.array(visit_fields[2], dtype=np.int32),
        "events": np.array(visit_fields[3], dtype=np.int32),
        "duration_ms": np.array(visit_fields[4], dtype=np.int64),
        "hour": (np.array(visit_fields[5], dtype=np.int64) // HOUR_MS).astype(np.int32),
        # An event whose visit is gone (cut by the retention purge) points past the last visit.
        "event_visit": np.array([row_of.get(visit_id, len(visits)) for visit_id in event_fields[0]], dtype=np.int32),
        "event_visit_id": np.array([-1 if visit_id is None else visit_id for visit_id in event_fields[0]], dtype=np.int64),
        "event_visitor": np.array(event_fields[1], dtype=np.uint64),
        "event_kind": np.array([PAGE if kind == "page" else CUSTOM for kind in event_fields[2]], dtype=np.uint8),
        "event_ts": np.array(event_fields[5], dtype=np.int64),
        "event_hour": (np.array(event_fields[6], dtype=np.int64) // HOUR_MS).astype(np.int32),
        "prop_event": np.array([row for row, _, _ in props], dtype=np.int32),
    }
    codes, texts = {}, {}
    coded = (
        *zip(VISIT_TEXTS, visit_fields[6:], strict=True),
        ("path", event_fields[3]),
        ("name", event_fields[4]),
        ("prop_key", [key for _, key, _ in props]),
        ("prop_value", [value for _, _, value in props]),
    )
    for name, values in coded:
        codes[name], texts[name] = _coded(values)
    return Columns(numbers, codes, texts)


def _prop_text(value):
    """A prop's value as text, as PostgreSQL's `->>` reads it from the stored JSON: a string as
    it is, a number or boolean as JSON writes it; None for null."""
    return value if value is None or isinstance(value, str) else json.dumps(value)


def combined(parts):
    """One Columns of several stretches: arrays joined, codes mapped onto shared texts (in the
    smallest type that holds them: a month at ten million events is held in memory), visitors
    and visits ranked, and a final visit row with no values that events whose visit is gone
    point to."""
    return _joined(parts, None)


def after(first, parts):
    """The stretches that follow `first` (a join: `combined`, maybe `by_visitor`) as Columns of
    their own, with the ranks of `first` extended to them and its texts too (its codes stay
    valid against theirs): read together with `first` (filtered.py), a month and the hour or two
    after it need no copy of the month's arrays at each request."""
    return _joined([first, *parts], first)


RANKED = (("visitor", "visitor", "event_visitor"), ("visit", "id", "event_visit_id"))
"""What a join ranks: (name, key of a visit, key of an event); the ranks are `<name>_rank` and
`event_<name>_rank`."""
RANKS = tuple(name for ranked, _, _ in RANKED for name in (f"{ranked}_rank", f"event_{ranked}_rank"))
DROPPED_KEYS = ("visitor", "event_visitor", "event_visit_id")
"""What `by_visitor` leaves out: keys the ranks stand for (a visit's id stays: gone visits have none)."""


def _joined(parts, first):
    """`combined(parts)` (`first` None), or `after(first, parts[1:])` (`first` is parts[0])."""
    parts = [*parts, of_rows([(-1, 0, 0, 0, 0, 0, *(None for _ in VISIT_TEXTS))], 0, [])]
    lookups: dict[str, dict] = {name: {None: 0} for name in (*VISIT_TEXTS, *EVENT_TEXTS, *PROP_TEXTS)}
    mappings: list[dict] = []
    for number, part in enumerate(parts):
        if number == 0:  # a part's texts are distinct, no value first: the first keeps its codes
            for name, lookup in lookups.items():
                lookup.update(zip(part.texts[name], range(len(part.texts[name])), strict=True))
            mappings.append({})
            continue
        mappings.append({name: [lookup.setdefault(text, len(lookup)) for text in part.texts[name]] for name, lookup in lookups.items()})
    kept = parts if first is None else parts[1:]
    codes: dict[str, list] = {name: [] for name in lookups}
    numbers: dict[str, list] = {}
    gone = sum(part.visit_count for part in kept) - 1
    visits_before = events_before = 0
    for part, mapping in zip(kept, mappings[len(parts) - len(kept) :], strict=True):
        for name, lookup in lookups.items():
            found = part.codes[name]
            codes[name].append(np.array(mapping[name], dtype=_code_type(len(lookup)))[found] if mapping else found)
        for name, array in part.numbers.items():
            if name in RANKS:
                continue
            if name == "event_visit":  # rows in the joined visits
                array = np.where(array < part.visit_count, array + visits_before, gone).astype(np.int32)
            elif name == "prop_event":  # rows in the joined events
                array = array + events_before
            numbers.setdefault(name, []).append(array)
        visits_before += part.visit_count
        events_before += part.event_count
    joined = {name: np.concatenate(arrays) for name, arrays in numbers.items()}
    counts, ranked_keys = {}, {}
    for ranked, visit_key, event_key in RANKED:
        counts[ranked], ranked_keys[ranked] = _rank(first, joined, ranked, visit_key, event_key)
    return Columns(
        joined,
        {name: np.concatenate(found) for name, found in codes.items()},
        {name: list(lookup) for name, lookup in lookups.items()},
        counts["visitor"],
        counts["visit"],
        ranked_keys if first is None else None,
    )


def by_visitor(columns):
    """A join made for reading and for coming first (`after`): visits ordered by visitor, then
    visit (the rows of a visit that spans days side by side), and events by visit, so the pairs
    a distinct count sorts (distinct.py) come nearly in order, which a stable sort takes in a
    tenth of the time shuffled ones take; and without the keys the ranks stand for
    (DROPPED_KEYS), a quarter of the memory, since `after` extends ranks from `ranked_keys`
    alone. A joined month is made so once."""
    numbers = columns.numbers
    visit_order = np.argsort(numbers["visitor_rank"].astype(np.int64) * columns.visits + numbers["visit_rank"], kind="stable")
    event_visit = _new_rows(visit_order)[numbers["event_visit"]]
    event_order = np.argsort(event_visit, kind="stable")
    prop_event = _new_rows(event_order)[numbers["prop_event"]]
    prop_order = np.argsort(prop_event, kind="stable")
    orders = {"visit": visit_order, "event": event_order, "prop": prop_order}
    ordered = {name: array[orders[_rows_of(name)]] for name, array in numbers.items() if name not in DROPPED_KEYS}
    ordered["event_visit"], ordered["prop_event"] = event_visit[event_order], prop_event[prop_order]
    codes = {name: array[orders[_rows_of(name)]] for name, array in columns.codes.items()}
    return Columns(ordered, codes, columns.texts, columns.visitors, columns.visits, columns.ranked_keys)


def _new_rows(order):
    """Where each row goes when rows are put in `order`."""
    moved = np.empty(len(order), dtype=np.int32)
    moved[order] = np.arange(len(order), dtype=np.int32)
    return moved


def _rows_of(name):
    """Whose rows an array of numbers or codes holds: "visit", "event" or "prop"."""
    if name.startswith("event_") or name in EVENT_TEXTS:
        return "event"
    return "prop" if name.startswith("prop_") else "visit"


def _rank(first, joined, ranked, visit_key, event_key):
    """Add the ranks of one key to joined arrays (see Columns), from its arrays for visits and
    events: all ranked at once (`first` None), or looked up among the keys of a ranked `first`
    part they follow, new ones ranked after its own (a month is ranked once, the stretches after
    it at each request). Returns (how many keys, the keys in rank order, or None when
    extended: they are then no longer in order)."""
    names = f"{ranked}_rank", f"event_{ranked}_rank"
    visits = joined[visit_key]
    keys = np.concatenate((visits, joined[event_key]))
    if first is None:
        ranked_keys, ranks = distinct.ranked(keys)
        count = len(ranked_keys)
    else:
        known, ranked_keys = first.ranked_keys[ranked], None
        at = np.minimum(np.searchsorted(known, keys), max(len(known) - 1, 0))
        found = known[at] == keys if len(known) else np.zeros(len(keys), dtype=bool)
        new = distinct.unique(keys[~found])
        ranks = np.where(found, at, len(known) + np.searchsorted(new, keys)).astype(np.int32)
        count = len(known) + len(new)
    joined[names[0]], joined[names[1]] = ranks[: len(visits)], ranks[len(visits) :]
    return count, ranked_keys
