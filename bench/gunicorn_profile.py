"""gunicorn settings that profile the collector: each worker runs its requests under cProfile
and writes its stats to CANDOR_BENCH_PROFILE_DIR when it exits. The profiler counts the worker's
CPU time, not wall-clock time: on a shared machine wall-clock time was mostly time the worker
sat descheduled (4.6 ms of "sendall" a request), which says nothing about the collector. Waiting
for SQLite's write lock is not CPU time either; it shows as the gap between the request latency
wrk sees and these milliseconds."""
import cProfile
import os
import time
from pathlib import Path

profiler = cProfile.Profile(time.process_time)


def pre_request(worker, request):
    profiler.enable()


def post_request(worker, request, environ, response):
    profiler.disable()


def worker_exit(server, worker):
    profiler.create_stats()
    if not profiler.stats:
        return  # a worker still starting when a short run ended served nothing to profile
    profiler.dump_stats(Path(os.environ["CANDOR_BENCH_PROFILE_DIR"]) / f"worker-{worker.pid}.prof")
