"""The collector's rate limit (`COLLECT_RATE_LIMIT`, e.g. "300 per minute", several allowed
with ";"), per client address, counted in this process's memory: the address is only a key in
the counters of the current window, never stored or logged.

The same fixed windows flask-limiter counts with the `limits` library's memory storage (a
window opens at a key's first request and lasts the limit's period), without that storage's
lock and expiry thread, which the collector's profile showed starting every few requests.
"""
import math
import threading
import time

from limits import parse_many

PRUNE_EVERY = 10_000
"""Requests between two sweeps of windows that have closed, so idle addresses do not pile up."""


class BeaconBudget:
    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.lock = threading.Lock()
        self.windows = {}
        self.parsed = {}
        self.until_prune = PRUNE_EVERY

    def hit(self, setting, address):
        """Count one request; (the headers flask-limiter would add, the first limit exceeded or None)."""
        if setting not in self.parsed:
            self.parsed[setting] = parse_many(setting)
        now = self.clock()
        exceeded = None
        windows = []
        with self.lock:
            self.prune(now)
            for limit in self.parsed[setting]:
                key = (limit.amount, limit.get_expiry(), address)
                count, closes_at = self.windows.get(key, (0, 0.0))
                if now >= closes_at:
                    count, closes_at = 0, now + limit.get_expiry()
                if count < limit.amount:
                    count += 1
                elif exceeded is None:
                    exceeded = limit
                self.windows[key] = (count, closes_at)
                windows.append((limit, limit.amount - count, closes_at))
        # The headers speak of the limit exceeded, else of the one with the fewest requests left.
        limit, remaining, closes_at = next((window for window in windows if window[0] is exceeded),
                                           min(windows, key=lambda window: window[1]))
        headers = [("X-RateLimit-Limit", str(limit.amount)), ("X-RateLimit-Remaining", str(remaining)),
                   ("X-RateLimit-Reset", str(int(time.time() + closes_at - now)))]
        if exceeded is not None:
            headers.append(("Retry-After", str(math.ceil(closes_at - now))))
        return headers, exceeded

    def prune(self, now):
        self.until_prune -= 1
        if self.until_prune <= 0:
            self.until_prune = PRUNE_EVERY
            self.windows = {key: window for key, window in self.windows.items() if window[1] > now}
