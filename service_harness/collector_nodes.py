"""Collector nodes: `candor-server` (gunicorn), each its own process group on its own port
with its own data folder and gunicorn control socket (XDG_RUNTIME_DIR), sharing whatever
database and rate-limit storage the environment names, as stateless nodes behind a proxy."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from .processes import free_port, wait_until_answering

ROOT = Path(__file__).resolve().parent.parent
CANDOR_SERVER = "import sys; from candor_server.cli import main; sys.exit(main())"
START_TIMEOUT = 60
STOP_TIMEOUT = 30


def node_environment(folder, sites, **settings):
    """The environment of one node: a sites file and data folder in `folder`, and `settings`
    as CANDOR_* variables, e.g. DATABASE_URL, RATE_LIMIT_STORAGE, COLLECT_RATE_LIMIT."""
    folder = Path(folder)
    (folder / "run").mkdir(parents=True, exist_ok=True)
    sites_file = folder / "sites.json"
    sites_file.write_text(json.dumps(sites), encoding="utf-8")
    return {**os.environ, "XDG_RUNTIME_DIR": str(folder / "run"), "CANDOR_DATA_DIR": str(folder),
            "CANDOR_SITES": str(sites_file), "CANDOR_DASHBOARD_PASSWORD": "node",
            **{f"CANDOR_{name}": value for name, value in settings.items()}}


class CollectorNode:
    """`candor-server` (the production command: the app built and migrated in gunicorn's master,
    then `workers` forked) with its output in `node.log` of its data folder; `kill()` is a
    machine dying (SIGKILL to every process of the node), `stop()` a graceful stop."""

    def __init__(self, environment, workers=2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(environment["CANDOR_DATA_DIR"]) / "node.log"
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", CANDOR_SERVER, "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)],
                cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_until_answering(self.port, self.process, START_TIMEOUT, f"collector node (log: {self.log})")
        except RuntimeError:
            self.kill()
            raise

    def kill(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT)

    def stop(self):
        """SIGTERM is gunicorn's graceful stop: requests in flight finish."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
