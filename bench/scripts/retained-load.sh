#!/usr/bin/env bash
# retained-load.sh - issue 11: EmbeddedBroker's start-up with N retained messages in its state store.
# Stores N retained messages (the bench tool's retained scenario, QoS 1, which also times a '#' subscriber on the live
# broker), stops the broker with SIGTERM (the store is flushed), starts it again on the same store and reports:
# the time from process start to the MQTT port accepting, the store's own load time (its log line), the broker's RSS
# once loaded, the store file size, and how long a fresh mosquitto_sub on '#' takes to receive all N.
#
# Usage: bench/scripts/retained-load.sh [N]        (default 1000000)
# Needs: dotnet, mosquitto_sub (mosquitto-clients), python3. Builds Release first unless NO_BUILD=1.
# The recorder is off (Recorder__Enabled=false): this measures the store, not the CSV/JSON of a million publishes.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
count=${1:-1000000}
work=$(mktemp -d /tmp/eb-retained-load.XXXXXX)
pid=
cleanup() { [ -z "$pid" ] || kill -9 "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
log() { printf '[retained-load] %s\n' "$*" >&2; }

if [ "${NO_BUILD:-0}" != 1 ]; then
  dotnet build -c Release -v q --nologo "$repo/src/EmbeddedBroker" >/dev/null
  dotnet build -c Release -v q --nologo "$repo/bench/EmbeddedBroker.Bench" >/dev/null
fi
app=$repo/src/EmbeddedBroker/bin/Release/net10.0/EmbeddedBroker.dll
bench=$repo/bench/EmbeddedBroker.Bench/bin/Release/net10.0/EmbeddedBroker.Bench.dll
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
now() { date +%s.%N; }
accepting() { python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1', $port)))"; }

start_app() { # log file
  started=$(now)
  env Persistence__Path="$work/state/broker.db" Recorder__Enabled=false Listeners__WebSocket__Enabled=false \
    Listeners__Http__Enabled=false Broker__MaximumQueuedMessagesPerClient=1000 \
    dotnet "$app" --port "$port" --bind 127.0.0.1 --no-console --output "$work/exports" > "$1" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do accepting && break; kill -0 "$pid" || { cat "$1" >&2; exit 1; }; sleep 0.05; done
  accepting || { log "the broker did not accept within 60 s"; exit 1; }
  ready_seconds=$(python3 -c "print(round($(now) - $started, 2))")
}

stop_app() {
  kill -TERM "$pid"; wait "$pid" || true; pid=
}

log "storing $count retained messages"
start_app "$work/first.log"
dotnet "$bench" --host 127.0.0.1 --port "$port" --scenario retained --messages "$count" --qos 0 --broker-pid "$pid" --json > "$work/store.json"
stop_app
store_bytes=$(du -b "$work/state" | tail -1 | cut -f1)

log "starting again on the store ($((store_bytes / 1048576)) MiB)"
start_app "$work/second.log"
sleep 2
rss_kib=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
load_line=$(grep -m1 "loaded .* retained" "$work/second.log" || true)
sub_started=$(now)
received=$(mosquitto_sub -h 127.0.0.1 -p "$port" -t '#' -C "$count" -W 300 | wc -l)
subscribe_seconds=$(python3 -c "print(round($(now) - $sub_started, 2))")
rss_after_kib=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
stop_app

python3 - "$work/store.json" <<PY
import json, sys
first = json.load(open(sys.argv[1]))
print(json.dumps({
  "retained": $count,
  "storeBytes": $store_bytes,
  "publishPerSecond": first.get("publishPerSecond"),
  "liveSubscribeSeconds": first.get("subscribeSeconds"),
  "restartToAcceptingSeconds": $ready_seconds,
  "storeLoadLine": """$load_line""".strip(),
  "rssAfterLoadKiB": $rss_kib,
  "mosquittoSubAllSeconds": $subscribe_seconds,
  "mosquittoSubReceived": $received,
  "rssAfterSubscriberKiB": $rss_after_kib,
}, indent=1))
PY
