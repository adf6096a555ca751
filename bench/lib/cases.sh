# Scenario groups, sourced by bench/compare.sh. A group adds cases (what the bench tool runs, once per broker) and
# rows (which figure of a case's JSON goes into the table). Settings come from compare.sh's environment defaults.

CASES=() # name|time limit in s|bench arguments|"fresh" to restart each broker first
ROWS=()  # case|label|unit|JSON field

add_case() { CASES+=("$1|$2|$3|${4:-}"); }
add_row() { ROWS+=("$1|$2|$3|$4"); }

# Time limit of one run: warm-up + window + drain and connection set-up, generous; a run past it is stopped.
limit() { awk -v w="$WARMUP" -v s="$1" -v e="${2:-60}" 'BEGIN { printf "%d", w + s + e }'; }

group_saturation() {
  local q
  for q in 0 1; do
    add_case "fanin-q$q" "$(limit "$SECONDS_PER_RUN")" "--scenario fanin --qos $q --publishers 8"
    add_case "fanout-q$q" "$(limit "$SECONDS_PER_RUN")" "--scenario fanout --qos $q --subscribers 8"
    add_case "p2p-q$q" "$(limit "$SECONDS_PER_RUN")" "--scenario p2p --qos $q"
  done
  for q in 0 1; do
    add_row "fanin-q$q" "fan-in 8->1 QoS $q, delivered" "msg/s (higher is better)" deliveredPerSecond
    add_row "fanin-q$q" "fan-in 8->1 QoS $q, delivered/sent" ratio deliveryRatio
  done
  for q in 0 1; do
    add_row "fanout-q$q" "fan-out 1->8 QoS $q, delivered" "msg/s (higher is better)" deliveredPerSecond
    add_row "fanout-q$q" "fan-out 1->8 QoS $q, delivered/(sent x 8)" ratio deliveryRatio
  done
  for q in 0 1; do
    add_row "p2p-q$q" "p2p 1->1 QoS $q, delivered" "msg/s (higher is better)" deliveredPerSecond
    add_row "p2p-q$q" "p2p 1->1 QoS $q, delivered/sent" ratio deliveryRatio
  done
}

# Issue 13: the loads most brokers carry. CPU per message is (utime+stime) over the window / messages delivered.
group_fixedrate() {
  local rate publishers q name shape
  for rate in $RATES; do
    for publishers in $RATE_PUBLISHERS; do
      for q in 0 1; do
        name="rate$rate-p$publishers-q$q"
        shape="$(printf "%'d" "$rate") msg/s $publishers->1 QoS $q"
        add_case "$name" "$(limit "$FIXEDRATE_SECONDS")" "--scenario fixedrate --rate $rate --publishers $publishers --qos $q --seconds $FIXEDRATE_SECONDS"
        add_row "$name" "$shape, broker CPU" "us/msg (lower is better)" brokerCpuUsPerMessage
        add_row "$name" "$shape, broker CPU (per-thread ns)" "us/msg (lower is better)" brokerCpuUsPerMessageFine
        add_row "$name" "$shape, latency p50" "us (lower is better)" p50Us
        add_row "$name" "$shape, latency p99" "us (lower is better)" p99Us
        add_row "$name" "$shape, latency p99.9" "us (lower is better)" p999Us
        add_row "$name" "$shape, broker RSS" "KiB (lower is better)" brokerRssKiB
      done
    done
  done
}

group_idle() {
  local n
  for n in $IDLE_CONNECTIONS; do
    add_case "idle-$n" "$(limit "$IDLE_SECONDS" 1200)" "--scenario idle --connections $n --seconds $IDLE_SECONDS --keepalive $IDLE_KEEPALIVE --ping-interval $IDLE_PING_INTERVAL --source-addresses $SOURCE_ADDRESSES" fresh
    add_row "idle-$n" "idle $(printf "%'d" "$n") connections, broker RSS growth" "KiB/conn (lower is better)" kibPerConnection
    add_row "idle-$n" "idle $(printf "%'d" "$n"), connected" count connected
    add_row "idle-$n" "idle $(printf "%'d" "$n"), every PINGREQ answered" yes/no allPingsAnswered
  done
}

group_connect() {
  local auth=""
  [ -n "${BENCH_PASSWORD:-}" ] && auth=" with password"
  add_case connect "$(limit "$SECONDS_PER_RUN")" "--scenario connect --connectors $CONNECTORS --source-addresses $SOURCE_ADDRESSES"
  add_row connect "connect/CONNACK/DISCONNECT, $CONNECTORS connectors$auth" "conn/s (higher is better)" connectsPerSecond
  add_row connect "connect to CONNACK, p99" "us (lower is better)" p99Us
  add_row connect "broker CPU per connection" "us (lower is better)" brokerCpuUsPerMessage
  add_row connect "failed connections" count failures
}

