"""What the dashboard derives from summed slices, kept in this process: joined visit columns
(filtered.py), merged rollup totals (rollups.py). Keys name the slices by the digest of
their stored columns, from which their rollups are summed too, so an entry is never out of date:
a slice summed again has a new digest, and the entries of the old one are simply no longer
asked for, then dropped (least recently used first) past the app's `DASHBOARD_CACHE_BYTES`
(settings.py: `CANDOR_DASHBOARD_CACHE_MB`). An entry bigger than that is still kept, alone:
what is asked for once is asked for again by the next view."""

import threading
from collections import OrderedDict

from flask import current_app

_lock = threading.Lock()
_entries: OrderedDict = OrderedDict()
_size = 0


def get(key):
    with _lock:
        found = _entries.get(key)
        if found is not None:
            _entries.move_to_end(key)
            return found[0]
        return None


def clear():
    """Forget every entry: what a process holds after a restart (the bench times views so)."""
    global _size
    with _lock:
        _entries.clear()
        _size = 0


def kept(key, make, size_of):
    """What `key` holds, or else `make()`, kept with its size (`size_of` of it)."""
    found = get(key)
    if found is None:
        found = make()
        put(key, found, size_of(found))
    return found


def put(key, value, size):
    """Keep `value` (about `size` bytes) under `key`: it must never be changed afterwards."""
    global _size
    most = current_app.config["DASHBOARD_CACHE_BYTES"]
    with _lock:
        if key not in _entries:
            _entries[key] = (value, size)
            _size += size
        while _size > most and len(_entries) > 1:
            _size -= _entries.popitem(last=False)[1][1]
    return value
