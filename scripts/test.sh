#!/usr/bin/env bash
# The project's one test command (README, .ci/run): installs the third-party clients the interop tests run,
# runs every test project, and ends with the totals alone on a line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

# Third-party clients nobody here wrote, from Debian: the interop tests fail (never skip) without them.
debian_packages=(mosquitto mosquitto-clients python3-paho-mqtt tmux)
missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# --- Web tests (tests/EmbeddedBroker.Web.Tests runs tests/node): Node with npm, Debian's Chromium for the browser
# tests, and the npm packages pinned in tests/node/package-lock.json (MQTT.js, playwright-core: it downloads no browser).
# A node or npm already on the machine (e.g. NodeSource's, which bundles npm) is kept: Debian's npm would conflict.
web_missing=()
command -v node >/dev/null 2>&1 || web_missing+=(nodejs)
command -v npm >/dev/null 2>&1 || web_missing+=(npm)
[ -x /usr/bin/chromium ] || web_missing+=(chromium)
if [ ${#web_missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${web_missing[*]}"
  web_sudo=""
  [ "$(id -u)" -eq 0 ] || web_sudo="sudo"
  $web_sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $web_sudo apt-get install -y -qq --no-install-recommends "${web_missing[@]}" >/dev/null
fi
npm ci --prefix tests/node --no-audit --no-fund --loglevel=error
# --- end of web tests block

# The Debian package starts a system mosquitto on 1883; tests never need it (they start their own on free ports).
if command -v systemctl >/dev/null 2>&1; then systemctl stop mosquitto >/dev/null 2>&1 || true; fi

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
