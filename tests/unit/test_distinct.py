"""Distinct values by sorting (candor_server/dashboard/distinct.py) agree with numpy's own."""

import numpy as np
import pytest

from candor_server.dashboard import distinct


@pytest.mark.parametrize("size", [0, 1, 2, 1000])
def test_unique_agrees_with_numpy(size):
    rng = np.random.default_rng(size)
    values = rng.integers(0, max(size // 3, 1), size, dtype=np.uint64)
    assert np.array_equal(distinct.unique(values), np.unique(values))


def test_distinct_ids_are_counted_per_code():
    codes = np.array([0, 0, 1, 1, 1, 2], dtype=np.uint8)
    ids = np.array([5, 5, 5, 7, 9, 0])
    assert list(distinct.per_code(codes, ids, 4)) == [1, 3, 1, 0]


def test_ranks_number_each_value_by_its_place_among_the_distinct_values():
    values = np.array([30, 10, 30, 20, 10], dtype=np.uint64)
    found, ranks = distinct.ranked(values)
    assert found.tolist() == [10, 20, 30]
    assert ranks.tolist() == [2, 0, 2, 1, 0]
    empty, none = distinct.ranked(np.zeros(0, dtype=np.int64))
    assert len(empty) == len(none) == 0


@pytest.mark.parametrize("size", [1, 2, 3, 186, 300, 70_000])
def test_distinct_ids_per_code_agree_with_numpy_whatever_the_order(size):
    rng = np.random.default_rng(size)
    ids = np.sort(rng.integers(0, 500, 3000))
    ids[-300:] = rng.integers(0, 600, 300)  # ordered, then a stretch in no order: a month, then today
    codes = rng.integers(0, size, 3000).astype(np.uint32)
    expected = np.bincount(np.unique(np.stack((ids, codes)), axis=1)[1], minlength=size)
    assert list(distinct.per_code(codes, ids, size)) == list(expected)


def test_ids_fit_with_codes_in_63_bits():
    assert distinct.fits((1 << 55) - 1, 256) and not distinct.fits(1 << 55, 256)
    assert distinct.fits((1 << 62) - 1, 1) and not distinct.fits(1 << 62, 2)
