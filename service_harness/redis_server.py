"""A throwaway `redis-server` (Debian's package) on a free loopback port, keeping nothing on disk."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from .processes import free_port, wait_for_port

INSTALL_HINT = "apt-get install -y redis-server"
START_TIMEOUT = 20


class RedisMissing(RuntimeError):
    """redis-server is not installed; the message says how to install it."""


class RedisServer:
    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            raise RedisMissing(f"redis-server is not installed: {INSTALL_HINT}")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="candor-redis-"))
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder), "--logfile", str(self.folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.process, START_TIMEOUT, "redis-server")

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=START_TIMEOUT)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
