# The markdown table, sourced by bench/compare.sh: one row per ROWS entry, one column per broker, then the ratios
# each broker / mosquitto, embeddedbroker / baseline, and each EmbeddedBroker variant / embeddedbroker.

# A figure from a case's JSON: the value, "n/a" (the broker does not offer the feature), "fail" or "-" (not reported).
value() { # broker case field
  local file="$RESULTS/$1-$2.json"
  [ -s "$file" ] || { echo fail; return; }
  jq -r --arg f "$3" 'if .unsupported then "n/a" elif .error then "fail"
    elif has($f) and .[$f] != null then .[$f] else "-" end' "$file" 2>/dev/null || echo fail
}

fmt() {
  case "$1" in
    true) echo yes ;;
    false) echo no ;;
    ''|-|n/a|fail) echo "${1:--}" ;;
    *) awk -v v="$1" 'BEGIN { if (v >= 100 || v <= -100 || v == int(v)) printf "%.0f", v; else printf "%.2f", v }' ;;
  esac
}

is_number() { [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]]; }

ratio() { # numerator denominator
  if is_number "$1" && is_number "$2"; then
    awk -v a="$1" -v b="$2" 'BEGIN { if (b != 0) printf "%.2f", a / b; else print "-" }'
  else
    echo "-"
  fi
}

# RATIOS: "numerator/denominator" pairs of broker names, from what ran.
ratio_columns() {
  local broker variant
  RATIOS=()
  if in_brokers mosquitto; then
    for broker in "${BROKERS[@]}"; do
      [ "$broker" != mosquitto ] && RATIOS+=("$broker/mosquitto")
    done
  fi
  if in_brokers embeddedbroker; then
    in_brokers baseline && RATIOS+=("embeddedbroker/baseline")
    for variant in "${VARIANTS[@]}"; do
      in_brokers "$variant" && [ "${KIND[$variant]}" = eb-variant ] && RATIOS+=("$variant/embeddedbroker")
    done
  fi
}

in_brokers() { local b; for b in "${BROKERS[@]}"; do [ "$b" = "$1" ] && return 0; done; return 1; }

print_table() {
  local entry case label unit field broker pair line
  declare -A cell
  ratio_columns
  line="| scenario | unit |"
  for broker in "${BROKERS[@]}"; do line+=" $broker |"; done
  for pair in "${RATIOS[@]}"; do line+=" $pair |"; done
  echo "$line"
  line="|---|---|"
  for _ in "${BROKERS[@]}" "${RATIOS[@]}"; do line+="---:|"; done
  echo "$line"
  for entry in "${ROWS[@]}"; do
    IFS='|' read -r case label unit field <<< "$entry"
    line="| $label | $unit |"
    for broker in "${BROKERS[@]}"; do
      cell[$broker]=$(value "$broker" "$case" "$field")
      line+=" $(fmt "${cell[$broker]}") |"
    done
    for pair in "${RATIOS[@]}"; do
      line+=" $(ratio "${cell[${pair%/*}]}" "${cell[${pair#*/}]}") |"
    done
    echo "$line"
  done
}

print_header() {
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Machine: $(nproc) vCPU ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"
  echo "$(free -g | awk '/Mem:/ {print $2}') GiB, Linux $(uname -r), .NET $(dotnet --list-runtimes | awk '/NETCore.App/ {v=$2} END {print v}'); load average at start: $LOAD_AT_START."
  echo "Versions: $(versions | paste -sd ';' | sed 's/;/; /g')."
  echo "Command: \`$COMMAND_LINE\`"
  echo "Window ${SECONDS_PER_RUN} s (fixed rate ${FIXEDRATE_SECONDS} s) after ${WARMUP} s warm-up, ${PAYLOAD}-byte payloads, MQTT 3.1.1 unless"
  echo "marked MQTT 5; 20 in flight and 1000 queued per client; EmbeddedBroker recorder ${EB_RECORDER}."
  [ ${#VARIANTS[@]} -gt 0 ] && echo "Variants: ${EB_VARIANTS:-} ${MOSQUITTO_VARIANTS:-}"
  echo "n/a: the broker does not offer the feature (CONNACK/SUBACK); fail: the run failed (see the raw results)."
}
