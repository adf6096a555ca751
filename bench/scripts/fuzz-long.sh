#!/usr/bin/env bash
# The long protocol fuzz run (issue 17): the Release build of the application on 127.0.0.1, then
# bench/EmbeddedBroker.Fuzz sending PACKETS fuzz packets (default 1,000,000: valid, spec-breaking, blindly mutated and
# random MQTT 3.1/3.1.1/5.0) over TCP with a canary pair, sampling the broker's RSS. Prints and writes the report
# (markdown, for docs/robustness.md), counts error lines and stack traces in the broker's log, and fails when a
# violation was found, a canary message was lost, or the broker died.
#
#   bench/scripts/fuzz-long.sh [PACKETS]        FUZZ_SEED=N to change the seed, KEEP=1 to keep the work folder
#
# Everything runs at nice 19 (the machine is shared); the broker and the tool are stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/ports.sh

PACKETS=${1:-1000000}
SEED=${FUZZ_SEED:-172024}
WORK=$(mktemp -d /tmp/eb-fuzz-long.XXXXXX)
BROKER_PID=""

cleanup() {
  if [[ -n "$BROKER_PID" ]] && kill -0 "$BROKER_PID" 2>/dev/null; then
    kill -TERM "$BROKER_PID" 2>/dev/null || true
    wait "$BROKER_PID" 2>/dev/null || true
  fi
  if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$WORK"; else echo "work folder kept: $WORK"; fi
}
trap cleanup EXIT

echo "building the application and the fuzz tool (Release, nice 19)"
nice -n 19 dotnet build src/EmbeddedBroker/EmbeddedBroker.csproj -c Release -v q -nologo > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
nice -n 19 dotnet build bench/EmbeddedBroker.Fuzz/EmbeddedBroker.Fuzz.csproj -c Release -v q -nologo >> "$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }

MQTT_PORT=$(free_port)
WEB_PORT=$(free_port)
# The application's defaults, except: loopback only, files in the work folder, and sessions a mutated CONNECT made
# persistent expire after 5 s (the default keeps 3.x sessions forever, which a million random CONNECTs would fill).
nice -n 19 dotnet src/EmbeddedBroker/bin/Release/net10.0/EmbeddedBroker.dll \
  --port "$MQTT_PORT" --bind 127.0.0.1 --ws-port "$WEB_PORT" --Listeners:WebSocket:Address 127.0.0.1 \
  --output "$WORK/exports/mqtt_data" --Persistence:Path "$WORK/broker.db" --Console:Enabled false \
  --Broker:PersistentSessionExpiry 00:00:05 --Broker:MaximumSessionExpiryInterval 5 \
  > "$WORK/broker.log" 2>&1 &
BROKER_PID=$!
wait_listening "$MQTT_PORT" "$BROKER_PID" || { echo "the broker did not start:"; cat "$WORK/broker.log"; exit 1; }
wait_listening "$WEB_PORT" "$BROKER_PID" || { echo "the web listener did not start:"; cat "$WORK/broker.log"; exit 1; }

status=0
nice -n 19 dotnet bench/EmbeddedBroker.Fuzz/bin/Release/net10.0/EmbeddedBroker.Fuzz.dll \
  --port "$MQTT_PORT" --packets "$PACKETS" --seed "$SEED" --pid "$BROKER_PID" \
  --stats-url "http://127.0.0.1:$WEB_PORT/api/stats" --report "$WORK/report.md" || status=$?

if ! kill -0 "$BROKER_PID" 2>/dev/null; then
  echo "THE BROKER IS GONE; the end of its log:"; tail -50 "$WORK/broker.log"; exit 1
fi
kill -TERM "$BROKER_PID"
wait "$BROKER_PID" || echo "the broker exited with $? after SIGTERM"
BROKER_PID=""

errors=$(grep -c -E '^\[[0-9:]+ (ERR|FTL)\]' "$WORK/broker.log" || true)
traces=$(grep -c -E '^ +at ' "$WORK/broker.log" || true)
lines=$(wc -l < "$WORK/broker.log")
echo "broker log: $lines lines, $errors error lines, $traces stack-trace lines"
grep -E '^\[[0-9:]+ (WRN|ERR|FTL)\]' "$WORK/broker.log" | sed -E 's/[0-9]+ more/N more/; s/from [0-9.:]+/from ADDR/' | cut -c1-160 | sort | uniq -c | sort -rn | head -15 || true
if [[ "$errors" != 0 || "$traces" != 0 ]]; then status=1; fi
exit "$status"
