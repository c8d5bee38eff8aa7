"""The goals each number is held to, and the table `python -m bench` prints."""
SIZE_GOAL_GZIP = 2500
"""The product's size goal (2,500 B gzip) for what a visitor downloads before the first page view
is sent, held here even while build.py's GZIP_BUDGET differs."""
COLLECTOR_RATIO_GOAL = 0.5
COLLECTOR_P99_GOAL_MS = 50
PROFILE_LINES = 4
CANDOR = "Candor"


def lowest_goal(engine, report, what, key):
    """Candor's value of one measure against the lowest peer's, in one engine, from one run."""
    values = {tag: key(measures) for tag, measures in report["tags"].items()}
    peer, best = min(((tag, value) for tag, value in values.items() if tag != CANDOR), key=lambda item: item[1])
    return {"goal": f"{what}, lowest of the tags ({engine})", "target": f"< {peer} {best:.2f} ms",
            "measured": f"{values[CANDOR]:.2f} ms", "met": values[CANDOR] < best}


def goals(results):
    """Each goal with its target, the measured value and whether it is met."""
    candor = results["sizes"][0]
    collector = results["collector"]
    check = collector["count_check"]
    page_goals = []
    for engine, report in results["page"]["engines"].items():
        page_goals.append(lowest_goal(engine, report, "main-thread time (median)",
                                      lambda measures: measures["main_thread_ms"]["median"]))
        page_goals.append(lowest_goal(engine, report, "load-event delay (median)",
                                      lambda measures: measures["load_delay_ms"]["median"]))
    before = candor["before_first_page_view_gzip"]
    return [
        *page_goals,
        {"goal": "bytes before the first page view is sent, gzip -9", "target": f"<= {SIZE_GOAL_GZIP:,} B",
         "measured": f"{before:,} B", "met": before <= SIZE_GOAL_GZIP},
        {"goal": "collector beacons/s, share of bare WSGI", "target": f">= {COLLECTOR_RATIO_GOAL}",
         "measured": f"{collector['ratio']:.3f}", "met": collector["ratio"] >= COLLECTOR_RATIO_GOAL},
        {"goal": "collector p99 latency at the bench's load", "target": f"< {COLLECTOR_P99_GOAL_MS} ms",
         "measured": f"{collector['collector']['latency_ms']['p99']:.1f} ms",
         "met": collector["collector"]["latency_ms"]["p99"] < COLLECTOR_P99_GOAL_MS},
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


def split_line(split):
    return (f"leak detection as a lazily loaded file (measured, not shipped): before the first page view "
            f"{split['today_gzip']:,} -> {split['main_without_leaks_gzip']:,} B gzip plus the loader; the lazy file "
            f"{split['lazy_leaks_gzip']:,} B, so {split['added_in_total']:+,} B and one more request per page view")


def spread(values):
    """`median [q1-q3]`: the middle half of the loads."""
    return f"{values['median']:.2f} [{values['q1']:.2f}-{values['q3']:.2f}]"


def times(value):
    return "-" if value is None else f"{value:.2f}x"


def engine_table(report):
    lines = rows(("tag", "main thread ms", "start to 1st request ms", "load delay ms", "load / no tag",
                  "long tasks", "bytes/load", "requests/load", "main / Plausible", "delay / Plausible"), [
        (tag, spread(m["main_thread_ms"]), spread(m["start_to_first_request_ms"]), spread(m["load_delay_ms"]),
         f"{m['load_ratio_to_no_tag']:.3f}", "n/a" if m["long_tasks"] is None else m["long_tasks"],
         f"{m['bytes_per_load']:,.0f}", f"{m['requests_per_load']:g}", times(m["to_plausible"]["main_thread"]),
         times(m["to_plausible"]["load_delay"]))
        for tag, m in report["tags"].items()])
    no_tag = report["no_tag"]
    lines.append(f"no tag: load event {spread(no_tag['load_event_ms'])} ms; timer resolution "
                 f"{report['timer_resolution_ms'] * 1000:.0f} us; cross-origin isolated: {report['cross_origin_isolated']}")
    lines.extend(f"lacks: {missing}" for missing in report["lacks"])
    for tag, m in report["tags"].items():
        lines.append(f"browser APIs {tag} (ms/load, calls): " + "; ".join(
            f"{api['api']} {api['ms_per_load']:.2f} x{api['calls_per_load']:g}" for api in m["api_profile"][:PROFILE_LINES]))
    for tag, m in report["tags"].items():
        profile = m.get("cpu_profile")
        if profile:
            lines.append(f"CPU profile {tag} ({profile['interval_us']} us samples): {spread(profile['sampled_ms'])} ms; "
                         + "; ".join(f"{top['function']} {top['ms_per_load']:.2f}" for top in profile["top"][:PROFILE_LINES]))
    return lines


def page_section(page):
    lines = []
    for engine, report in page["engines"].items():
        lines += ["", f"Runtime side by side: {report['browser']} ({engine}), {page['loads_per_page']} interleaved "
                  f"loads of each page, read {page['settle_ms']} ms after the load event", *engine_table(report)]
    return lines


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
        f"profile, CPU ms per request under cProfile ({profile['requests']:,} requests): "
        + "; ".join(f"{label} {ms:.2f}" for label, ms in profile["phases_ms_per_request"].items()),
        f"most own time ({profile['ms_per_request']:.2f} ms a request in all): "
        + "; ".join(f"{entry['function']} {entry['ms_per_request']:.2f} ms ({entry['share']:.0%})"
                    for entry in profile["top_own_time"][:PROFILE_LINES]),
    ]


def render(results):
    collector = results["collector"]
    return "\n".join([
        "Size (bytes)",
        *size_table(results["sizes"]),
        split_line(results["leak_split"]),
        *page_section(results["page"]),
        "",
        f"Collector: gunicorn {collector['workers']} sync workers on loopback, wrk {collector['connections']} "
        f"connections, {collector['collector']['seconds']:.0f} s each",
        *collector_table(collector),
        "",
        "Goals",
        *rows(("goal", "target", "measured", ""),
              [(goal["goal"], goal["target"], goal["measured"], "MET" if goal["met"] else "MISSED")
               for goal in results["goals"]], text_columns=2),
    ])
