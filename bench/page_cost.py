"""Main-thread and page-load cost of the tag in headless Chromium, measured by the page itself.

Each load is one of two pages that differ only in the tag's <script async> line (pages/page.html),
loaded alternately so drift (CPU contention, caches) falls on both alike. Before the tag, the
page runs probe.js, which wraps `navigator.sendBeacon` to note when the first beacon was queued
and observes long tasks. The bench serves the built tag with one `performance.mark` before it
and one after, so "script start" is the first statement of the bundle. Chromium parses async
scripts off the main thread, so what the marks enclose is the main thread's share. Pages are
cross-origin isolated (COOP/COEP), which gives `performance.now()` 5 µs resolution, not 100 µs.
Selenium only navigates and reads the numbers once the load event has ended.

A third page, loaded after the measured ones, adds api_timer.js: the profile of where the tag's
time goes, per browser API it calls.
"""
import logging
from pathlib import Path

from flask import Blueprint, Response, send_from_directory

from browser_harness.engines import Profile, start_session
from browser_harness.live_server import LiveServer, poll

from .stats import summary

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "pages"
BUNDLE = ROOT / "dist" / "candor.min.js"
START_MARK, END_MARK = "candor:start", "candor:end"
TAG_PATH = "/bench/candor.min.js"
TAG_LINE = f'<script async src="{TAG_PATH}" data-site="demo" data-collector="/collect"></script>'
TIMER_LINE = '<script src="/bench/api_timer.js"></script>'
HEADS = {"with_tag": TAG_LINE, "without_tag": "", "profiled": TIMER_LINE + "\n" + TAG_LINE}
MEASURED = ("with_tag", "without_tag")
ISOLATION_HEADERS = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}
CACHE_SECONDS = 300
PROFILED_LOADS = 10


READ_LOAD = """
const nav = performance.getEntriesByType('navigation')[0];
if (!nav || nav.loadEventEnd === 0 || !window.candorBench) { return null; }
const mark = (name) => { const m = performance.getEntriesByName(name, 'mark')[0]; return m ? m.startTime : null; };
const tag = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith(arguments[2]));
return {loadEventEnd: nav.loadEventEnd, start: mark(arguments[0]), end: mark(arguments[1]),
        tagFetch: tag ? {start: tag.startTime, end: tag.responseEnd, transferSize: tag.transferSize} : null,
        beaconQueuedAt: window.candorBench.beaconQueuedAt, longTasks: window.candorBench.longTasks,
        apis: window.candorBench.apis || null, isolated: window.crossOriginIsolated};
"""


def bench_pages():
    """The pages, the probe, the API timer and the marked tag, all cross-origin isolated."""
    pages = Blueprint("bench_pages", __name__)
    template = (PAGES / "page.html").read_text(encoding="utf-8")
    marked_tag = f'performance.mark("{START_MARK}");\n{BUNDLE.read_text(encoding="utf-8")}\n;performance.mark("{END_MARK}");\n'

    @pages.get("/bench/page-<any(with_tag, without_tag, profiled):variant>.html")
    def page(variant):
        return Response(template.replace("{tag}", HEADS[variant]), mimetype="text/html")

    @pages.get("/bench/<any('probe.js', 'api_timer.js'):script>")
    def page_script(script):
        return send_from_directory(PAGES, script, mimetype="text/javascript", max_age=CACHE_SECONDS)

    @pages.get(TAG_PATH)
    def tag():
        response = Response(marked_tag, mimetype="text/javascript")
        response.cache_control.max_age = CACHE_SECONDS
        return response

    @pages.after_request
    def isolate(response):
        response.headers.update(ISOLATION_HEADERS)
        return response

    return pages


def load_page(driver, url):
    """Navigate, then read what the page recorded once its load event has ended."""
    driver.get(url)
    reading = poll(lambda: driver.execute_script(READ_LOAD, START_MARK, END_MARK, TAG_PATH), lambda value: value is not None)
    if reading is None:
        raise RuntimeError(f"{url}: the load event did not end within the poll timeout")
    return reading


def long_task_ms(reading):
    """Main-thread time in long tasks (over 50 ms) that started before the load event ended."""
    return sum(task["duration"] for task in reading["longTasks"] if task["start"] < reading["loadEventEnd"])


