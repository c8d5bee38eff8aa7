"""The stretches of time the dashboard's rollups sum (dashboard/rollups.py), named by UTC
keys that sort in time order: a whole day, `2026-11-29`, or an hour of a day still open,
`2026-11-29T13`. The collector and the storage name them too, to say which rollups a change
touches."""

import calendar
import time

DAY_MS = 86_400_000
HOUR_MS = 3_600_000


def day_key(ms):
    return time.strftime("%Y-%m-%d", time.gmtime(ms / 1000))


def hour_key(ms):
    return time.strftime("%Y-%m-%dT%H", time.gmtime(ms / 1000))


def is_day(key):
    """Whether a key names a whole day (or else an hour)."""
    return len(key) == len("YYYY-MM-DD")


def bounds(key):
    """(first ms, first ms after) of a slice key."""
    start = calendar.timegm(time.strptime(key[:10], "%Y-%m-%d")) * 1000
    if is_day(key):
        return start, start + DAY_MS
    start += int(key[11:13]) * HOUR_MS
    return start, start + HOUR_MS


def closed_between(first_ms, last_ms, closed_by_ms):
    """The keys of the hours from `first_ms`'s to `last_ms`'s that ended by `closed_by_ms`, and
    of their days: the slices a visit spanning those moments is in that may have been summed."""
    keys: set[str] = set()
    hour = first_ms - first_ms % HOUR_MS
    while hour <= last_ms and hour + HOUR_MS <= closed_by_ms:
        keys.update((hour_key(hour), day_key(hour)))
        hour += HOUR_MS
    return sorted(keys)


def first_after_day(day):
    """A key after every key of `day` (its own and its hours'), for ranges of keys."""
    return day + "U"
