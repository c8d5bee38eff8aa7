"""Distinct values of integer arrays, by sorting: numpy 2.4's `np.unique` takes a hash-based path
for them that measured ten times slower here (1.0 s against 78 ms for a million int64 keys), and
counting distinct visitors is most of what a filtered dashboard view does. The keys counted come
mostly in order (visit_columns.by_visitor), which numpy's stable sort (a timsort) finds: 3 ms
against 30 ms for half a million keys on this machine."""

import numpy as np


def unique(values):
    """The distinct values, sorted; the values come in no particular order, which numpy's
    quicksort takes faster than its stable sort."""
    ordered = np.sort(values, kind="quicksort")
    return ordered[_firsts(ordered)]


def ranked(values):
    """(the distinct values, sorted; each value's rank among them), from one stable argsort:
    looking every value up in the sorted distinct ones instead (`np.searchsorted`) took five
    times as long for five million visitor keys, each lookup a miss of the cache."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = _firsts(ordered)
    ranks = np.empty(len(values), dtype=np.int32)
    ranks[order] = np.cumsum(first) - 1
    return ordered[first], ranks


def per_code(codes, ids, size):
    """How many distinct ids (non-negative integers: visitor ranks, visit rows) each code below
    `size` has among rows (code, id): each pair packed in one integer, id first so that ids in
    order keep the pairs nearly in order, code in the low bits (`fits` says when both do), and
    sorted once."""
    shift = _code_bits(size)
    pairs = ids.astype(np.int64)
    pairs <<= shift
    pairs |= codes
    pairs.sort(kind="stable")
    found = pairs[_firsts(pairs)]
    found &= (1 << shift) - 1
    return np.bincount(found, minlength=size)


def fits(largest_id, size):
    """Whether `per_code` can pack ids up to `largest_id` with codes below `size`."""
    return (largest_id + 1) << _code_bits(size) <= 1 << 63


def _firsts(ordered):
    """Per row of a sorted array, whether it is the first of its value."""
    first = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return first


def _code_bits(size):
    return max(size - 1, 1).bit_length()
