# Brokers under test, sourced by bench/compare.sh. Each broker is a name with a kind:
#   mosquitto       Debian's mosquitto ($MOSQUITTO), plus MOSQUITTO_VARIANTS="name:/extra.conf ..." (lines appended)
#   embeddedbroker  this tree's Release build, plus EB_VARIANTS="name:Key=Value,Key=Value ..." (extra settings)
#   baseline        another EmbeddedBroker build: BASELINE=<folder holding EmbeddedBroker.dll>
#   mqttnet         MQTTnet.Server 5.2 (bench/peers/MqttnetServer)
# Every broker listens on 127.0.0.1 on a free port with the same limits: 20 QoS 1/2 messages in flight and 1000
# queued per client (mosquitto's defaults; MQTTnet has only the queue limit). Every process started here is a
# background job of compare.sh's shell, stopped by stop_all (its EXIT trap).

source bench/lib/ports.sh

BROKER_DLL=src/EmbeddedBroker/bin/Release/net10.0/EmbeddedBroker.dll
MQTTNET_DLL=bench/peers/MqttnetServer/bin/Release/net10.0/MqttnetServer.dll
INFLIGHT=20
QUEUED=1000

declare -A PORT PID KIND EXTRA

KIND[mosquitto]=mosquitto
KIND[embeddedbroker]=embeddedbroker
KIND[baseline]=baseline
KIND[mqttnet]=mqttnet
VARIANTS=()

# Defines the variants named in EB_VARIANTS and MOSQUITTO_VARIANTS (KIND, EXTRA) and lists them in VARIANTS.
define_variants() {
  local spec
  for spec in ${EB_VARIANTS:-}; do
    KIND[${spec%%:*}]=eb-variant
    EXTRA[${spec%%:*}]=${spec#*:}
    VARIANTS+=("${spec%%:*}")
  done
  for spec in ${MOSQUITTO_VARIANTS:-}; do
    KIND[${spec%%:*}]=mosquitto
    EXTRA[${spec%%:*}]=${spec#*:}
    VARIANTS+=("${spec%%:*}")
  done
}


# Starts broker $1 in the background and records PORT and PID; fails with the broker's output.
start_broker() {
  local name=$1 port
  port=$(free_port)
  case "${KIND[$name]}" in
    mosquitto) start_mosquitto "$name" "$port" ;;
    embeddedbroker) start_eb "$name" "$port" "$BROKER_DLL" ;;
    baseline) start_eb "$name" "$port" "$BASELINE/EmbeddedBroker.dll" ;;
    eb-variant) start_eb "$name" "$port" "$BROKER_DLL" "${EXTRA[$name]}" ;;
    mqttnet) dotnet "$MQTTNET_DLL" --port "$port" --bind 127.0.0.1 --max-queued "$QUEUED" >> "$WORK/$name.log" 2>&1 & ;;
    *) echo "unknown broker '$name'" >&2; return 1 ;;
  esac
  PID[$name]=$!
  PORT[$name]=$port
  if ! wait_listening "$port" "${PID[$name]}"; then
    echo "$name did not start; its output:" >&2
    cat "$WORK/$name.log" >&2
    return 1
  fi
}

start_mosquitto() { # name port
  {
    echo "listener $2 127.0.0.1"
    echo "allow_anonymous true"
    echo "persistence false"
    echo "log_dest none"
    echo "max_connections -1"
    echo "# Defaults, written out because the other brokers are set to the same values."
    echo "max_inflight_messages $INFLIGHT"
    echo "max_queued_messages $QUEUED"
    if [ -n "${EXTRA[$1]:-}" ]; then cat "${EXTRA[$1]}"; fi
  } > "$WORK/$1.conf"
  "$MOSQUITTO" -c "$WORK/$1.conf" >> "$WORK/$1.log" 2>&1 &
}

# EmbeddedBroker as shipped (recorder on unless EB_RECORDER=off), without the WebSocket/HTTP listeners and the
# console, with the common limits, then the variant's own settings ("Key=Value,Key=Value") on top.
start_eb() { # name port dll [settings]
  local settings=() setting
  settings+=("Broker__MaximumInflightPerClient=$INFLIGHT" "Broker__MaximumQueuedMessagesPerClient=$QUEUED")
  settings+=("Listeners__WebSocket__Enabled=false" "Listeners__Http__Enabled=false" "Serilog__MinimumLevel__Default=Warning")
  # Its own state store (persistence is on as shipped): brokers of one run, and runs, never share or inherit one.
  settings+=("Persistence__Path=$WORK/$1-state/broker.db")
  [ "$EB_RECORDER" = off ] && settings+=("Recorder__Enabled=false")
  IFS=, read -r -a extra <<< "${4:-}"
  for setting in "${extra[@]}"; do
    [ -n "$setting" ] && settings+=("$setting")
  done
  env "${settings[@]}" dotnet "$3" --port "$2" --bind 127.0.0.1 --no-console --output "$WORK/$1-exports" \
    >> "$WORK/$1.log" 2>&1 &
}

# A fresh process for cases whose figures must not inherit earlier ones' memory (idle RSS growth, retained store).
restart_broker() {
  kill "${PID[$1]}" 2>/dev/null || true
  wait "${PID[$1]}" 2>/dev/null || true
  start_broker "$1"
}

broker_alive() { kill -0 "${PID[$1]}" 2>/dev/null; }

# TERM, up to 5 s to exit, then KILL, for every background job of this shell: the brokers and a bench run still going
# (Ctrl-C, failure, normal end). Jobs, not remembered PIDs, so that a PID reused after its process ended is never hit.
stop_all() {
  local pids _
  pids=$(jobs -p)
  [ -n "$pids" ] || return 0
  # shellcheck disable=SC2086 # one PID per word
  kill $pids 2>/dev/null || true
  for _ in $(seq 1 50); do
    [ -z "$(jobs -pr)" ] && break
    sleep 0.1
  done
  pids=$(jobs -pr)
  # shellcheck disable=SC2086
  [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
  wait 2>/dev/null || true
}

versions() {
  echo "mosquitto $("$MOSQUITTO" -h | head -1 | awk '{print $3}')"
  echo "MQTTnet.Server $(sed -n 's/.*"MQTTnet.Server" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)"
  echo "EmbeddedBroker $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo '+changes')"
  if [ -n "${BASELINE:-}" ]; then
    echo "baseline $(git -C "$BASELINE" rev-parse --short HEAD 2>/dev/null || echo "$BASELINE")"
  fi
}
