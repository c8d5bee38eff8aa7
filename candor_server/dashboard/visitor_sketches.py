"""Distinct visitors that add up across days. A day's rollup keeps, for each value it
counts, a sketch of the visitor keys seen (collector/visits.py `visitor_key`, 60 random
bits); sketches of several days merge into the visitors of the whole range.

A sketch is exact while it holds at most `EXACT_LIMIT` keys (a sorted list, 8 bytes a key),
so small sites and single values with few visitors get exact counts. Beyond that it
becomes a HyperLogLog of 2^12 one-byte registers (4 KiB, standard error 1.6 %), the
estimate Plausible gets from ClickHouse's `uniq`. Registers hold only the length of a
run of zero bits, so a dense sketch cannot tell whether a given visitor is in it."""

import numpy as np

from . import distinct

PRECISION = 12
REGISTERS = 1 << PRECISION
EXACT_LIMIT = REGISTERS // 8  # the exact form is never larger than the dense one
RANK_BITS = 60 - PRECISION
EXACT, DENSE = b"E", b"H"
ALPHA = 0.7213 / (1 + 1.079 / REGISTERS)


class VisitorSketch:
    """A set of visitor keys, exact up to EXACT_LIMIT and estimated beyond."""

    __slots__ = ("keys", "registers")

    def __init__(self, keys=()):
        self.keys: set[int] | None = set(keys)
        self.registers: np.ndarray | None = None
        self._settle()

    @classmethod
    def from_bytes(cls, data):
        sketch = cls()
        if data[:1] == DENSE:
            sketch.keys, sketch.registers = None, np.frombuffer(data, dtype=np.uint8, offset=1).copy()
        else:
            sketch.keys = set(np.frombuffer(data, dtype=np.uint64, offset=1).tolist())
        return sketch

    @classmethod
    def of_keys(cls, keys):
        """A sketch of a numpy array of keys (repeats allowed)."""
        sketch = cls()
        unique = distinct.unique(keys)
        if len(unique) > EXACT_LIMIT:
            sketch.keys, sketch.registers = None, np.zeros(REGISTERS, dtype=np.uint8)
            sketch._add_to_registers(unique)
        else:
            sketch.keys = set(unique.tolist())
        return sketch

    @property
    def nbytes(self):
        """About how much memory the sketch holds."""
        return self.registers.nbytes if self.registers is not None else 8 * len(self.keys or ())

    def to_bytes(self):
        if self.registers is not None:
            return DENSE + self.registers.tobytes()
        return EXACT + np.array(sorted(self.keys or ()), dtype=np.uint64).tobytes()

    def merge(self, other):
        """Add every visitor of `other` to this sketch."""
        if other.registers is not None:
            if self.registers is None:
                self._densify()
            assert self.registers is not None
            np.maximum(self.registers, other.registers, out=self.registers)
        elif self.keys is not None:
            self.keys |= other.keys or set()
            self._settle()
        elif other.keys:
            self._add_to_registers(np.fromiter(other.keys, dtype=np.uint64, count=len(other.keys)))
        return self

    def count(self):
        """The number of distinct visitors: exact in the exact form, estimated in the dense one
        (HyperLogLog, with linear counting while registers are still empty)."""
        if self.keys is not None:
            return len(self.keys)
        registers = self.registers
        assert registers is not None
        estimate = ALPHA * REGISTERS * REGISTERS / float(np.ldexp(1.0, -registers.astype(np.int64)).sum())
        empty = int(np.count_nonzero(registers == 0))
        if estimate <= 2.5 * REGISTERS and empty:
            estimate = REGISTERS * np.log(REGISTERS / empty)
        return round(estimate)

    def _settle(self):
        if self.keys is not None and len(self.keys) > EXACT_LIMIT:
            self._densify()

    def _densify(self):
        keys = self.keys or set()
        self.keys, self.registers = None, np.zeros(REGISTERS, dtype=np.uint8)
        if keys:
            self._add_to_registers(np.fromiter(keys, dtype=np.uint64, count=len(keys)))

    def _add_to_registers(self, keys):
        """Each key's low bits pick a register, which keeps the longest run of leading zeros
        (plus one) seen in the key's other RANK_BITS bits."""
        assert self.registers is not None
        index = (keys & np.uint64(REGISTERS - 1)).astype(np.intp)
        rest = (keys >> np.uint64(PRECISION)) & np.uint64((1 << RANK_BITS) - 1)
        _, bit_length = np.frexp(rest.astype(np.float64))  # exact: rest < 2**53
        rank = (RANK_BITS + 1 - bit_length).astype(np.uint8)
        np.maximum.at(self.registers, index, rank)


def merged(blobs):
    """One sketch of the union of stored sketches, merged in bulk: the registers of dense ones
    by maximum, the keys of exact ones together. Keys are only deduplicated (the costly step)
    when their registers say the union may still be small enough to stay exact."""
    dense = [np.frombuffer(blob, dtype=np.uint8, offset=1) for blob in blobs if blob[:1] == DENSE]
    exact = [np.frombuffer(blob, dtype=np.uint64, offset=1) for blob in blobs if blob[:1] != DENSE]
    keys = np.concatenate(exact) if exact else np.zeros(0, dtype=np.uint64)
    sketch = VisitorSketch()
    sketch.keys = None
    sketch.registers = np.maximum.reduce(dense) if dense else np.zeros(REGISTERS, dtype=np.uint8)
    sketch._add_to_registers(keys)
    if not dense and (len(keys) <= EXACT_LIMIT or sketch.count() <= 2 * EXACT_LIMIT):
        unique = distinct.unique(keys)
        if len(unique) <= EXACT_LIMIT:
            sketch.keys, sketch.registers = set(unique.tolist()), None
    return sketch
