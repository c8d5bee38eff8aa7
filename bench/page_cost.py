"""Candor beside its peers in real browsers: one page loaded with each tag and without any,
interleaved, every tag sending to the same stub collector, measured by the page itself.

The page (pages/page.html) first runs probe.js, then one tag as a site installs it
(bench/installs.py), `<script async>`, from the same origin. The probe records, per load:
the tag's main-thread time (its file's run plus every callback it scheduled, timed as they run),
the first request queued to the collector (sendBeacon, fetch and XHR wrapped), long tasks where
the engine has them, and the load event. The server counts the bytes each tag really moved: its
script as sent (gzip -9, never cached) and every request it made to the stub collector.

Loads are interleaved: round i loads every page once, in an order rotated by i, so drift (CPU
contention, caches) falls on every tag alike. Pages are cross-origin isolated (COOP/COEP) for
fine `performance.now()` resolution where the engine grants it. Then, in every engine, a
few loads of each tag after pages/api_timer.js show which browser APIs its time went to; in
Chromium a last pass samples the tag with the V8 CPU profiler over CDP (50 µs): the main-thread
time of every sample whose stack holds a frame of the tag's file, which cannot be negative, and
the functions it was spent in.
"""
import gzip
import logging
import threading
import time
from pathlib import Path

from flask import Flask, Response, request
from werkzeug.serving import make_server

from browser_harness.engines import Profile, start_session
from browser_harness.live_server import poll
from browser_harness.xvfb import Xvfb

from .installs import INSTALLS
from .stats import summary

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "pages"
ENGINES = ("chromium", "firefox", "webkit")
NO_TAG = "none"
BASELINE_PEER = "Plausible"
ISOLATION_HEADERS = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}
SETTLE_MS = 500
"""After the load event (and the tag's first request), the page is read this much later, so work
a tag defers to just after load is counted too."""
PROFILED_LOADS = 8
API_PAGE = "-apis"
API_TIMER_LINE = '<script src="/bench/api_timer.js"></script>'
SAMPLING_US = 50
PROFILE_TOP = 6
READ_TIMEOUT = 15


READ_LOAD = """
const nav = performance.getEntriesByType('navigation')[0];
const probe = window.candorBench;
if (!nav || nav.loadEventEnd === 0 || !probe) { return null; }
const hasTag = arguments[0];
if (hasTag && (probe.tagEnd === null || probe.firstRequestAt === null)) { return null; }
if (performance.now() < nav.loadEventEnd + arguments[1]) { return null; }
const tag = performance.getEntriesByType('resource').filter((entry) => entry.name.indexOf('/bench/tags/') >= 0);
return {loadEventEnd: nav.loadEventEnd, tagStart: probe.tagStart, tagEnd: probe.tagEnd, tagMs: probe.tagMs,
        callbacks: probe.callbacks, firstRequestAt: probe.firstRequestAt, requests: probe.requests,
        longTasks: probe.longTasks, isolated: probe.isolated, apis: probe.apis || null,
        tagFetch: tag.map((entry) => ({transferSize: entry.transferSize, encodedBodySize: entry.encodedBodySize}))};
"""

TIMER_RESOLUTION = """
let smallest = Infinity, last = performance.now();
const until = last + 20;
while (last < until) { const t = performance.now(); if (t > last) { smallest = Math.min(smallest, t - last); last = t; } }
return {resolution: smallest, longtask: (PerformanceObserver.supportedEntryTypes || []).includes('longtask'),
        isolated: window.crossOriginIsolated === true,
        transferSize: 'transferSize' in PerformanceResourceTiming.prototype};
"""


def slug(name):
    return name.lower()


