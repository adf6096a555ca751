#!/usr/bin/env bash
# Bridge throughput at QoS 1: N messages published to a local broker, bridged ("bench/# out 1") to Debian's
# mosquitto as the remote; the time from the first publish until a subscriber of the remote has all N.
#
#   bench/bridge.sh                           # 100,000 messages, both bridging brokers, 3 runs each
#   BRIDGE_COUNT=2000 BRIDGE_RUNS=1 bench/bridge.sh   # smoke run (checks the harness, measures nothing)
#
# Bridging brokers, each run in turn (alternated, so that load from elsewhere hits both alike):
#   embeddedbroker  this tree's Release build with a Bridges entry (durable SQLite out-queue, 20 in flight)
#   mosquitto       Debian's mosquitto with a `connection` block (its defaults: 20 in flight; max_queued_messages 0
#                   so that it queues instead of dropping, as the issue measured it dropping at its default 1,000)
# The remote is a fresh mosquitto each run (anonymous, no persistence, unlimited queue). Publisher and subscriber are
# mosquitto_pub -l (one message per stdin line) and mosquitto_sub -C N, the same for both. Everything listens on
# 127.0.0.1 only, on free ports; every process started here is stopped on exit. Needs mosquitto, mosquitto-clients,
# python3.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/ports.sh

COUNT=${BRIDGE_COUNT:-100000}
RUNS=${BRIDGE_RUNS:-3}
BROKERS=${BRIDGE_BROKERS:-embeddedbroker mosquitto}
TIMEOUT=${BRIDGE_TIMEOUT:-300}
MOSQUITTO=${MOSQUITTO:-/usr/sbin/mosquitto}
BROKER_DLL=src/EmbeddedBroker/bin/Release/net10.0/EmbeddedBroker.dll

WORK=$(mktemp -d /tmp/eb-bridge-bench.XXXXXX)
RESULTS=bench/results/bridge-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
PIDS=()
stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}
cleanup() {
  stop_all
  cp "$WORK"/*.log "$WORK"/*.conf "$WORK"/*.json "$RESULTS"/ 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "${BRIDGE_NO_BUILD:-}" ]; then
  echo "Building (Release)..." >&2
  dotnet build -c Release -v q --nologo src/EmbeddedBroker >&2
fi

start_remote() { # run -> REMOTE_PORT
  REMOTE_PORT=$(free_port)
  printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\nmax_inflight_messages 20\n' "$REMOTE_PORT" > "$WORK/remote-$1.conf"
  "$MOSQUITTO" -c "$WORK/remote-$1.conf" > "$WORK/remote-$1.log" 2>&1 &
  PIDS+=($!)
  wait_listening "$REMOTE_PORT" $! || { echo "remote mosquitto did not start" >&2; exit 1; }
}

start_bridging() { # name run -> LOCAL_PORT
  local name=$1 run=$2 pid
  LOCAL_PORT=$(free_port)
  case $name in
    embeddedbroker)
      cat > "$WORK/bridge-$run.json" <<JSON
{ "Bridges": [ { "Name": "bench", "Addresses": [ "127.0.0.1:$REMOTE_PORT" ], "RemoteClientId": "bench-bridge",
  "Topics": [ { "Pattern": "bench/#", "Direction": "out", "Qos": 1 } ] } ] }
JSON
      Serilog__MinimumLevel__Default=Warning \
        dotnet "$BROKER_DLL" -c "$WORK/bridge-$run.json" --port "$LOCAL_PORT" --bind 127.0.0.1 --no-console \
        --Listeners:WebSocket:Enabled false --Recorder:Enabled false --Persistence:Path "$WORK/store-$run/broker.db" \
        > "$WORK/embeddedbroker-$run.log" 2>&1 &
      ;;
    mosquitto)
      printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n\nconnection bench\naddress 127.0.0.1:%s\nremote_clientid bench-bridge\ntopic bench/# out 1\n' \
        "$LOCAL_PORT" "$REMOTE_PORT" > "$WORK/mosquitto-bridge-$run.conf"
      "$MOSQUITTO" -c "$WORK/mosquitto-bridge-$run.conf" > "$WORK/mosquitto-$run.log" 2>&1 &
      ;;
  esac
  pid=$!
  PIDS+=($pid)
  wait_listening "$LOCAL_PORT" $pid || { echo "$name did not start" >&2; exit 1; }
  # The bridge is up once a message published locally arrives at a subscriber of the remote.
  local _ probe
  for _ in $(seq 1 30); do
    mosquitto_sub -p "$REMOTE_PORT" -h 127.0.0.1 -q 1 -t bench/ready -C 1 -W 2 -i "bench-ready-sub" >/dev/null 2>&1 &
    probe=$!
    sleep 0.3
    mosquitto_pub -p "$LOCAL_PORT" -h 127.0.0.1 -q 1 -t bench/ready -m x -i bench-ready-pub 2>/dev/null || true
    if wait "$probe"; then
      return 0
    fi
  done
  echo "$name: the bridge did not come up" >&2
  exit 1
}

measure() { # name run -> prints seconds and received count
  local name=$1 run=$2 sub start end received
  seq 1 "$COUNT" > "$WORK/payloads"
  mosquitto_sub -p "$REMOTE_PORT" -h 127.0.0.1 -q 1 -t 'bench/x' -C "$COUNT" -W "$TIMEOUT" -i "bench-sub-$run" > "$WORK/received-$name-$run" 2>/dev/null &
  sub=$!
  PIDS+=($sub)
  sleep 0.5 # subscribed
  start=$(date +%s.%N)
  # stdin stays open until the subscriber has everything: Debian's mosquitto_pub 2.0.11 -l disconnects at the end of
  # its input with QoS 1 messages still unsent (measured: 34,481 of 100,000 arrived).
  { cat "$WORK/payloads"; while kill -0 "$sub" 2>/dev/null; do sleep 0.2; done; } |
    mosquitto_pub -p "$LOCAL_PORT" -h 127.0.0.1 -q 1 -t bench/x -l -i "bench-pub-$run" &
  wait "$sub" || true
  end=$(date +%s.%N)
  wait || true # the publisher, once its stdin closes
  received=$(sort -u "$WORK/received-$name-$run" | wc -l)
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[3]); print(f'{s:.2f} {n} {n/s:.0f}')" "$start" "$end" "$received"
}

echo "# Bridge throughput, QoS 1, $COUNT messages, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPU, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# mosquitto $("$MOSQUITTO" -h | head -1 | awk '{print $3}'), .NET SDK $(dotnet --version)"
echo
echo "| bridging broker | run | seconds | unique received | msg/s |"
echo "|---|---|---|---|---|"
for run in $(seq 1 "$RUNS"); do
  for name in $BROKERS; do
    start_remote "$run-$name"
    start_bridging "$name" "$run"
    read -r seconds received rate < <(measure "$name" "$run")
    echo "| $name | $run | $seconds | $received | $rate |" | tee -a "$RESULTS/table.md"
    stop_all
  done
done
