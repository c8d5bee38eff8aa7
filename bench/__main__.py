"""`python -m bench`: run every benchmark, print the table, write bench/results.json."""
import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from .collector_load import measure_collector
from .page_cost import ENGINES, measure_page_cost
from .report import goals, render
from .sizes import leak_split, measure_sizes

RESULTS = Path(__file__).resolve().parent / "results.json"
KEPT_SECTIONS = ("storage",)
"""Sections of the results file other benchmarks write (bench.storage_load): kept as they were."""


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return value


def engines(text):
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = sorted(set(names) - set(ENGINES))
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"choose engines from {', '.join(ENGINES)}")
    return names


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split(":", 1)[1].strip())
    parser.add_argument("--loads", type=positive, default=20, help="loads of each page per engine (default 20)")
    parser.add_argument("--engines", type=engines, default=list(ENGINES),
                        help=f"browser engines, comma-separated (default {','.join(ENGINES)})")
    parser.add_argument("--seconds", type=positive, default=10, help="wrk time per server (default 10)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file (default bench/results.json)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="candor-bench-") as data_dir:
        results = {
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
            "settings": {"loads": args.loads, "seconds": args.seconds, "engines": args.engines},
            "sizes": measure_sizes(),
            "leak_split": leak_split(),
            "page": measure_page_cost(args.loads, args.engines),
            "collector": measure_collector(args.seconds, Path(data_dir) / "collector"),
        }
    if args.out.is_file():
        previous = json.loads(args.out.read_text(encoding="utf-8"))
        results.update({key: previous[key] for key in KEPT_SECTIONS if key in previous})
    results["goals"] = goals(results)
    results["settings"]["run_seconds"] = round(time.monotonic() - started, 1)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(render(results))
    print(f"\nwritten to {args.out} in {results['settings']['run_seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
