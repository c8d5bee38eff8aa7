"""gunicorn settings that profile the collector: each worker runs its requests under cProfile,
which counts wall-clock time, so waiting for SQLite's write lock shows where it happens, and
writes its stats to CANDOR_BENCH_PROFILE_DIR when it exits."""
import cProfile
import os
from pathlib import Path

profiler = cProfile.Profile()


def pre_request(worker, request):
    profiler.enable()


def post_request(worker, request, environ, response):
    profiler.disable()


def worker_exit(server, worker):
    profiler.create_stats()
    if not profiler.stats:
        return  # a worker still starting when a short run ended served nothing to profile
    profiler.dump_stats(Path(os.environ["CANDOR_BENCH_PROFILE_DIR"]) / f"worker-{worker.pid}.prof")