def tag_timings(reading, url):
    """(script start to first beacon queued, whole script), in ms."""
    if reading["start"] is None or reading["end"] is None or reading["beaconQueuedAt"] is None:
        raise RuntimeError(f"{url}: the tag did not run to its first beacon ({reading})")
    return reading["beaconQueuedAt"] - reading["start"], reading["end"] - reading["start"]


def measure_page_cost(loads, data_dir):
    """`loads` alternating loads of each measured page after one discarded warm-up of each,
    then the profiled page."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per request otherwise
    server = LiveServer(data_dir)
    server.app.register_blueprint(bench_pages())
    server.start()
    driver = start_session("chromium", Profile())
    try:
        urls = {variant: f"{server.url}/bench/page-{variant}.html" for variant in HEADS}
        for variant in HEADS:
            load_page(driver, urls[variant])
        server.collect_log.clear()
        readings = {variant: [] for variant in HEADS}
        for i in range(loads):
            for variant in (MEASURED if i % 2 == 0 else MEASURED[::-1]):
                readings[variant].append(load_page(driver, urls[variant]))
        beacons = server.collect_log.wait_for(loads)
        for _ in range(min(loads, PROFILED_LOADS)):
            readings["profiled"].append(load_page(driver, urls["profiled"]))
        browser = f"{driver.capabilities['browserName']} {driver.capabilities['browserVersion']}"
    finally:
        driver.quit()
        server.stop()
    return page_report(readings, urls, beacons, browser)


def page_report(readings, urls, beacons, browser):
    to_beacon, script = zip(*(tag_timings(reading, urls["with_tag"]) for reading in readings["with_tag"]))
    load_ms = {variant: summary([reading["loadEventEnd"] for reading in readings[variant]]) for variant in MEASURED}
    measured = readings["with_tag"] + readings["without_tag"]
    return {
        "browser": browser,
        "loads_per_page": len(readings["with_tag"]),
        "cross_origin_isolated": all(reading["isolated"] for reading in measured),
        "start_to_beacon_ms": summary(to_beacon),
        "script_ms": summary(script),
        "long_tasks": {variant: sum(len(r["longTasks"]) for r in readings[variant]) for variant in MEASURED},
        "long_task_ms": {variant: summary([long_task_ms(r) for r in readings[variant]]) for variant in MEASURED},
        "load_event_ms": load_ms,
        "load_ratio": load_ms["with_tag"]["median"] / load_ms["without_tag"]["median"],
        "beacons_received": beacons,
        "load_delay": load_delay(readings["with_tag"]),
        "profile": api_profile(readings["profiled"], urls["profiled"]),
    }


def load_delay(readings):
    """Where the load event waits on the tag (an async script delays it until it has run), as
    medians over the loads: fetching the tag, waiting for its turn, running, and the rest."""
    phases = {"requested_at": [], "fetch": [], "wait_to_run": [], "run": [], "script_end_to_load_end": []}
    for reading in readings:
        fetch = reading["tagFetch"]
        phases["requested_at"].append(fetch["start"])
        phases["fetch"].append(fetch["end"] - fetch["start"])
        phases["wait_to_run"].append(reading["start"] - fetch["end"])
        phases["run"].append(reading["end"] - reading["start"])
        phases["script_end_to_load_end"].append(reading["loadEventEnd"] - reading["end"])
    delay = {f"{phase}_ms": summary(values)["median"] for phase, values in phases.items()}
    delay["fetched_from_cache"] = sum(reading["tagFetch"]["transferSize"] == 0 for reading in readings)
    return delay


def api_profile(readings, url):
    """Mean ms and calls per load for each browser API the tag called, most expensive first,
    beside the mean whole script: the rest is the tag's own JavaScript."""
    script_ms = sum(tag_timings(reading, url)[1] for reading in readings) / len(readings)
    totals = {}
    for reading in readings:
        for name, api in reading["apis"].items():
            total = totals.setdefault(name, {"ms": 0.0, "calls": 0})
            total["ms"] += api["ms"]
            total["calls"] += api["calls"]
    apis = [{"api": name, "ms_per_load": total["ms"] / len(readings), "calls_per_load": total["calls"] / len(readings)}
            for name, total in totals.items()]
    apis.sort(key=lambda api: -api["ms_per_load"])
    own_js = script_ms - sum(api["ms_per_load"] for api in apis)
    return {"loads": len(readings), "script_ms_mean": script_ms, "apis": apis, "own_js_ms_mean": own_js}
