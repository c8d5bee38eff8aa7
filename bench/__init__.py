"""Candor's benchmarks: size beside the tags publishers would pick instead, main-thread and
page-load cost in headless Chromium, and collector throughput under gunicorn.

`python -m bench` (or `./dev.sh bench`, `make bench`) runs them all, prints one table and
writes bench/results.json. They are measurements, not tests: tests/bench only checks that
each still runs and reports numbers of the right shape.
"""
