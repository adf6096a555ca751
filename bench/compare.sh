#!/usr/bin/env bash
# Side-by-side benchmark: Debian mosquitto 2.0.11 and EmbeddedBroker, same scenarios, same run, same client.
#
#   bench/compare.sh                       # full run (about 4 minutes)
#   BENCH_SECONDS=3 BENCH_IDLE=2000 bench/compare.sh    # quick look
#   BENCH_SKIP_EMBEDDED=1 bench/compare.sh              # mosquitto only
#
# Both brokers listen on 127.0.0.1 only, on free ports, with the same limits: 20 QoS 1/2 messages in flight and
# 1000 queued per client (mosquitto's defaults; EmbeddedBroker is set to them). EmbeddedBroker runs without the
# recorder, the WebSocket listener and the console, so that both are plain MQTT brokers. Scenarios alternate
# between the two brokers so that load from elsewhere on the machine hits both alike.
# Raw JSON of every scenario goes to bench/results/<UTC time>/; the markdown table to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
IDLE_CONNECTIONS=${BENCH_IDLE:-10000}
MOSQUITTO=${MOSQUITTO:-/usr/sbin/mosquitto}
BENCH_DLL=bench/EmbeddedBroker.Bench/bin/Release/net10.0/EmbeddedBroker.Bench.dll
BROKER_DLL=src/EmbeddedBroker/bin/Release/net10.0/EmbeddedBroker.dll

# Each idle connection is a socket in the bench and one in the broker (children inherit this limit).
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((IDLE_CONNECTIONS + 1000)) ]; then
  echo "ulimit -n is $(ulimit -n): too low for $IDLE_CONNECTIONS idle connections" >&2
  exit 1
fi

