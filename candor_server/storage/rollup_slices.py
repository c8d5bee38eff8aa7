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


def bounds(key):
    """(first ms, first ms after) of a slice key."""
    start = calendar.timegm(time.strptime(key[:10], "%Y-%m-%d")) * 1000
    if len(key) == 10:
        return start, start + DAY_MS
    start += int(key[11:13]) * HOUR_MS
    return start, start + HOUR_MS


def hour_end(ms):
    """The first ms after the hour a moment falls in."""
    return ms - ms % HOUR_MS + HOUR_MS


def slices_at(ms):
    """The keys of the hour and the day a moment falls in."""
    return hour_key(ms), day_key(ms)


def first_after_day(day):
    """A key after every key of `day` (its own and its hours'), for ranges of keys."""
    return day + "U"
