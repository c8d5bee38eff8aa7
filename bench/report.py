"""The goals each number is held to, and the table `python -m bench` prints."""
SIZE_GOAL_GZIP = 2500
"""The product's size goal (2,500 B gzip), held here even while build.py's GZIP_BUDGET differs."""
MAIN_THREAD_GOAL_MS = 1.0
LOAD_RATIO_GOAL = 1.01
COLLECTOR_RATIO_GOAL = 0.5
PROFILE_LINES = 5


def goals(results):
    """Each goal with its target, the measured value and whether it is met."""
    candor = results["sizes"][0]
    page = results["page"]
    collector = results["collector"]
    check = collector["count_check"]
    return [
        {"goal": "tag size, gzip -9", "target": f"<= {SIZE_GOAL_GZIP:,} B", "measured": f"{candor['gzip']:,} B",
         "met": candor["gzip"] <= SIZE_GOAL_GZIP},
        {"goal": "main thread, script start to first beacon (median)", "target": f"<= {MAIN_THREAD_GOAL_MS} ms",
         "measured": f"{page['start_to_beacon_ms']['median']:.2f} ms",
         "met": page["start_to_beacon_ms"]["median"] <= MAIN_THREAD_GOAL_MS},
        {"goal": "load event, with / without tag (medians)", "target": f"<= {LOAD_RATIO_GOAL}",
         "measured": f"{page['load_ratio']:.3f}", "met": page["load_ratio"] <= LOAD_RATIO_GOAL},
        {"goal": "collector beacons/s, share of bare WSGI", "target": f">= {COLLECTOR_RATIO_GOAL}",
         "measured": f"{collector['ratio']:.3f}", "met": collector["ratio"] >= COLLECTOR_RATIO_GOAL},
        {"goal": "accepted beacons stored exactly once", "target": "0 lost, 0 unexpected",
         "measured": f"{check['lost']} lost, {check['unexpected']} unexpected of {check['accepted_204']:,}",
         "met": check["lost"] == 0 and check["unexpected"] == 0 and check["accepted_204"] > 0},
    ]


def rows(header, lines, text_columns=1):
    """Plain text columns: the first `text_columns` left-aligned, numbers right-aligned."""
    table = [header, *lines]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    return [
        "  ".join(str(cell).ljust(width) if i < text_columns else str(cell).rjust(width)
                  for i, (cell, width) in enumerate(zip(row, widths)))
        for row in table
    ]


def size_table(sizes):
    return rows(("tag", "package", "file", "raw", "gzip -9", "brotli"),
                [(row["tag"], row["package"], row["file"], f"{row['raw']:,}", f"{row['gzip']:,}", f"{row['brotli']:,}")
                 for row in sizes], text_columns=3)


def ms(values):
    return f"{values['median']:.2f}", f"{values['p95']:.2f}"


def page_table(page):
    long_ms = page["long_task_ms"]
    lines = rows(("ms", "median", "p95"), [
        ("script start to first beacon queued", *ms(page["start_to_beacon_ms"])),
        ("whole script, start to end", *ms(page["script_ms"])),
        ("long tasks per load, with tag", *ms(long_ms["with_tag"])),
        ("long tasks per load, without tag", *ms(long_ms["without_tag"])),
        ("load event end, with tag", *ms(page["load_event_ms"]["with_tag"])),
        ("load event end, without tag", *ms(page["load_event_ms"]["without_tag"])),
    ])
    profile = page["profile"]
    return [
        *lines,
        f"load ratio (medians) {page['load_ratio']:.3f}; long tasks: {page['long_tasks']['with_tag']} with tag, "
        f"{page['long_tasks']['without_tag']} without; beacons received {page['beacons_received']} "
        f"of {page['loads_per_page']} loads; cross-origin isolated: {page['cross_origin_isolated']}",
        "load delay, medians (ms): tag requested at {requested_at_ms:.2f}, fetched in {fetch_ms:.2f} "
        "({fetched_from_cache} of the loads from cache), waited {wait_to_run_ms:.2f} to run, ran {run_ms:.2f}, "
        "load ended {script_end_to_load_end_ms:.2f} after it".format(**page["load_delay"]),
        f"profile ({profile['loads']} instrumented loads, whole script {profile['script_ms_mean']:.2f} ms): "
        + "; ".join(f"{api['api']} x{api['calls_per_load']:g} {api['ms_per_load']:.2f} ms"
                    for api in profile["apis"][:PROFILE_LINES])
        + f"; the tag's own JavaScript {profile['own_js_ms_mean']:.2f} ms",
    ]


def collector_table(collector):
    lines = rows(("server", "beacons/s", "p50 ms", "p99 ms", "statuses"), [
        (label, f"{run['accepted_per_s']:,.0f}", f"{run['latency_ms']['p50']:.2f}", f"{run['latency_ms']['p99']:.2f}",
         " ".join(f"{status}:{count}" for status, count in sorted(run["statuses"].items())))
        for label, run in (("bare WSGI app (204)", collector["bare_wsgi"]), ("Candor collector", collector["collector"]))
    ])
    check = collector["count_check"]
    profile = collector["profile"]
    return [
        *lines,
        f"ratio {collector['ratio']:.3f}; accepted {check['accepted_204']:,}, stored {check['stored_rows']:,} "
        f"({check['stored_in_flight_at_stop']} in flight when wrk stopped), lost {check['lost']}, "
        f"unexpected {check['unexpected']}, socket errors {check['socket_errors']}",
        f"profile ({profile['requests']:,} requests, {profile['ms_per_request']:.2f} ms each): "
        + "; ".join(f"{entry['function']} {entry['ms_per_request']:.2f} ms ({entry['share']:.0%})"
                    for entry in profile["top_own_time"][:PROFILE_LINES]),
    ]


def render(results):
    page = results["page"]
    collector = results["collector"]
    return "\n".join([
        "Size (bytes)",
        *size_table(results["sizes"]),
        "",
        f"Main thread and page load: {page['browser']}, headless, {page['loads_per_page']} loads of each page",
        *page_table(page),
        "",
        f"Collector: gunicorn {collector['workers']} sync workers on loopback, wrk {collector['connections']} "
        f"connections, {collector['collector']['seconds']:.0f} s each",
        *collector_table(collector),
        "",
        "Goals",
        *rows(("goal", "target", "measured", ""),
              [(goal["goal"], goal["target"], goal["measured"], "met" if goal["met"] else "MISSED")
               for goal in results["goals"]], text_columns=2),
    ])
