"""The bench's own judgement: the id-by-id count check, the goals and the percentile."""
import copy

import pytest

from bench.collector_load import count_check
from bench.report import goals
from bench.stats import percentile, summary


def wrk_report(*threads):
    return {"errors": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0},
            "threads": [{"index": index, "answered": answered, "refused": refused}
                        for index, (answered, refused) in enumerate(threads)]}


def test_count_check_passes_when_every_accepted_beacon_is_stored():
    check = count_check(wrk_report((3, []), (2, [])), {0: [0, 1, 2], 1: [0, 1, 2]})
    assert check == {"accepted_204": 5, "stored_rows": 6, "lost": 0, "unexpected": 0,
                     "stored_in_flight_at_stop": 1, "socket_errors": 0}


def test_count_check_finds_an_accepted_beacon_that_was_not_stored():
    check = count_check(wrk_report((3, [])), {0: [0, 2]})
    assert (check["lost"], check["unexpected"]) == (1, 0)


def test_count_check_finds_a_refused_beacon_that_was_stored_anyway():
    check = count_check(wrk_report((3, [1])), {0: [0, 1, 2]})
    assert (check["accepted_204"], check["lost"], check["unexpected"]) == (2, 0, 1)


def test_count_check_finds_rows_beyond_the_one_beacon_in_flight():
    check = count_check(wrk_report((2, [])), {0: [0, 1, 2, 3]})
    assert (check["stored_in_flight_at_stop"], check["unexpected"]) == (1, 1)


GOOD_RESULTS = {
    "sizes": [{"gzip": 2500}],
    "page": {"start_to_beacon_ms": {"median": 1.0}, "load_ratio": 1.01},
    "collector": {"ratio": 0.5, "count_check": {"accepted_204": 10, "lost": 0, "unexpected": 0}},
}


def test_goals_are_met_on_their_boundaries():
    assert [goal["met"] for goal in goals(GOOD_RESULTS)] == [True] * 5


@pytest.mark.parametrize("path, value, missed", [
    (("sizes", 0, "gzip"), 2501, 0),
    (("page", "start_to_beacon_ms", "median"), 1.001, 1),
    (("page", "load_ratio"), 1.011, 2),
    (("collector", "ratio"), 0.499, 3),
    (("collector", "count_check", "lost"), 1, 4),
    (("collector", "count_check", "unexpected"), 1, 4),
    (("collector", "count_check", "accepted_204"), 0, 4),
])
def test_each_goal_is_missed_past_its_boundary(path, value, missed):
    results = copy.deepcopy(GOOD_RESULTS)
    target = results
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert [index for index, goal in enumerate(goals(results)) if not goal["met"]] == [missed]


def test_percentile_is_a_measured_value_by_nearest_rank():
    values = list(range(1, 31))
    assert percentile(values, 0.95) == 29
    assert percentile([7.0], 0.95) == 7.0
    assert summary([3, 1, 2]) == {"median": 2, "p95": 3, "n": 3}
