#!/usr/bin/env bash
# Side-by-side benchmark: Debian mosquitto 2.0.11, EmbeddedBroker, MQTTnet.Server 5.2 (and optionally an earlier
# EmbeddedBroker build and EmbeddedBroker variants), same scenarios, same run, same load tool (bench/EmbeddedBroker.Bench).
#
#   bench/compare.sh                                       # everything (long: see bench/README.md)
#   BENCH_GROUPS=saturation,fixedrate bench/compare.sh     # some groups only
#   BENCH_BROKERS=mosquitto,embeddedbroker BENCH_CASES='^p2p' bench/compare.sh
#   BENCH_SECONDS=1 BENCH_WARMUP=0.5 BENCH_IDLE=500 BENCH_IDLE_SECONDS=2 BENCH_RETAINED=2000 bench/compare.sh  # smoke
#
# Groups (BENCH_GROUPS, default all, in this order): saturation (fan-in 8->1, fan-out 1->8, p2p; QoS 0/1),
# fixedrate (BENCH_RATES msg/s x BENCH_RATE_PUBLISHERS->1, QoS 0/1: broker CPU per message, p50/p99/p99.9, RSS),
# idle (BENCH_IDLE connections held BENCH_IDLE_SECONDS with pings), connect (connection rate), mqtt5 (MQTT 5
# saturation, topic aliases, subscription ids, shared-subscription fan-in), retained (BENCH_RETAINED retained
# messages to a fresh '#' subscriber; last, because they stay). BENCH_CASES: a regex on case names to keep.
#
# Brokers (BENCH_BROKERS, default mosquitto,embeddedbroker,mqttnet + baseline + variants):
#   BASELINE=<folder with EmbeddedBroker.dll>  another build as "baseline", e.g. the previous commit's:
#       git worktree add /tmp/eb-base HEAD~1 && dotnet build -c Release /tmp/eb-base/src/EmbeddedBroker
#       BASELINE=/tmp/eb-base/src/EmbeddedBroker/bin/Release/net10.0 bench/compare.sh
#       git worktree remove /tmp/eb-base
#   EB_VARIANTS="name:Key=Value,Key=Value name2:..."   EmbeddedBroker with extra settings (feature on vs off),
#       e.g. EB_VARIANTS="norec:Recorder__Enabled=false persist:Persistence__Enabled=true"
#   MOSQUITTO_VARIANTS="name:/path/extra.conf"          mosquitto with extra configuration lines
#   EB_RECORDER=on|off   EmbeddedBroker's recorder (default on: as shipped, files in a temporary folder)
#   BENCH_USERNAME / BENCH_PASSWORD: credentials every client sends (password auth on vs off, with a variant)
#
# All brokers listen on 127.0.0.1 only, on free ports, with the same limits (20 in flight, 1000 queued per client).
# Cases run one after another, each on every broker in turn (the first broker rotates), so that load from elsewhere
# on the machine hits all alike. Raw JSON of every run and the brokers' logs go to bench/results/<UTC time>/; the
# markdown table to stdout. Every process started here is stopped on exit, Ctrl-C and failure.
set -euo pipefail
cd "$(dirname "$0")/.."
# For the table's header, ready to paste again (values quoted, the password hidden).
COMMAND_LINE="$(env | grep -E '^(BENCH_|EB_|BASELINE=|MOSQUITTO)' | sort | sed -e "s/^BENCH_PASSWORD=.*/BENCH_PASSWORD=.../" \
  -e "s/=\(.*\)/='\1'/" | tr '\n' ' ')$0${*:+ $*}"
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)

SECONDS_PER_RUN=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
PAYLOAD=${BENCH_PAYLOAD:-64}
FIXEDRATE_SECONDS=${BENCH_FIXEDRATE_SECONDS:-$(awk -v s="$SECONDS_PER_RUN" 'BEGIN { print s * 2 }')}
RATES=${BENCH_RATES:-100 1000 10000}
RATE_PUBLISHERS=${BENCH_RATE_PUBLISHERS:-1 100}
IDLE_CONNECTIONS=${BENCH_IDLE:-10000 100000}
IDLE_SECONDS=${BENCH_IDLE_SECONDS:-100}
IDLE_KEEPALIVE=${BENCH_IDLE_KEEPALIVE:-60}
IDLE_PING_INTERVAL=${BENCH_IDLE_PING_INTERVAL:-0}
SOURCE_ADDRESSES=${BENCH_SOURCE_ADDRESSES:-16}
CONNECTORS=${BENCH_CONNECTORS:-8}
SHARE_PUBLISHERS=${BENCH_SHARE_PUBLISHERS:-8}
SHARE_SUBSCRIBERS=${BENCH_SHARE_SUBSCRIBERS:-4}
SHARE_RATE=${BENCH_SHARE_RATE:-1000}
RETAINED=${BENCH_RETAINED:-100000}
GROUPS_SELECTED=${BENCH_GROUPS:-saturation,fixedrate,idle,connect,mqtt5,retained}
EB_RECORDER=${EB_RECORDER:-on}
MOSQUITTO=${MOSQUITTO:-/usr/sbin/mosquitto}
BENCH_DLL=bench/EmbeddedBroker.Bench/bin/Release/net10.0/EmbeddedBroker.Bench.dll

