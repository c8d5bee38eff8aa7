"""Visit columns (candor_server/dashboard/visit_columns.py): a stretch's visits and events as
arrays survive storage unchanged, and stretches joined share one list of texts, with every
event still pointing at its own visit."""

import numpy as np

from candor_server.dashboard import visit_columns
from candor_server.dashboard.visit_columns import VISIT_TEXTS, Columns

DAY = 20_786
DAY_MS = 86_400_000


def visit(visit_id, visitor, source, country, page_views=1, day=DAY):
    texts = dict.fromkeys(VISIT_TEXTS)
    texts.update(source=source, country=country)
    return (visit_id, visitor, page_views, 0, 60_000, day * DAY_MS + 3_600_000, *texts.values())


def page(visit_id, visitor, path, ts, day=DAY):
    return (visit_id, visitor, "page", path, None, ts, day * DAY_MS + 3_700_000, None)


def custom(visit_id, visitor, name, ts, props=None, day=DAY):
    return (visit_id, visitor, "event", "/", name, ts, day * DAY_MS + 3_800_000, props)


FIRST = visit_columns.of_rows(
    [visit(1, 11, "Google", "FR", 2), visit(2, 22, None, "DE")],
    2,
    [page(1, 11, "/a", 100), page(1, 11, "/b", 200), custom(2, 22, "signup", 300, {"plan": "pro", "seats": 3, "trial": None})],
)
SECOND = visit_columns.of_rows(
    [visit(3, 33, "Bing", "FR", day=DAY + 1), visit(1, 11, "Google", "FR", 2)],
    1,  # visit 1 started the day before
    [
        page(3, 33, "/b", 400, DAY + 1),
        page(1, 11, "/c", 500, DAY + 1),
        custom(1, 11, "signup", 550, {"plan": "free", "annual": True}, DAY + 1),
        page(9, 99, "/gone", 600, DAY + 1),
    ],
)


def test_columns_come_back_from_their_bytes_unchanged():
    stored = FIRST.to_bytes()
    back = Columns.from_bytes(stored)
    assert back.texts == FIRST.texts
    for name, array in FIRST.numbers.items():
        assert back.numbers[name].dtype == array.dtype and np.array_equal(back.numbers[name], array), name
    for name, codes in FIRST.codes.items():
        assert np.array_equal(back.codes[name], codes), name
    assert FIRST.codes["source"].dtype == np.uint8  # a handful of values take a byte a row


