#!/usr/bin/env bash
# Recorder benchmark, in one run:
#  1. broker throughput with recording off vs on (csv + json), same fan-in scenario, runs alternated;
#  2. the recorder sustaining a fixed publish rate (default 100,000 msg/s for 60 s) through the real broker:
#     publishers -> EmbeddedBroker -> recorder files, then drops from GET /api/stats and rows counted in the files.
#
#   bench/recorder.sh                                             # full run (about 5 minutes, ~2.5 GB of files, deleted after)
#   BENCH_SECONDS=3 BENCH_REPEATS=1 RECORDER_SECONDS=5 bench/recorder.sh   # quick look
#   BENCH_QOS=0 RECORDER_SECONDS=0 bench/recorder.sh              # QoS 0 off vs on only, no sustained part
#   RECORDER_FORMAT=csv,json,sqlite bench/recorder.sh             # another Recorder:Format (default both = csv + json)
#
# Everything listens on 127.0.0.1 only, on free ports. Each measurement starts a fresh broker (and empty files), so
# runs do not inherit each other's files, sessions or queues. Raw JSON goes to bench/results/recorder-<UTC time>/,
# the markdown tables to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/ports.sh

SECONDS_PER_RUN=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-5}
REPEATS=${BENCH_REPEATS:-4}
PUBLISHERS=${BENCH_PUBLISHERS:-4}
SUSTAIN_SECONDS=${RECORDER_SECONDS:-60}
SUSTAIN_RATE=${RECORDER_RATE:-100000}
QOS_LEVELS=${BENCH_QOS:-0 1}
FORMAT=${RECORDER_FORMAT:-both}
BENCH_DLL=bench/EmbeddedBroker.Bench/bin/Release/net10.0/EmbeddedBroker.Bench.dll
BROKER_DLL=src/EmbeddedBroker/bin/Release/net10.0/EmbeddedBroker.dll

