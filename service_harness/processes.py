"""Small helpers the server launchers share: a free loopback port, and waiting for a server."""

import http.client
import socket
import time


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, timeout, name):
    """Until something accepts on `port`; a process that exits first fails with its output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode} before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not listen on port {port} within {timeout} s")


def wait_until_answering(port, process, timeout, name):
    """Until an HTTP request to `port` gets any answer: for gunicorn, a worker has booted the
    app, not just the master opened the socket. A process that exits first fails with its output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{output}")
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            probe.request("GET", "/readiness-probe")
            probe.getresponse().read()
            probe.close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not answer on port {port} within {timeout} s")
