"""Visitor sketches (candor_server/dashboard/visitor_sketches.py): exact while small, within
HyperLogLog's error beyond, and the same whichever way and order days are merged."""

import random

import numpy as np
import pytest

from candor_server.dashboard.visitor_sketches import EXACT_LIMIT, REGISTERS, VisitorSketch, merged


def keys(count, seed):
    rng = random.Random(seed)
    return [rng.getrandbits(60) for _ in range(count)]


@pytest.mark.parametrize("count", [0, 1, 37, EXACT_LIMIT])
def test_small_sets_are_counted_exactly_and_survive_storage(count):
    sketch = VisitorSketch(keys(count, 1) * 2)  # repeats count once
    stored = sketch.to_bytes()
    assert VisitorSketch.from_bytes(stored).count() == count
    assert len(stored) == 1 + 8 * count


def test_a_set_over_the_limit_becomes_a_fixed_size_sketch():
    sketch = VisitorSketch(keys(EXACT_LIMIT + 1, 2))
    assert sketch.keys is None
    assert len(sketch.to_bytes()) == 1 + REGISTERS


@pytest.mark.parametrize("count", [600, 2_000, 20_000, 200_000])
def test_large_sets_are_estimated_within_five_percent(count):
    estimate = VisitorSketch.of_keys(np.array(keys(count, count), dtype=np.uint64)).count()
    assert abs(estimate - count) <= 0.05 * count


def test_days_merge_to_the_union_in_any_order_and_either_way():
    days = [keys(300, seed) for seed in range(10)]  # 3,000 visitors...
    days += [days[0][:100], days[3][:250]]  # ...some of whom come back on other days
    blobs = [VisitorSketch(day).to_bytes() for day in days]
    one_by_one = VisitorSketch()
    for blob in reversed(blobs):
        one_by_one.merge(VisitorSketch.from_bytes(blob))
    in_bulk = merged(blobs)
    assert np.array_equal(one_by_one.registers, in_bulk.registers)
    assert abs(in_bulk.count() - 3_000) <= 150


def test_a_merge_that_stays_small_stays_exact():
    first, second = keys(200, 7), keys(200, 8)
    blobs = [VisitorSketch(first).to_bytes(), VisitorSketch(second + first[:50]).to_bytes()]
    assert merged(blobs).count() == 400
    assert merged(blobs).keys == set(first) | set(second)
