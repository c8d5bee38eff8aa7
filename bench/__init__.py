"""Candor's benchmarks: size beside the tags publishers would pick instead, Candor's runtime
beside Plausible, Snowplow and Mixpanel in Chromium, Firefox and WebKitGTK (main-thread time,
first request, load-event delay, long tasks, bytes), and collector throughput under gunicorn
beside a bare WSGI app.

`python -m bench` (or `./dev.sh bench`, `make bench`) runs them all, prints one table, judges
each goal MET or MISSED and writes bench/results.json. They are measurements, not tests:
tests/bench only checks that each still runs and reports numbers of the right shape.
"""
