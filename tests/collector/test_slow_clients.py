"""Slow clients: `candor-server`, the production setup, keeps answering beacons within 1 s
while 50 connections send their bodies a byte at a time (measured against the real server)."""

import http.client
import json
import socket
import subprocess
import sys
import threading
import time

import pytest

from bench.collector_load import ORIGIN, collector_environment, free_port
from service_harness.processes import wait_until_answering

SLOW_CONNECTIONS = 50
BEACONS = 20
MAX_SECONDS = 1.0
START_TIMEOUT = 20


def beacon(i):
    return json.dumps({"v": 1, "site": "bench", "uid": "4f1c2a9e8b7d6c5f4e3d2c1b0a998877", "events": [
        {"id": f"0f8fad5b-d9cb-469f-a165-7086772895{i:02d}", "type": "page", "ts": 1, "url": ORIGIN + "/"}]})


@pytest.fixture
def candor_server(tmp_path):
    port = free_port()
    environment = {**collector_environment(tmp_path), "CANDOR_DASHBOARD_PASSWORD": "slow client test"}
    process = subprocess.Popen([sys.executable, "-c", "import sys; from candor_server.cli import main; sys.exit(main())",
                                "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                               env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_answering(port, process, START_TIMEOUT, "candor-server")
    except RuntimeError as error:
        process.kill()
        pytest.fail(str(error))
    yield port
    process.terminate()
    process.wait(timeout=30)


def trickle(port, stop):
    """Headers announcing a 1,000-byte body, then one byte every 0.2 s until told to stop."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(b"POST /collect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                           b"Content-Length: 1000\r\n\r\n")
        while not stop.wait(0.2):
            try:
                connection.sendall(b" ")
            except OSError:
                return


def test_beacons_are_answered_within_a_second_while_50_clients_send_slowly(candor_server):
    stop = threading.Event()
    slow = [threading.Thread(target=trickle, args=(candor_server, stop), daemon=True) for _ in range(SLOW_CONNECTIONS)]
    for thread in slow:
        thread.start()
    time.sleep(1)
    took = []
    try:
        for i in range(BEACONS):
            started = time.monotonic()
            connection = http.client.HTTPConnection("127.0.0.1", candor_server, timeout=10)
            connection.request("POST", "/collect", body=beacon(i), headers={"Content-Type": "text/plain", "Origin": ORIGIN})
            status = connection.getresponse().status
            connection.close()
            took.append(time.monotonic() - started)
            assert status == 204
    finally:
        stop.set()
    print(f"beacons answered while {SLOW_CONNECTIONS} clients trickle: max {max(took) * 1000:.0f} ms,"
          f" median {sorted(took)[len(took) // 2] * 1000:.0f} ms")
    assert max(took) < MAX_SECONDS