class Traffic:
    """Bytes each tag moved, counted at the server: its script as sent, its collector requests."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}

    def add(self, tag, **amounts):
        with self.lock:
            counts = self.counts.setdefault(tag, {"script_bytes": 0, "scripts": 0, "request_bytes": 0, "requests": 0})
            for key, amount in amounts.items():
                counts[key] += amount

    def take(self):
        with self.lock:
            counts, self.counts = self.counts, {}
        return counts


def served_tags():
    """{slug: gzip -9 bytes of the tag file wrapped in the probe's enter()/leave()}."""
    return {slug(install.name): gzip.compress(
        f"candorBench.enter();\n{install.script()}\n;candorBench.leave();\n".encode(), compresslevel=9, mtime=0)
        for install in INSTALLS}


def page_lines():
    """{page variant: the lines the page carries in its <head>}: no tag, each tag, and each tag
    after the API timer (`<tag>-apis`)."""
    lines = {NO_TAG: ""}
    for install in INSTALLS:
        tag = f'<script async src="/bench/tags/{slug(install.name)}.js" {install.attributes}></script>'
        lines[slug(install.name)] = tag
        lines[f"{slug(install.name)}{API_PAGE}"] = f'{API_TIMER_LINE}\n{tag}'
    return lines


def bench_app(traffic):
    """The pages, the probe, the tags and the stub collector, all on one origin."""
    app = Flask(__name__)
    template = (PAGES / "page.html").read_text(encoding="utf-8")
    lines = page_lines()
    tags = served_tags()
    scripts = {name: (PAGES / name).read_bytes() for name in ("probe.js", "api_timer.js")}

    @app.get("/bench/page-<variant>.html")
    def page(variant):
        if variant not in lines:
            return Response(status=404)
        return Response(template.replace("{tag}", lines[variant]), mimetype="text/html")

    @app.get("/bench/blank.html")
    def blank():
        return Response("<!doctype html><title>blank</title>", mimetype="text/html")

    @app.get("/bench/<any('probe.js', 'api_timer.js'):name>")
    def page_script(name):
        return Response(scripts[name], mimetype="text/javascript")

    @app.get("/bench/tags/<name>.js")
    def tag(name):
        if name not in tags:
            return Response(status=404)
        if "gzip" not in request.headers.get("Accept-Encoding", ""):
            return Response("gzip only", status=406)
        traffic.add(name, script_bytes=len(tags[name]), scripts=1)
        return Response(tags[name], mimetype="text/javascript", headers={"Content-Encoding": "gzip"})

    @app.route("/stub/<name>", methods=["GET", "POST"])
    @app.route("/stub/<name>/<path:rest>", methods=["GET", "POST"])
    def stub_collector(name, rest=""):
        """Every tag's collector: counts what arrived and answers 200 "1" (what Mixpanel reads)."""
        body = request.get_data()
        traffic.add(name, request_bytes=len(body) + len(request.query_string), requests=1)
        return Response("1", mimetype="text/plain")

    @app.after_request
    def headers(response):
        response.headers.update(ISOLATION_HEADERS)
        response.headers["Cache-Control"] = "no-store"
        return response

    return app


class BenchServer:
    def __init__(self):
        self.traffic = Traffic()
        self.server = make_server("127.0.0.1", 0, bench_app(self.traffic), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(5)


def load_page(driver, url, has_tag):
    """Navigate, then read what the page recorded once the load event and SETTLE_MS have passed."""
    driver.get(url)
    reading = poll(lambda: driver.execute_script(READ_LOAD, has_tag, SETTLE_MS), lambda value: value is not None,
                   timeout=READ_TIMEOUT)
    if reading is None:
        raise RuntimeError(f"{url}: the load event {'or the first request ' if has_tag else ''}did not come "
                           f"within {READ_TIMEOUT} s")
    return reading


def rounds(variants, loads):
    """Round i: every variant once, the order rotated by i."""
    for i in range(loads):
        shift = i % len(variants)
        yield variants[shift:] + variants[:shift]


def cpu_profile_ms(profile, script_suffix):
    """(ms of samples whose stack holds a frame of the script, {leaf function: ms} of those)."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    parent = {child: node["id"] for node in profile["nodes"] for child in node.get("children", [])}
    in_tag = {}

    def belongs(node_id):
        if node_id not in in_tag:
            frame = nodes[node_id]["callFrame"]
            in_tag[node_id] = frame["url"].endswith(script_suffix) or (
                node_id in parent and belongs(parent[node_id]))
        return in_tag[node_id]

    deltas = profile["timeDeltas"][1:] + [0]
    total = 0.0
    leaves = {}
    for node_id, delta in zip(profile["samples"], deltas):
        if belongs(node_id):
            frame = nodes[node_id]["callFrame"]
            name = frame["functionName"] or "(anonymous)"
            where = f"{Path(frame['url']).name}:{frame['lineNumber'] + 1}:{frame['columnNumber'] + 1}" if frame["url"] else "native"
            leaves[f"{name} ({where})"] = leaves.get(f"{name} ({where})", 0.0) + delta / 1000
            total += delta / 1000
    return total, leaves


def profiled_loads(driver, base, variants, loads):
    """Chromium only: the V8 sampling profiler around each load, attributed to the tag's file."""
    results = {variant: {"ms": [], "leaves": {}} for variant in variants}
    driver.execute_cdp_cmd("Profiler.enable", {})
    driver.execute_cdp_cmd("Profiler.setSamplingInterval", {"interval": SAMPLING_US})
    for order in rounds(list(variants), loads):
        for variant in order:
            driver.get(f"{base}/bench/blank.html")
            driver.execute_cdp_cmd("Profiler.start", {})
            load_page(driver, f"{base}/bench/page-{variant}.html", True)
            profile = driver.execute_cdp_cmd("Profiler.stop", {})["profile"]
            ms, leaves = cpu_profile_ms(profile, f"/bench/tags/{variant}.js")
            results[variant]["ms"].append(ms)
            for leaf, leaf_ms in leaves.items():
                results[variant]["leaves"][leaf] = results[variant]["leaves"].get(leaf, 0.0) + leaf_ms
    driver.execute_cdp_cmd("Profiler.disable", {})
    return {variant: {"sampled_ms": summary(result["ms"]), "interval_us": SAMPLING_US,
                      "top": [{"function": leaf, "ms_per_load": ms / loads}
                              for leaf, ms in sorted(result["leaves"].items(), key=lambda item: -item[1])[:PROFILE_TOP]]}
            for variant, result in results.items()}


def measure_engine(engine, loads, display):
    """Every page `loads` times in one engine, then the profiled pass where the engine has one."""
    server = BenchServer()
    driver = start_session(engine, Profile(), display)
    tags = [slug(install.name) for install in INSTALLS]
    variants = [NO_TAG, *tags]
    try:
        for variant in variants:
            load_page(driver, f"{server.url}/bench/page-{variant}.html", variant != NO_TAG)
        driver.get(f"{server.url}/bench/blank.html")
        capabilities = driver.execute_script(TIMER_RESOLUTION)
        server.traffic.take()
        readings = {variant: [] for variant in variants}
        for order in rounds(variants, loads):
            for variant in order:
                readings[variant].append(load_page(driver, f"{server.url}/bench/page-{variant}.html", variant != NO_TAG))
        driver.get(f"{server.url}/bench/blank.html")
        time.sleep(SETTLE_MS / 1000)
        traffic = server.traffic.take()
        apis = api_profiles(driver, server.url, tags, min(loads, PROFILED_LOADS))
        profile = profiled_loads(driver, server.url, tags, min(loads, PROFILED_LOADS)) if engine == "chromium" else None
        browser = f"{driver.capabilities['browserName']} {driver.capabilities.get('browserVersion', '')}".strip()
    finally:
        driver.quit()
        server.stop()
    return engine_report(browser, capabilities, readings, traffic, profile, apis, loads)


def api_profiles(driver, base, tags, loads):
    """Every engine: per tag, the browser APIs it spent most time in, as mean ms and calls per
    load over `loads` loads of its page with the API timer."""
    totals = {tag: {} for tag in tags}
    for order in rounds(list(tags), loads):
        for tag in order:
            reading = load_page(driver, f"{base}/bench/page-{tag}{API_PAGE}.html", True)
            for name, api in reading["apis"].items():
                total = totals[tag].setdefault(name, {"ms": 0.0, "calls": 0})
                total["ms"] += api["ms"]
                total["calls"] += api["calls"]
    return {tag: sorted(({"api": name, "ms_per_load": total["ms"] / loads, "calls_per_load": total["calls"] / loads}
                         for name, total in apis.items()), key=lambda api: -api["ms_per_load"])
            for tag, apis in totals.items()}


def lacks(capabilities):
    """What this engine's timing APIs cannot give the bench."""
    missing = []
    if not capabilities["longtask"]:
        missing.append("no Long Tasks API ('longtask' is not a supported PerformanceObserver entry type)")
    if not capabilities["isolated"]:
        missing.append("not cross-origin isolated despite COOP/COEP: coarser performance.now()")
    if not capabilities["transferSize"]:
        missing.append("no transferSize in Resource Timing (bytes counted at the server instead)")
    return missing


def tag_report(readings, traffic, loads):
    ready = readings
    report = {
        "main_thread_ms": summary([r["tagMs"] for r in ready]),
        "script_run_ms": summary([r["tagEnd"] - r["tagStart"] for r in ready]),
        "start_to_first_request_ms": summary([r["firstRequestAt"] - r["tagStart"] for r in ready]),
        "callbacks_per_load": summary([r["callbacks"] for r in ready]),
        "first_request_api": sorted({r["requests"][0]["api"] for r in ready}),
        "load_event_ms": summary([r["loadEventEnd"] for r in ready]),
        "long_tasks": None if ready[0]["longTasks"] is None else sum(len(r["longTasks"]) for r in ready),
        "long_task_ms": None if ready[0]["longTasks"] is None else summary(
            [sum(t["duration"] for t in r["longTasks"] if t["start"] < r["loadEventEnd"]) for r in ready]),
        "script_bytes_per_load": traffic.get("script_bytes", 0) / loads,
        "requests_per_load": traffic.get("requests", 0) / loads,
        "request_bytes_per_load": traffic.get("request_bytes", 0) / loads,
    }
    report["bytes_per_load"] = report["script_bytes_per_load"] + report["request_bytes_per_load"]
    return report


def engine_report(browser, capabilities, readings, traffic, profile, apis, loads):
    """Per tag: its measures, the load event's delay against the no-tag page of the same round
    (paired, so drift between rounds cancels), and its ratios to Plausible's."""
    none = readings[NO_TAG]
    baseline_load = summary([r["loadEventEnd"] for r in none])
    tags = {}
    for install in INSTALLS:
        tag = slug(install.name)
        report = tag_report(readings[tag], traffic.get(tag, {}), loads)
        delays = [with_tag["loadEventEnd"] - without["loadEventEnd"] for with_tag, without in zip(readings[tag], none)]
        report["load_delay_ms"] = summary(delays)
        report["load_ratio_to_no_tag"] = report["load_event_ms"]["median"] / baseline_load["median"]
        report["api_profile"] = apis[tag]
        if profile is not None:
            report["cpu_profile"] = profile[tag]
        tags[install.name] = report
    baseline = tags[BASELINE_PEER]
    for report in tags.values():
        report["to_plausible"] = {
            "main_thread": ratio(report["main_thread_ms"]["median"], baseline["main_thread_ms"]["median"]),
            "start_to_first_request": ratio(report["start_to_first_request_ms"]["median"],
                                            baseline["start_to_first_request_ms"]["median"]),
            "load_delay": ratio(report["load_delay_ms"]["median"], baseline["load_delay_ms"]["median"]),
            "bytes": ratio(report["bytes_per_load"], baseline["bytes_per_load"]),
        }
    return {
        "browser": browser,
        "timer_resolution_ms": capabilities["resolution"],
        "cross_origin_isolated": all(r["isolated"] for rs in readings.values() for r in rs),
        "lacks": lacks(capabilities),
        "no_tag": {"load_event_ms": baseline_load,
                   "long_tasks": None if none[0]["longTasks"] is None else sum(len(r["longTasks"]) for r in none)},
        "tags": tags,
    }


def ratio(value, baseline):
    """value / baseline, or None where the baseline is not above zero (a delay within the noise)."""
    return value / baseline if baseline > 0 else None


def measure_page_cost(loads, engines):
    """Every engine in turn (WebKitGTK on a private Xvfb display, it has no headless mode)."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    results = {"loads_per_page": loads, "settle_ms": SETTLE_MS, "engines": {},
               "tags": {install.name: install.note for install in INSTALLS}}
    xvfb = None
    try:
        for engine in engines:
            display = None
            if engine == "webkit":
                xvfb = Xvfb()
                display = xvfb.start()
            results["engines"][engine] = measure_engine(engine, loads, display)
    finally:
        if xvfb is not None:
            xvfb.stop()
    return results