WORK=$(mktemp -d /tmp/eb-compare.XXXXXX)
RESULTS=bench/results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
STARTED=()
cleanup() {
  for pid in "${STARTED[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  cp "$WORK"/*.log "$RESULTS"/ 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_listening() { # port pid
  for _ in $(seq 1 300); do
    if ! kill -0 "$2" 2>/dev/null; then
      return 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

echo "Building (Release)..." >&2
dotnet build -c Release -v q --nologo bench/EmbeddedBroker.Bench >&2

BROKERS=(mosquitto)
if [ "${BENCH_SKIP_EMBEDDED:-0}" != 1 ]; then
  if dotnet build -c Release -v q --nologo src/EmbeddedBroker >&2 && [ -f "$BROKER_DLL" ]; then
    BROKERS+=(embeddedbroker)
  else
    echo "EmbeddedBroker did not build: measuring mosquitto only." >&2
  fi
fi

declare -A PORT PID
start_mosquitto() {
  PORT[mosquitto]=$(free_port)
  cat > "$WORK/mosquitto.conf" <<CONF
listener ${PORT[mosquitto]} 127.0.0.1
allow_anonymous true
persistence false
log_dest none
max_connections -1
# Defaults, written out because EmbeddedBroker is set to the same values.
max_inflight_messages 20
max_queued_messages 1000
CONF
  "$MOSQUITTO" -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
  PID[mosquitto]=$!
  STARTED+=("${PID[mosquitto]}")
  wait_listening "${PORT[mosquitto]}" "${PID[mosquitto]}" || { cat "$WORK/mosquitto.log" >&2; exit 1; }
}

start_embeddedbroker() {
  PORT[embeddedbroker]=$(free_port)
  Broker__MaximumInflightPerClient=20 \
  Broker__MaximumQueuedMessagesPerClient=1000 \
  Recorder__Enabled=false \
  Listeners__WebSocket__Enabled=false \
  Listeners__Http__Enabled=false \
  Serilog__MinimumLevel__Default=Warning \
    dotnet "$BROKER_DLL" --port "${PORT[embeddedbroker]}" --bind 127.0.0.1 --no-console --output "$WORK/exports" \
    > "$WORK/embeddedbroker.log" 2>&1 &
  PID[embeddedbroker]=$!
  STARTED+=("${PID[embeddedbroker]}")
  if ! wait_listening "${PORT[embeddedbroker]}" "${PID[embeddedbroker]}"; then
    echo "EmbeddedBroker did not start; its output:" >&2
    cat "$WORK/embeddedbroker.log" >&2
    exit 1
  fi
}

for broker in "${BROKERS[@]}"; do
  "start_$broker"
done

# name|bench arguments
SCENARIOS=(
  "fanin-q0|--scenario fanin --qos 0 --publishers 8"
  "fanin-q1|--scenario fanin --qos 1 --publishers 8"
  "fanout-q0|--scenario fanout --qos 0 --subscribers 8"
  "fanout-q1|--scenario fanout --qos 1 --subscribers 8"
  "latency-q0|--scenario latency --qos 0 --rate 1000"
  "latency-q1|--scenario latency --qos 1 --rate 1000"
  "idle|--scenario idle --connections $IDLE_CONNECTIONS"
)

for entry in "${SCENARIOS[@]}"; do
  name=${entry%%|*}
  # shellcheck disable=SC2206 # word splitting of the argument list is intended
  args=(${entry#*|})
  for broker in "${BROKERS[@]}"; do
    echo "== $name on $broker" >&2
    dotnet "$BENCH_DLL" --host 127.0.0.1 --port "${PORT[$broker]}" --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" \
      --payload 64 --broker-pid "${PID[$broker]}" --json "${args[@]}" > "$RESULTS/$broker-$name.json"
    cat "$RESULTS/$broker-$name.json" >&2
  done
done

value() { # broker scenario field
  local file="$RESULTS/$1-$2.json"
  [ -f "$file" ] && jq -r ".$3 // empty" "$file" || true
}

row() { # label unit scenario field
  local m e ratio
  m=$(value mosquitto "$3" "$4")
  e=$(value embeddedbroker "$3" "$4")
  ratio=""
  if [ -n "$m" ] && [ -n "$e" ]; then
    ratio=$(awk -v e="$e" -v m="$m" 'BEGIN { if (m > 0) printf "%.2f", e / m }')
  fi
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$(fmt "$m")" "$(fmt "$e")" "$ratio"
}

fmt() {
  [ -z "$1" ] && { echo "-"; return; }
  awk -v v="$1" 'BEGIN { if (v >= 100) printf "%.0f", v; else printf "%.2f", v }'
}

echo
echo "Date: $(date -u +%Y-%m-%d), $(nproc) vCPU, $(free -g | awk '/Mem:/ {print $2}') GiB, Linux $(uname -r), .NET $(dotnet --list-runtimes | awk '/NETCore.App/ {v=$2} END {print v}'), $($MOSQUITTO -h | head -1)"
echo "Window ${SECONDS_PER_RUN} s after ${WARMUP} s warm-up, 64-byte payloads, MQTT 3.1.1. Ratio = EmbeddedBroker / mosquitto."
echo
echo "| scenario | unit | mosquitto | EmbeddedBroker | ratio |"
echo "|---|---|---:|---:|---:|"
for q in 0 1; do
  row "fan-in 8->1 QoS $q, delivered" "msg/s (higher is better)" "fanin-q$q" deliveredPerSecond
  row "fan-in 8->1 QoS $q, sent" "msg/s" "fanin-q$q" sentPerSecond
  row "fan-in 8->1 QoS $q, delivered/sent" "ratio" "fanin-q$q" deliveryRatio
done
for q in 0 1; do
  row "fan-out 1->8 QoS $q, delivered" "msg/s (higher is better)" "fanout-q$q" deliveredPerSecond
  row "fan-out 1->8 QoS $q, sent" "msg/s" "fanout-q$q" sentPerSecond
  row "fan-out 1->8 QoS $q, delivered/(sent x 8)" "ratio" "fanout-q$q" deliveryRatio
done
for q in 0 1; do
  row "latency 1,000 msg/s QoS $q, p50" "us (lower is better)" "latency-q$q" p50Us
  row "latency 1,000 msg/s QoS $q, p99" "us (lower is better)" "latency-q$q" p99Us
done
row "idle connections ($IDLE_CONNECTIONS), broker RSS" "KiB/conn (lower is better)" idle kibPerConnection
echo
echo "Raw results: $RESULTS" >&2
