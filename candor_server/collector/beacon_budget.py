"""The collector's rate limit (`COLLECT_RATE_LIMIT`, e.g. "300 per minute", several allowed
with ";"), per client address: the address is only a key in the counters of the current
window, never stored or logged.

Fixed windows, as flask-limiter counts them with the `limits` library. With
`RATE_LIMIT_STORAGE=redis://…` the counters live in Redis, shared by every node, through
`limits` itself; while Redis is unreachable each process counts alone, as flask-limiter's
in-memory fallback does. With `memory://` the counts are kept here, without the `limits`
memory storage's lock and expiry thread, which the collector's profile showed starting every
few requests (a window opens at a key's first request and lasts the limit's period, as there).
"""

import math
import threading
import time

from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

PRUNE_EVERY = 10_000
"""Requests between two sweeps of windows that have closed, so idle addresses do not pile up."""
KEY_PREFIX = ("candor", "collector")


class BeaconBudget:
    def __init__(self, storage_uri="memory://", clock=time.monotonic):
        self.shared = None if storage_uri.startswith("memory://") else FixedWindowRateLimiter(storage_from_string(storage_uri))
        self.clock = clock
        self.lock = threading.Lock()
        self.windows = {}
        self.parsed = {}
        self.until_prune = PRUNE_EVERY

    def hit(self, setting, address):
        """Count one request; (the headers flask-limiter would add, the first limit exceeded or None)."""
        if setting not in self.parsed:
            self.parsed[setting] = parse_many(setting)
        limits = self.parsed[setting]
        windows = None
        if self.shared is not None:
            try:
                windows = self.shared_windows(self.shared, limits, address)
            except self.shared.storage.base_exceptions:
                windows = None  # Redis unreachable: this process counts alone until it is back
        if windows is None:
            windows = self.own_windows(limits, address)
        exceeded = next((limit for limit, allowed, _, _ in windows if not allowed), None)
        # The headers speak of the limit exceeded, else of the one with the fewest requests left.
        limit, _, remaining, reset_at = next(
            (window for window in windows if window[0] is exceeded), min(windows, key=lambda window: window[2])
        )
        headers = [
            ("X-RateLimit-Limit", str(limit.amount)),
            ("X-RateLimit-Remaining", str(remaining)),
            ("X-RateLimit-Reset", str(int(reset_at))),
        ]
        if exceeded is not None:
            headers.append(("Retry-After", str(max(1, math.ceil(reset_at - time.time())))))
        return headers, exceeded

    @staticmethod
    def shared_windows(shared, limits, address):
        """[(limit, allowed, remaining, reset as epoch seconds)] counted in the shared storage."""
        windows = []
        for limit in limits:
            allowed = shared.hit(limit, *KEY_PREFIX, address)
            reset_at, remaining = shared.get_window_stats(limit, *KEY_PREFIX, address)
            windows.append((limit, allowed, remaining, reset_at))
        return windows

    def own_windows(self, limits, address):
        """The same, counted in this process."""
        now = self.clock()
        windows = []
        with self.lock:
            self.prune(now)
            for limit in limits:
                key = (limit.amount, limit.get_expiry(), address)
                count, closes_at = self.windows.get(key, (0, 0.0))
                if now >= closes_at:
                    count, closes_at = 0, now + limit.get_expiry()
                allowed = count < limit.amount
                count += allowed
                self.windows[key] = (count, closes_at)
                windows.append((limit, allowed, limit.amount - count, time.time() + closes_at - now))
        return windows

    def prune(self, now):
        self.until_prune -= 1
        if self.until_prune <= 0:
            self.until_prune = PRUNE_EVERY
            self.windows = {key: window for key, window in self.windows.items() if window[1] > now}
