"""What the generated traffic's numbers must be, computed here in plain Python from
the beacons themselves, independently of the collector and of the SQL: visits split
where 30 minutes pass without an event, bounces, durations, sources, conversions and
funnel steps."""

from collections import defaultdict
from urllib.parse import urlsplit

GAP_MS = 30 * 60_000


def visits_of(beacons):
    """[{uid, start, end, events: [(received_at, event)]}] from time-ordered beacons."""
    open_visit = {}
    visits = []
    for beacon in beacons:
        for event in beacon.events:
            if event["type"] not in ("page", "event"):
                continue
            current = open_visit.get(beacon.uid)
            if current is None or beacon.received_at - current["end"] >= GAP_MS:
                current = {"uid": beacon.uid, "start": beacon.received_at, "end": beacon.received_at,
                           "events": [], "user_agent": beacon.user_agent}
                open_visit[beacon.uid] = current
                visits.append(current)
            current["end"] = beacon.received_at
            current["events"].append((beacon.received_at, event))
    return visits


def path_of(url):
    """The path plus only the utm_ parameters, in their order."""
    parts = urlsplit(url)
    kept = [pair for pair in parts.query.split("&") if pair.startswith("utm_")]
    return (parts.path or "/") + ("?" + "&".join(kept) if kept else "")


def totals(beacons, start, end):
    visits = [v for v in visits_of(beacons) if start <= v["start"] < end]
    events = [(at, e) for b in beacons for e in b.events for at in [b.received_at] if start <= at < end]
    page_views = sum(1 for _, e in events if e["type"] == "page")
    bounces = sum(1 for v in visits if len(v["events"]) <= 1)
    duration = sum(v["end"] - v["start"] for v in visits)
    return {
        "visitors": len({v["uid"] for v in visits}),
        "visits": len(visits),
        "pageviews": page_views,
        "events": sum(1 for _, e in events if e["type"] == "event"),
        "bounce_rate": round(100 * bounces / len(visits)) if visits else 0,
        "visit_duration": round(duration / len(visits) / 1000) if visits else 0,
        "views_per_visit": round(page_views / len(visits), 2) if visits else 0,
    }


def first_page(visit):
    return next(e for _, e in visit["events"] if e["type"] == "page")


def visitors_by(visits, key):
    """{value: distinct visitors} over visits, by a function of the visit."""
    found = defaultdict(set)
    for visit in visits:
        value = key(visit)
        if value is not None:
            found[value].add(visit["uid"])
    return {value: len(uids) for value, uids in found.items()}


def page_visitors(beacons, start, end):
    found = defaultdict(set)
    for beacon in beacons:
        for event in beacon.events:
            if event["type"] == "page" and start <= beacon.received_at < end:
                found[path_of(event["url"])].add(beacon.uid)
    return {path: len(uids) for path, uids in found.items()}


def funnel_counts(visits, steps):
    """Visits reaching each step in order, each step strictly later (browser clock)
    than the event that reached the one before. A step is ("page", path) or ("event", name)."""
    counts = [0] * len(steps)
    for visit in visits:
        last_ts = None
        for index, (kind, value) in enumerate(steps):
            candidates = [e["ts"] for _, e in visit["events"] if e["type"] == kind and
                          (path_of(e["url"]) == value if kind == "page" else e.get("name") == value)
                          and (last_ts is None or e["ts"] > last_ts)]
            if not candidates:
                break
            last_ts = min(candidates)
            counts[index] += 1
    return counts


def filtered(beacons, start, end, keeps_visit, keeps_event, event_filtered):
    """What a filtered view counts: (visits started in the range that `keeps_visit` keeps and,
    when `event_filtered`, that hold an event received in the range that `keeps_event` keeps;
    [(visit, event)] received in the range that `keeps_event` keeps, of a visit it keeps)."""
    visits, events = [], []
    for visit in visits_of(beacons):
        if not keeps_visit(visit):
            continue
        kept = [(visit, event) for at, event in visit["events"] if start <= at < end and keeps_event(event)]
        events += kept
        if start <= visit["start"] < end and (kept or not event_filtered):
            visits.append(visit)
    return visits, events
