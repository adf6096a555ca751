#!/usr/bin/env bash
# The project's one test command (README, .ci/run): installs the third-party clients the interop tests run,
# runs every test project, and ends with the totals alone on a line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

# Installs the Debian packages given whose command or package is missing (apt-get update only when needed).
install_debian_packages() {
  [ $# -gt 0 ] || return 0
  echo "Installing Debian packages: $*"
  local sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Third-party clients nobody here wrote: the interop tests fail (never skip) without them.
# mosquitto: the reference broker (client and record-mode tests); tmux: the live console's `q` test;
# prometheus: its promtool lints /metrics; postgresql: initdb/pg_ctl/psql for the recorder's PostgreSQL tests (each
# starts a throw-away cluster on a free port).
missing=()
for package in mosquitto mosquitto-clients python3-paho-mqtt tmux prometheus postgresql; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# MQTT.js and the browser tests (tests/node, run by tests/EmbeddedBroker.Web.Tests): Node with npm and Debian's Chromium.
# A node or npm already on the machine (e.g. NodeSource's, which bundles npm) is kept: Debian's npm would conflict.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -x /usr/bin/chromium ] || missing+=(chromium)
install_debian_packages "${missing[@]}"
# The npm packages pinned in tests/node/package-lock.json (MQTT.js, playwright-core: it downloads no browser).
npm ci --prefix tests/node --no-audit --no-fund --loglevel=error

# The Debian packages start a system mosquitto on 1883, a Prometheus server on 9090 and a PostgreSQL cluster on 5432; tests need neither (they
# start their own brokers on free ports and only run promtool).
if command -v systemctl >/dev/null 2>&1; then systemctl stop mosquitto prometheus postgresql >/dev/null 2>&1 || true; fi

results_dir=$(mktemp -d)
trap 'rm -rf "$results_dir"' EXIT
log="$results_dir/test.log"

set +e
dotnet test EmbeddedBroker.sln -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
read -r passed failed < <(grep -E '^(Passed|Failed)! +- ' "$log" |
  sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+).*/\2 \1/' |
  awk '{ p += $1; f += $2 } END { print p + 0, f + 0 }')
passed=${passed:-0}
failed=${failed:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or a test host failed before any summary: never report green
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