# Issue 12: MQTT 5 saturation cases, with topic aliases (bare-socket publishers, against the same publishers without
# aliases) and subscription identifiers, and a shared-subscription fan-in.
group_mqtt5() {
  local q t
  t=$(limit "$SECONDS_PER_RUN")
  for q in 0 1; do
    add_case "fanin-v5-q$q" "$t" "--scenario fanin --qos $q --publishers 8 --protocol 5"
    add_case "fanout-v5-q$q" "$t" "--scenario fanout --qos $q --subscribers 8 --protocol 5"
    add_case "fanin-v5-wire-q$q" "$t" "--scenario fanin --qos $q --publishers 8 --protocol 5 --wire-publishers"
    add_case "fanin-v5-alias-q$q" "$t" "--scenario fanin --qos $q --publishers 8 --protocol 5 --topic-alias"
    add_case "fanin-v5-subid-q$q" "$t" "--scenario fanin --qos $q --publishers 8 --protocol 5 --subscription-id"
    add_case "fanout-v5-subid-q$q" "$t" "--scenario fanout --qos $q --subscribers 8 --protocol 5 --subscription-id"
    add_case "share-v5-q$q" "$t" "--scenario share --qos $q --publishers $SHARE_PUBLISHERS --subscribers $SHARE_SUBSCRIBERS --protocol 5"
    # Below saturation, so that no broker has to drop: here "exactly once" is a correctness check.
    add_case "share-paced-v5-q$q" "$t" "--scenario share --qos $q --publishers $SHARE_PUBLISHERS --subscribers $SHARE_SUBSCRIBERS --protocol 5 --rate $SHARE_RATE"
  done
  for q in 0 1; do
    add_row "fanin-v5-q$q" "MQTT 5 fan-in 8->1 QoS $q, delivered" "msg/s (higher is better)" deliveredPerSecond
    add_row "fanin-v5-subid-q$q" "MQTT 5 fan-in QoS $q + subscription id, delivered" "msg/s (higher is better)" deliveredPerSecond
    add_row "fanin-v5-wire-q$q" "MQTT 5 fan-in QoS $q, socket publishers, delivered" "msg/s (higher is better)" deliveredPerSecond
    add_row "fanin-v5-alias-q$q" "MQTT 5 fan-in QoS $q, socket publishers + topic alias, delivered" "msg/s (higher is better)" deliveredPerSecond
    add_row "fanout-v5-q$q" "MQTT 5 fan-out 1->8 QoS $q, delivered" "msg/s (higher is better)" deliveredPerSecond
    add_row "fanout-v5-subid-q$q" "MQTT 5 fan-out QoS $q + subscription ids, delivered" "msg/s (higher is better)" deliveredPerSecond
    add_row "fanout-v5-subid-q$q" "MQTT 5 fan-out QoS $q, deliveries without their id" "count (0 expected)" missingSubscriptionId
    add_row "share-v5-q$q" "shared $SHARE_PUBLISHERS->group of $SHARE_SUBSCRIBERS QoS $q, delivered" "msg/s (higher is better)" deliveredPerSecond
    add_row "share-v5-q$q" "shared QoS $q, duplicates" count duplicates
    add_row "share-paced-v5-q$q" "shared QoS $q at $SHARE_RATE msg/s per publisher, exactly once" yes/no exactlyOnce
    add_row "share-paced-v5-q$q" "shared QoS $q paced, duplicates" count duplicates
    add_row "share-paced-v5-q$q" "shared QoS $q paced, missing" count missing
  done
}

# On a fresh broker, whose memory then holds little but the retained messages; they stay there afterwards.
group_retained() {
  local n
  n=$(printf "%'d" "$RETAINED")
  add_case retained 900 "--scenario retained --messages $RETAINED --qos 0" fresh
  add_row retained "$n retained, fresh '#' subscriber has them all" "s (lower is better)" subscribeSeconds
  add_row retained "$n retained to a '#' subscriber" "msg/s (higher is better)" subscribePerSecond
  add_row retained "$n retained, all received" yes/no complete
  add_row retained "storing $n retained (QoS 1, window 64)" "msg/s (higher is better)" publishPerSecond
  add_row retained "broker RSS holding $n retained" "KiB (lower is better)" brokerRssKiB
}