def test_joined_stretches_share_texts_and_keep_each_event_with_its_visit():
    joined = visit_columns.combined([FIRST, SECOND])
    numbers, codes, texts = joined.numbers, joined.codes, joined.texts

    def text(name, row):
        return texts[name][codes[name][row]]

    assert [text("source", row) for row in range(joined.visit_count)] == ["Google", None, "Bing", "Google", None]
    assert list(numbers["started"]) == [True, True, True, False, False]
    assert list(numbers["hour"][:4] // 24) == [DAY, DAY, DAY + 1, DAY]
    assert list(numbers["event_hour"] // 24) == [DAY, DAY, DAY, DAY + 1, DAY + 1, DAY + 1, DAY + 1]
    event_visits = [int(numbers["id"][row]) for row in numbers["event_visit"]]
    assert event_visits == [1, 1, 2, 3, 1, 1, -1]  # the last event's visit is gone: the empty row
    assert [text("path", row) for row in range(joined.event_count)] == ["/a", "/b", "/", "/b", "/c", "/", "/gone"]
    assert texts["path"].count("/b") == 1
    assert [text("country", row) for row in numbers["event_visit"]] == ["FR", "FR", "DE", "FR", "FR", "FR", None]
    props = [(int(numbers["prop_event"][row]), text("prop_key", row), text("prop_value", row)) for row in range(joined.prop_count)]
    assert props == [(2, "plan", "pro"), (2, "seats", "3"), (5, "plan", "free"), (5, "annual", "true")]  # a null is no value


def test_nothing_joined_is_an_empty_selection():
    joined = visit_columns.combined([])
    assert joined.visit_count == 1 and not joined.numbers["started"].any() and joined.event_count == 0


def ranks_by_key(columns, dense=True):
    """{visitor key: rank} over visits and events, checking each key has one rank and each rank
    one key, and (`dense`) that the ranks are 0 to `visitors` - 1."""
    keys = [*columns.numbers["visitor"].tolist(), *columns.numbers["event_visitor"].tolist()]
    ranks = [*columns.numbers["visitor_rank"].tolist(), *columns.numbers["event_visitor_rank"].tolist()]
    found = dict(zip(keys, ranks, strict=True))
    assert len(set(zip(keys, ranks, strict=True))) == len(found) == len(set(found.values()))
    if dense:
        assert sorted(found.values()) == list(range(columns.visitors))
    return found


def test_a_join_ranks_visitors_and_the_stretches_after_it_extend_the_ranks():
    month = visit_columns.combined([FIRST, SECOND])
    ranked = ranks_by_key(month)
    assert set(ranked) == {0, 11, 22, 33, 99}  # 99 sent an event only; 0 is the gone visit's row
    later = visit_columns.of_rows([visit(4, 44, "Bing", "JP"), visit(5, 11, None, "FR")], 2, [page(4, 44, "/a", 700)])
    tail = visit_columns.after(month, [later])
    assert tail.ranked_keys is None  # ranks extended, not sorted again
    assert tail.visitors == 6
    assert ranks_by_key(tail, dense=False) == {0: ranked[0], 11: ranked[11], 44: 5}  # the tail's own rows only


def test_the_stretches_after_a_join_share_its_texts_and_keep_their_own_rows():
    month = visit_columns.combined([FIRST, SECOND])
    events = [page(4, 44, "/new", 700), custom(4, 44, "signup", 750, {"plan": "team", "seats": 3}), page(8, 88, "/b", 800)]
    later = visit_columns.of_rows([visit(4, 44, "Yandex", "FR")], 1, events)
    tail = visit_columns.after(month, [later])
    assert tail.visit_count == 2 and tail.event_count == 3  # visit 4 and the empty row; no row of the month
    for name, texts in month.texts.items():
        assert tail.texts[name][: len(texts)] == texts, name  # the month's codes stay valid
    assert [tail.texts["source"][code] for code in tail.codes["source"]] == ["Yandex", None]
    assert [tail.texts["path"][code] for code in tail.codes["path"]] == ["/new", "/", "/b"]
    assert [int(tail.numbers["id"][row]) for row in tail.numbers["event_visit"]] == [4, 4, -1]  # visit 8 is gone
    assert props_of(tail) == [(4, "/", "plan", "team"), (4, "/", "seats", "3")]


def test_a_visit_with_rows_in_two_stretches_has_one_rank_and_its_events_share_it():
    month = visit_columns.combined([FIRST, SECOND])
    numbers = month.numbers
    rank_of = {int(visit_id): int(rank) for visit_id, rank in zip(numbers["id"], numbers["visit_rank"], strict=True)}
    assert sorted(numbers["id"].tolist()) == [-1, 1, 1, 2, 3]  # visit 1 twice: it went on into the second day
    assert sorted(rank_of.values()) == list(range(len(rank_of)))
    event_ranks = dict(zip(numbers["event_visit_id"].tolist(), numbers["event_visit_rank"].tolist(), strict=True))
    assert {visit_id: event_ranks[visit_id] for visit_id in (1, 2, 3)} == {visit_id: rank_of[visit_id] for visit_id in (1, 2, 3)}
    assert month.visits == 5  # visits 1, 2, 3, the gone visit 9 and the empty row


def visit_rows(columns):
    """Each visit as (id, source, visitor rank, started), and each event as (its visit's id,
    path, visitor rank): what a reordering must keep together."""
    numbers, codes, texts = columns.numbers, columns.codes, columns.texts
    visits = sorted(
        (int(numbers["id"][row]), texts["source"][codes["source"][row]], int(numbers["visitor_rank"][row]), bool(numbers["started"][row]))
        for row in range(columns.visit_count)
    )
    events = sorted(
        (int(numbers["id"][numbers["event_visit"][row]]), texts["path"][codes["path"][row]], int(numbers["event_visitor_rank"][row]))
        for row in range(columns.event_count)
    )
    return visits, events


def props_of(columns):
    """Each prop as (its event's visit id, its event's path, key, value)."""
    numbers, codes, texts = columns.numbers, columns.codes, columns.texts
    return sorted(
        (
            int(numbers["id"][numbers["event_visit"][event]]),
            texts["path"][codes["path"][event]],
            texts["prop_key"][codes["prop_key"][row]],
            texts["prop_value"][codes["prop_value"][row]],
        )
        for row, event in enumerate(numbers["prop_event"])
    )


def test_ordered_by_visitor_the_rows_keep_their_values_and_events_their_visits():
    month = visit_columns.combined([FIRST, SECOND])
    ordered = visit_columns.by_visitor(month)
    assert visit_rows(ordered) == visit_rows(month)
    assert props_of(ordered) == props_of(month) and len(props_of(month)) == 4
    assert list(ordered.numbers["visitor_rank"]) == sorted(month.numbers["visitor_rank"])
    assert list(ordered.numbers["event_visit"]) == sorted(ordered.numbers["event_visit"])
    assert not set(visit_columns.DROPPED_KEYS) & set(ordered.numbers)


def test_the_stretches_after_columns_ordered_by_visitor_extend_their_ranks():
    month = visit_columns.by_visitor(visit_columns.combined([FIRST, SECOND]))
    later = visit_columns.of_rows([visit(4, 44, "Bing", "JP"), visit(3, 33, "Bing", "FR")], 1, [page(3, 33, "/d", 700)])
    tail = visit_columns.after(month, [later])
    numbers = tail.numbers
    assert tail.visitors == month.visitors + 1 and tail.visits == month.visits + 1  # visitor 44 and visit 4 are new
    row_of = {int(visit_id): row for row, visit_id in enumerate(month.numbers["id"])}
    assert list(numbers["id"][:2]) == [4, 3]
    assert numbers["visit_rank"][1] == numbers["event_visit_rank"][0] == month.numbers["visit_rank"][row_of[3]]
    assert numbers["visitor_rank"][1] == numbers["event_visitor_rank"][0] == month.numbers["visitor_rank"][row_of[3]]
    assert numbers["visit_rank"][0] == month.visits and numbers["visitor_rank"][0] == month.visitors
