#!/usr/bin/env bash
# One entry point for a new engineer and for CI, on Debian 12 (root installs what is missing).
#   ./dev.sh demo   set up, then serve the demo site, collector and tag on http://127.0.0.1:5000
#   ./dev.sh test   set up with all three browser engines, then lint, type-check and run every test
#   ./dev.sh build  rebuild dist/ from tag_src/ (needs `./dev.sh test` or `setup` once)
#   ./dev.sh bench  set up, then run the benchmarks: prints a table, writes bench/results.json
set -euo pipefail
cd "$(dirname "$0")"

VENV=.venv
PY=$VENV/bin/python
BASE_PACKAGES="python3 python3-venv"
BUILD_PACKAGES="nodejs npm"
BROWSER_PACKAGES="chromium chromium-driver firefox-esr webkit2gtk-driver xvfb xauth"
BENCH_PACKAGES="wrk"
# Real servers the storage tests, the multi-node test and the bench start in temporary folders.
SERVICE_PACKAGES="postgresql redis-server"
BENCH_LOCK=bench/package-lock.json
BENCH_INSTALLED_LOCK=bench/node_modules/.installed-package-lock.json

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Install the Debian packages among "$@" that are missing; only root can, others are told how.
apt_ensure() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  say "apt-get install ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

python_env() {
  [ -x "$PY" ] || { say "creating $VENV"; python3 -m venv "$VENV"; }
  say "pip install (pinned: requirements.txt)"
  "$PY" -m pip install -q --disable-pip-version-check -r requirements.txt
}

setup_demo() {
  python3 -c "import ensurepip, venv" 2>/dev/null || apt_ensure $BASE_PACKAGES
  python_env
}

# The peers' bundles the size benchmark weighs; skipped when installed from this very lock file.
bench_peers() {
  cmp -s "$BENCH_LOCK" "$BENCH_INSTALLED_LOCK" && return 0
  say "npm ci --prefix bench (peer tags to weigh, pinned in $BENCH_LOCK; no install scripts)"
  npm ci --prefix bench --ignore-scripts --no-audit --no-fund --loglevel=error
  cp "$BENCH_LOCK" "$BENCH_INSTALLED_LOCK"
}

# The bench runs the tags in all three engines and builds the tag (esbuild) to weigh a split,
# so it needs everything the tests do, plus wrk.
setup_bench() {
  setup_demo
  command -v npm >/dev/null || apt_ensure $BUILD_PACKAGES
  apt_ensure $BROWSER_PACKAGES $BENCH_PACKAGES $SERVICE_PACKAGES
  say "pip install geckodriver (hash-pinned: requirements-geckodriver.txt)"
  "$PY" -m pip install -q --disable-pip-version-check --require-hashes -r requirements-geckodriver.txt
  say "npm ci (esbuild, pinned in package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
  bench_peers
}

setup_test() {
  setup_bench
}

case "${1:-}" in
  demo)
    setup_demo
    port="${PORT:-5000}"
    say "Candor demo: open http://127.0.0.1:$port/ (opt-out page: /optout, dashboard: /dashboard). Ctrl-C stops it."
    if [ -z "${CANDOR_DASHBOARD_PASSWORD:-}" ] && [ -f "${CANDOR_DATA_DIR:-instance}/dashboard-password" ]; then
      say "Dashboard password: $(cat "${CANDOR_DATA_DIR:-instance}/dashboard-password")"
    fi
    exec "$VENV/bin/flask" --app demo_site run --host 127.0.0.1 --port "$port"
    ;;
  test)
    setup_test
    export CANDOR_BROWSERS="${CANDOR_BROWSERS:-chromium,firefox,webkit}"
    say "ruff (lint; format of the server, the demo and the browser harness) and mypy (candor_server)"
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check candor_server demo_site browser_harness
    "$PY" -m mypy
    say "pytest: unit, build, server, packaging and browser tests in $CANDOR_BROWSERS"
    exec "$PY" -m pytest --html=reports/tests.html --self-contained-html "${@:2}"
    ;;
  build)
    exec "$PY" build.py "${@:2}"
    ;;
  bench)
    setup_bench
    say "benchmarks: size, Candor beside its peers in Chromium, Firefox and WebKitGTK, collector under gunicorn and wrk"
    exec "$PY" -m bench "${@:2}"
    ;;
  *)
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