source bench/lib/brokers.sh
source bench/lib/cases.sh
source bench/lib/report.sh

WORK=$(mktemp -d /tmp/eb-compare.XXXXXX)
RESULTS=${BENCH_RESULTS:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$RESULTS"
cleanup() {
  stop_all
  cp "$WORK"/*.log "$WORK"/*.conf "$RESULTS"/ 2>/dev/null || true
  rm -rf "$WORK" # the recorder's files
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

define_variants
default_brokers="mosquitto,embeddedbroker,mqttnet${BASELINE:+,baseline}$(printf ',%s' "${VARIANTS[@]}" | sed 's/^,$//')"
IFS=, read -r -a BROKERS <<< "${BENCH_BROKERS:-$default_brokers}"
for broker in "${BROKERS[@]}"; do
  [ -n "${KIND[$broker]:-}" ] || { echo "unknown broker '$broker' (not in EB_VARIANTS/MOSQUITTO_VARIANTS?)" >&2; exit 2; }
  [ "$broker" != baseline ] || [ -f "${BASELINE:-}/EmbeddedBroker.dll" ] || { echo "baseline needs BASELINE=<folder with EmbeddedBroker.dll>" >&2; exit 2; }
done

echo "Building (Release)..." >&2
dotnet build -c Release -v q --nologo bench/EmbeddedBroker.Bench >&2
in_brokers mqttnet && dotnet build -c Release -v q --nologo bench/peers/MqttnetServer >&2
if in_brokers embeddedbroker || [ ${#VARIANTS[@]} -gt 0 ]; then dotnet build -c Release -v q --nologo src/EmbeddedBroker >&2; fi

IFS=, read -r -a groups <<< "$GROUPS_SELECTED"
for group in "${groups[@]}"; do
  declare -F "group_$group" > /dev/null || { echo "unknown group '$group'" >&2; exit 2; }
  "group_$group"
done

# Idle connections need a descriptor each in the bench and in the broker (which inherits this limit).
if [[ ,$GROUPS_SELECTED, == *,idle,* ]]; then
  most=$(printf '%s\n' $IDLE_CONNECTIONS | sort -n | tail -1)
  ulimit -n $((most + 10000)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  [ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((most + 1000)) ] ||
    { echo "ulimit -n is $(ulimit -n): too low for $most idle connections (run as root or raise the hard limit)" >&2; exit 1; }
fi

for broker in "${BROKERS[@]}"; do
  echo "Starting $broker..." >&2
  start_broker "$broker"
done

# One run of the bench tool in the background, so that a signal reaches the trap at once (bash runs traps only
# between foreground commands); a failure is written as {"error": ...} and the run goes on.
run_case() { # broker case limit args
  local json="$RESULTS/$1-$2.json" rc=0 credentials=()
  [ -n "${BENCH_USERNAME:-}" ] && credentials+=(--username "$BENCH_USERNAME")
  [ -n "${BENCH_PASSWORD:-}" ] && credentials+=(--password "$BENCH_PASSWORD")
  if ! broker_alive "$1"; then
    jq -n --arg e "$1 is not running" '{error: $e}' > "$json"
    return
  fi
  # shellcheck disable=SC2086 # the argument list is split on purpose
  timeout -k 15 "$3" dotnet "$BENCH_DLL" --host 127.0.0.1 --port "${PORT[$1]}" --seconds "$SECONDS_PER_RUN" \
    --warmup "$WARMUP" --payload "$PAYLOAD" --broker-pid "${PID[$1]}" "${credentials[@]}" --json $4 \
    > "$json" 2> "$WORK/bench.err" &
  wait "$!" || rc=$?
  if [ "$rc" != 0 ] || ! jq -e . "$json" > /dev/null 2>&1; then
    jq -n --arg e "exit $rc: $(tail -1 "$WORK/bench.err")" '{error: $e}' > "$json"
  fi
  cat "$json" >&2
}

index=0
for entry in "${CASES[@]}"; do
  IFS='|' read -r name limit args fresh <<< "$entry"
  [[ -z "${BENCH_CASES:-}" || $name =~ $BENCH_CASES ]] || continue
  for ((i = 0; i < ${#BROKERS[@]}; i++)); do
    broker=${BROKERS[$(((i + index) % ${#BROKERS[@]}))]}
    echo "== $name on $broker" >&2
    if [ -n "$fresh" ]; then restart_broker "$broker" || true; fi
    run_case "$broker" "$name" "$limit" "$args"
  done
  index=$((index + 1))
done

if [ -n "${BENCH_CASES:-}" ]; then
  kept=()
  for row in "${ROWS[@]}"; do [[ ${row%%|*} =~ $BENCH_CASES ]] && kept+=("$row"); done
  ROWS=("${kept[@]}")
fi
echo
print_header
echo
print_table
echo
echo "Raw results: $RESULTS" >&2
