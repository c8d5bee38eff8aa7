"""`pip install .` as a publisher would: the wheel built from this repository, installed into
a fresh virtual environment outside it, run with its console command. The installed server
collects a beacon and shows it back, serves the built tag, and has none of the demo's pages."""

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from service_harness.processes import free_port, wait_until_answering

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "https://www.news.example"
UID = "4f1c2a9e8b7d6c5f4e3d2c1b0a998877"
PASSWORD = "installed-server-test"
START_TIMEOUT = 30
pytestmark = pytest.mark.timeout(600)  # building the wheel and installing it into a fresh venv


def run(*command, cwd):
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, f"{command}:\n{completed.stdout}\n{completed.stderr}"
    return completed.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A venv outside the repository with only the wheel (and its pinned dependencies) in it."""
    work = tmp_path_factory.mktemp("installed")
    source = work / "source"
    # Build from a copy, so the build's own folders never land in the working tree.
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "build", "reports", "instance", "*.egg-info", "__pycache__"))
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "wheels"), str(source), cwd=work)
    wheel = next((work / "wheels").glob("candor_analytics-*.whl"))
    run(sys.executable, "-m", "venv", str(work / "venv"), cwd=work)
    pip = work / "venv" / "bin" / "pip"
    run(str(pip), "install", "-q", "--disable-pip-version-check", "-c", str(ROOT / "requirements.txt"), str(wheel), cwd=work)
    return work


@pytest.fixture(scope="module")
def server(installed):
    """`candor-server` from the venv, started in a folder that is not the repository."""
    sites = installed / "sites.json"
    sites.write_text(json.dumps({"news": {"origins": [ORIGIN]}}))
    port = free_port()
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("CANDOR_", "PYTHON", "VIRTUAL_ENV"))}
    environment.update(CANDOR_SITES=str(sites), CANDOR_DATA_DIR=str(installed / "data"),
                       CANDOR_DASHBOARD_PASSWORD=PASSWORD, XDG_RUNTIME_DIR=str(installed))
    process = subprocess.Popen([str(installed / "venv" / "bin" / "candor-server"), "--bind", f"127.0.0.1:{port}",
                                "--workers", "1"], cwd=installed, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_answering(port, process, START_TIMEOUT, "candor-server")
    except RuntimeError as error:
        process.kill()
        pytest.fail(str(error))
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)


def request(url, data=None, headers=None):
    """(status, headers, body) without raising on 4xx."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers or {}), timeout=10) as answer:
            return answer.status, answer.headers, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8")


def test_the_installed_package_holds_no_repository_paths(installed):
    site_packages = next((installed / "venv" / "lib").glob("python3*/site-packages"))
    assert (site_packages / "candor_server" / "tag" / "candor.min.js").read_bytes() == (ROOT / "dist" / "candor.min.js").read_bytes()
    assert not (site_packages / "demo_site").exists()


def test_a_beacon_is_collected_and_shown_back_to_its_visitor(server):
    beacon = {"v": 1, "site": "news", "uid": UID, "events": [
        {"id": "6b0c3a52-6d9e-4f4b-9a53-0f2d1c3b4a59", "type": "page", "ts": 1764400000000,
         "url": "https://www.news.example/installed-check", "ref": "", "title": "Installed", "attrs": {}}]}
    status, _, body = request(server + "/collect", json.dumps(beacon).encode(),
                              {"Content-Type": "text/plain;charset=UTF-8", "Origin": ORIGIN})
    assert status == 204, body
    status, _, page = request(server + "/my-data", headers={"Cookie": f"candor_id={UID}"})
    assert status == 200 and "https://www.news.example/installed-check" in page


def test_the_visitor_and_publisher_pages_answer(server):
    assert request(server + "/optout")[0] == 200
    status, _, page = request(server + "/dashboard/login")
    assert status == 200 and "password" in page


def test_the_built_tag_is_served_with_its_integrity_file(server):
    status, _, tag = request(server + "/candor.min.js")
    assert status == 200 and tag == (ROOT / "dist" / "candor.min.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ["/", "/article/river-path-reopens", "/leaky", "/thirdparty/spy.js"])
def test_the_demo_pages_are_not_installed(server, path):
    assert request(server + path)[0] == 404
