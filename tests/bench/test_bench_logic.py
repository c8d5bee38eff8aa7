"""The bench's own judgement: the id-by-id count check, the goals, CPU profile attribution,
the order of loads and the percentiles."""
import copy

import pytest

from bench.collector_load import count_check
from bench.page_cost import cpu_profile_ms, rounds
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


def engine(candor_main, peer_main, candor_delay, peer_delay):
    return {"tags": {"Candor": {"main_thread_ms": {"median": candor_main}, "load_delay_ms": {"median": candor_delay}},
                     "Plausible": {"main_thread_ms": {"median": peer_main}, "load_delay_ms": {"median": peer_delay}},
                     "Snowplow": {"main_thread_ms": {"median": 9.0}, "load_delay_ms": {"median": 9.0}}}}


GOOD_RESULTS = {
    "sizes": [{"gzip": 3000, "before_first_page_view_gzip": 2500}],
    "page": {"engines": {"chromium": engine(1.0, 1.01, 2.0, 2.01), "firefox": engine(1.0, 1.01, 2.0, 2.01)}},
    "collector": {"ratio": 0.5, "collector": {"latency_ms": {"p99": 49.9}},
                  "count_check": {"accepted_204": 10, "lost": 0, "unexpected": 0}},
}


def test_goals_are_met_on_their_boundaries():
    assert [goal["met"] for goal in goals(GOOD_RESULTS)] == [True] * 8


def test_a_lowest_goal_names_the_engine_and_the_lowest_peer():
    first = goals(GOOD_RESULTS)[0]
    assert first["goal"] == "main-thread time (median), lowest of the tags (chromium)"
    assert first["target"] == "< Plausible 1.01 ms" and first["measured"] == "1.00 ms"


@pytest.mark.parametrize("path, value, missed", [
    (("page", "engines", "chromium", "tags", "Candor", "main_thread_ms", "median"), 1.01, 0),
    (("page", "engines", "chromium", "tags", "Candor", "load_delay_ms", "median"), 2.01, 1),
    (("page", "engines", "firefox", "tags", "Candor", "main_thread_ms", "median"), 9.5, 2),
    (("page", "engines", "firefox", "tags", "Plausible", "load_delay_ms", "median"), 1.5, 3),
    (("sizes", 0, "before_first_page_view_gzip"), 2501, 4),
    (("collector", "ratio"), 0.499, 5),
    (("collector", "collector", "latency_ms", "p99"), 50, 6),
    (("collector", "count_check", "lost"), 1, 7),
    (("collector", "count_check", "unexpected"), 1, 7),
    (("collector", "count_check", "accepted_204"), 0, 7),
])
def test_each_goal_is_missed_past_its_boundary(path, value, missed):
    results = copy.deepcopy(GOOD_RESULTS)
    target = results
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert [index for index, goal in enumerate(goals(results)) if not goal["met"]] == [missed]


def cpu_node(node_id, url, children=(), name="f"):
    return {"id": node_id, "callFrame": {"url": url, "functionName": name, "lineNumber": 0, "columnNumber": 0},
            "children": list(children)}


def test_cpu_profile_counts_every_sample_under_a_frame_of_the_tag_and_nothing_else():
    tag = "http://127.0.0.1:1/bench/tags/candor.js"
    profile = {"nodes": [cpu_node(1, "", [2, 4], "(root)"), cpu_node(2, tag, [3], "boot"),
                         cpu_node(3, "", [], "get cookie"), cpu_node(4, "http://127.0.0.1:1/page.js")],
               "samples": [2, 3, 4, 1, 3], "timeDeltas": [0, 100, 200, 400, 800]}
    total, leaves = cpu_profile_ms(profile, "/bench/tags/candor.js")
    # Each sample lasts until the next one: 2 -> 100 us, 3 -> 200 us, 4 and 1 are not the tag's, the last 0.
    assert total == pytest.approx(0.3)
    assert leaves == {"boot (candor.js:1:1)": pytest.approx(0.1), "get cookie (native)": pytest.approx(0.2)}


def test_rounds_rotate_the_order_so_no_page_always_loads_first():
    assert list(rounds(["a", "b", "c"], 4)) == [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"], ["a", "b", "c"]]


def test_percentile_is_a_measured_value_by_nearest_rank():
    values = list(range(1, 31))
    assert percentile(values, 0.95) == 29
    assert percentile([7.0], 0.95) == 7.0
    assert summary([3, 1, 2, 4]) == {"median": 2.5, "q1": 1, "q3": 3, "p95": 4, "n": 4}