WORK=$(mktemp -d /tmp/eb-recorder-bench.XXXXXX)
RESULTS=bench/results/recorder-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
BROKER_PID=
cleanup() {
  if [ -n "$BROKER_PID" ]; then
    kill "$BROKER_PID" 2>/dev/null || true
    wait "$BROKER_PID" 2>/dev/null || true
  fi
  cp "$WORK"/*.log "$RESULTS"/ 2>/dev/null || true
  rm -rf "$WORK" # the recorded files: several GB after the sustained run
}
trap cleanup EXIT

echo "Building (Release)..." >&2
dotnet build -c Release -v q --nologo bench/EmbeddedBroker.Bench >&2
dotnet build -c Release -v q --nologo src/EmbeddedBroker >&2

# start_broker NAME on|off: a fresh broker recording (csv + json, every topic but $SYS: the defaults) or not.
# Same per-client limits as compare.sh. The WebSocket/HTTP listener stays on for GET /api/stats.
start_broker() {
  local name=$1 recording=$2
  PORT=$(free_port)
  HTTP_PORT=$(free_port)
  OUTPUT="$WORK/$name/mqtt_data"
  mkdir -p "$WORK/$name"
  Broker__MaximumInflightPerClient=20 \
  Broker__MaximumQueuedMessagesPerClient=1000 \
  Serilog__MinimumLevel__Default=Warning \
    dotnet "$BROKER_DLL" --port "$PORT" --bind 127.0.0.1 --ws-port "$HTTP_PORT" \
    --Listeners:WebSocket:Address 127.0.0.1 --no-console \
    --Recorder:Enabled "$([ "$recording" = on ] && echo true || echo false)" --format "$FORMAT" --output "$OUTPUT" \
    > "$WORK/$name.log" 2>&1 &
  BROKER_PID=$!
  if ! wait_listening "$PORT" "$BROKER_PID" || ! wait_listening "$HTTP_PORT" "$BROKER_PID"; then
    echo "EmbeddedBroker did not start; its output:" >&2
    cat "$WORK/$name.log" >&2
    exit 1
  fi
}

# CPU seconds (user + system) the broker process has used so far.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$BROKER_PID/stat"
}

stats() {
  curl -fsS "http://127.0.0.1:$HTTP_PORT/api/stats"
}

# Stops the broker with SIGTERM (the recorder drains its queue and flushes) and checks it exited cleanly.
stop_broker() {
  kill -TERM "$BROKER_PID"
  local rc=0
  wait "$BROKER_PID" || rc=$?
  BROKER_PID=
  if [ "$rc" != 0 ]; then
    echo "broker exited with $rc" >&2
    exit 1
  fi
}

# Waits until the recorder has written everything it queued (or 60 s), then saves /api/stats.
settle_and_save_stats() { # file
  for _ in $(seq 1 120); do
    stats > "$1"
    if [ "$(jq '.recorder.queueDepth == 0 and .recorder.recorded + .recorder.dropped == .recorder.enqueued' "$1")" = true ]; then
      return 0
    fi
    sleep 0.5
  done
}

# ---- 1. throughput, recording off vs on ----------------------------------------------------------------------------
for q in $QOS_LEVELS; do
  for rep in $(seq 1 "$REPEATS"); do
    for mode in off on; do
      name="fanin-q$q-$mode-$rep"
      echo "== $name" >&2
      start_broker "$name" "$mode"
      cpu_before=$(cpu_seconds)
      dotnet "$BENCH_DLL" --host 127.0.0.1 --port "$PORT" --scenario sensors --qos "$q" --publishers "$PUBLISHERS" --subscribers 1 \
        --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" --payload 64 --json > "$RESULTS/$name.bench"
      settle_and_save_stats "$RESULTS/stats-$name.json"
      cpu=$(awk -v a="$(cpu_seconds)" -v b="$cpu_before" 'BEGIN { print a - b }')
      stop_broker
      # Broker CPU per message over the whole run (publishing, delivering, recording, settling), in microseconds.
      jq -c --slurpfile s "$RESULTS/stats-$name.json" --argjson cpu "$cpu" \
        '. + {recorded: $s[0].recorder.recorded, recorderDropped: $s[0].recorder.dropped, brokerCpuSeconds: $cpu,
              brokerCpuUsPerMessage: ($cpu * 1e6 / .totalSent)}' "$RESULTS/$name.bench" > "$RESULTS/$name.json"
      rm "$RESULTS/$name.bench"
      cat "$RESULTS/$name.json" >&2
      rm -rf "${WORK:?}/$name"
    done
  done
done

# ---- 2. sustained fixed rate through the broker into the recorder ------------------------------------------------
if [ "$SUSTAIN_SECONDS" -gt 0 ]; then
echo "== sustained $SUSTAIN_RATE msg/s for $SUSTAIN_SECONDS s" >&2
start_broker sustained on
per_publisher=$((SUSTAIN_RATE / PUBLISHERS))
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
dotnet "$BENCH_DLL" --host 127.0.0.1 --port "$PORT" --scenario sensors --qos 0 --publishers "$PUBLISHERS" --subscribers 0 \
  --rate "$per_publisher" --seconds "$SUSTAIN_SECONDS" --warmup 0 --payload 64 --json > "$RESULTS/sustained.json"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
settle_and_save_stats "$RESULTS/sustained.stats.json"
stop_broker
cat "$RESULTS/sustained.json" >&2
# Rows in the files: one record per line (payloads here hold no line break); minus the CSV header / the JSON "[" and "]".
# A format not recorded counts -1.
csv_rows=-1 json_rows=-1 json_closed="" csv_bytes=0 json_bytes=0 sqlite_rows=-1
if [ -f "$OUTPUT.csv" ]; then csv_rows=$(($(wc -l < "$OUTPUT.csv") - 1)); csv_bytes=$(stat -c %s "$OUTPUT.csv"); fi
if [ -f "$OUTPUT.json" ]; then
  json_rows=$(($(wc -l < "$OUTPUT.json") - 1)) # "[\n" ... "\n]": lines = records + 1 with no newline after "]"
  json_closed=$(tail -c 2 "$OUTPUT.json" | od -An -c | tr -d ' ')
  json_bytes=$(stat -c %s "$OUTPUT.json")
fi
if [ -f "$OUTPUT.db" ]; then sqlite_rows=$(sqlite3 "$OUTPUT.db" "SELECT count(*) FROM messages"); fi
jq -n --slurpfile b "$RESULTS/sustained.json" --slurpfile s "$RESULTS/sustained.stats.json" \
  --argjson csvRows "$csv_rows" --argjson jsonRows "$json_rows" --arg jsonEnd "$json_closed" --argjson sqliteRows "$sqlite_rows" \
  --argjson csvBytes "$csv_bytes" --argjson jsonBytes "$json_bytes" --arg loadBefore "$load_before" --arg loadAfter "$load_after" \
  '{sent: $b[0].totalSent, brokerReceived: $s[0].messages.received, enqueued: $s[0].recorder.enqueued,
    recorded: $s[0].recorder.recorded, dropped: $s[0].recorder.dropped, writeErrors: $s[0].recorder.writeErrors,
    csvRows: $csvRows, jsonRows: $jsonRows, jsonEnd: $jsonEnd, sqliteRows: $sqliteRows, csvBytes: $csvBytes, jsonBytes: $jsonBytes,
    loadBefore: $loadBefore, loadAfter: $loadAfter}' > "$RESULTS/sustained.summary.json"
cat "$RESULTS/sustained.summary.json" >&2
fi

# ---- tables ------------------------------------------------------------------------------------------------------------
mean() { # q mode field
  cat "$RESULTS"/fanin-q"$1"-"$2"-*.json | grep -v '^$' | jq -s "[.[] | .$3] | add / length"
}
fmt() {
  awk -v v="$1" 'BEGIN { if (v >= 100) printf "%.0f", v; else printf "%.3f", v }'
}

echo
echo "Date: $(date -u +%Y-%m-%d), $(nproc) vCPU, Linux $(uname -r), .NET $(dotnet --list-runtimes | awk '/NETCore.App/ {v=$2} END {print v}'), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Scenario sensors: $PUBLISHERS publishers on sensors/bench/<run>/<i> as fast as they can -> 1 subscriber on sensors/bench/<run>/#, 64-byte text payloads, MQTT 3.1.1, ${SECONDS_PER_RUN} s window after ${WARMUP} s warm-up, mean of $REPEATS alternated runs."
echo
echo "| $PUBLISHERS publishers -> 1 subscriber | unit | recording off | recording on ($FORMAT) | on / off |"
echo "|---|---|---:|---:|---:|"
for q in $QOS_LEVELS; do
  for field in sentPerSecond deliveredPerSecond brokerCpuUsPerMessage; do
    off=$(mean "$q" off "$field")
    on=$(mean "$q" on "$field")
    case $field in
      brokerCpuUsPerMessage) label="broker CPU per message"; unit="us" ;;
      *) label=${field%PerSecond}; unit="msg/s" ;;
    esac
    printf '| QoS %s %s | %s | %s | %s | %s |\n' "$q" "$label" "$unit" "$(fmt "$off")" "$(fmt "$on")" \
      "$(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.0f%%", 100 * a / b }')"
  done
  # Each off/on pair ran back to back: its ratio is less exposed to the machine's drift than the means are.
  pairs=$(for rep in $(seq 1 "$REPEATS"); do
    jq -n --slurpfile off "$RESULTS/fanin-q$q-off-$rep.json" --slurpfile on "$RESULTS/fanin-q$q-on-$rep.json" \
      '100 * $on[0].sentPerSecond / $off[0].sentPerSecond | floor'
  done | sort -n | tr '\n' ' ')
  median=$(echo "$pairs" | tr ' ' '\n' | grep -v '^$' | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  printf '| QoS %s sent, on / off of each pair (sorted) | %% | - | %s | median %s%% |\n' "$q" "$pairs" "$median"
  recorded=$(jq -s '[.[] | .recorder.recorded] | add' "$RESULTS"/stats-fanin-q"$q"-on-*.json)
  dropped=$(jq -s '[.[] | .recorder.dropped] | add' "$RESULTS"/stats-fanin-q"$q"-on-*.json)
  printf '| QoS %s recorder | messages | - | %s recorded, %s dropped | |\n' "$q" "$recorded" "$dropped"
done
if [ "$SUSTAIN_SECONDS" -gt 0 ]; then
echo
echo "Sustained: $PUBLISHERS publishers x $per_publisher msg/s (QoS 0, 64 bytes, sensors/bench/<run>/<i>) for $SUSTAIN_SECONDS s, recording csv + json."
echo
echo "| figure | value |"
echo "|---|---:|"
jq -r --slurpfile b "$RESULTS/sustained.json" '
  ["publishers achieved (msg/s, whole run)", ($b[0].sentPerSecond | floor)],
  ["slowest second (msg)", $b[0].slowestSecond],
  ["sent", .sent], ["received by the broker", .brokerReceived], ["enqueued by the recorder", .enqueued],
  ["recorded (written and flushed)", .recorded], ["dropped", .dropped], ["write errors", .writeErrors],
  ["rows in mqtt_data.csv", .csvRows], ["records in mqtt_data.json", .jsonRows],
  ["file sizes (csv / json, MB)", "\(.csvBytes / 1e6 | floor) / \(.jsonBytes / 1e6 | floor)"],
  ["load average before / after", "\(.loadBefore) / \(.loadAfter)"]
  | "| \(.[0]) | \(.[1]) |"' "$RESULTS/sustained.summary.json"
fi
echo
echo "Raw results: $RESULTS" >&2
