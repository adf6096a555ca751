#!/usr/bin/env bash
# docker-check.sh - the Docker round trip with podman, self-contained: builds the image, runs it with a host-mounted
# exports folder and state folder, publishes one retained message with mosquitto_pub, stops the container (SIGTERM)
# and checks that the message is in the host's CSV and JSON files, that the container exited 0 and that it stopped
# within Docker's 10 s grace; then a NEW container on the same state folder still has the retained message.
#
# Needs: root (rootful podman), and the Debian packages podman, runc, mosquitto-clients, python3 and debootstrap.
# Missing ones are installed with apt-get when running as root; otherwise the script says what to install.
#
# Base images: mcr.microsoft.com cannot be reached from these machines, so the Dockerfile's SDK_IMAGE and
# RUNTIME_IMAGE arguments point at local stand-ins that scripts/container-bases.sh builds (Debian 12 by debootstrap
# from the host's apt mirror, plus the host's /usr/share/dotnet): localhost/dotnet-sdk:10.0 and
# localhost/dotnet-aspnet:10.0. With registry access, set SDK_IMAGE/RUNTIME_IMAGE to the official images instead.
#
# Cleanup: the container, the image and (if this run created them) the base images are removed at the end, unless
# --keep is given (then a second run takes seconds instead of a minute or two).
#
# Usage: scripts/docker-check.sh [--keep]
# Env:   SDK_IMAGE, RUNTIME_IMAGE (default: the local stand-ins)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
keep=0
case "${1:-}" in
  --keep) keep=1 ;;
  "") ;;
  *) echo "usage: $0 [--keep]" >&2; exit 2 ;;
esac
sdk_image=${SDK_IMAGE:-localhost/dotnet-sdk:10.0}
runtime_image=${RUNTIME_IMAGE:-localhost/dotnet-aspnet:10.0}
image=localhost/embeddedbroker:check-$$
name=embeddedbroker-check-$$
log() { printf '[docker-check] %s\n' "$*" >&2; }

# ---- tools ----------------------------------------------------------------------------------------------------
declare -A package_of=([podman]=podman [runc]=runc [mosquitto_pub]=mosquitto-clients [python3]=python3 [debootstrap]=debootstrap)
missing=()
for tool in "${!package_of[@]}"; do command -v "$tool" >/dev/null || missing+=("${package_of[$tool]}"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]} (and run this script as root: rootful podman)"
    exit 1
  fi
  log "installing ${missing[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ "$(id -u)" = 0 ] || { log "run as root: rootful podman builds the base images with debootstrap and chroot"; exit 1; }

# podman with the settings that work here: runc (crun fails on cgroups), no default rlimits (runc cannot set them),
# host networking for builds (NuGet restore) and runs (the broker binds the host's loopback on free ports).
conf=/tmp/containers-sandbox.conf
[ -s "$conf" ] || { printf '[containers]\ndefault_ulimits = []\n' > "$conf.$$" && mv -f "$conf.$$" "$conf"; }
pm() { CONTAINERS_CONF=$conf podman --runtime runc "$@"; }

# ---- cleanup --------------------------------------------------------------------------------------------------
exports=$(mktemp -d /tmp/embeddedbroker-exports.XXXXXX)
state=$(mktemp -d /tmp/embeddedbroker-state.XXXXXX)
created_bases=()
cleanup() {
  pm rm -f "embeddedbroker-check-$$" "embeddedbroker-check-$$-again" >/dev/null 2>&1 || true
  if [ "$keep" = 0 ]; then
    pm rmi -f "$image" >/dev/null 2>&1 || true
    for base in ${created_bases[@]+"${created_bases[@]}"}; do pm rmi -f "$base" >/dev/null 2>&1 || true; done
    # and the debootstrap tree and .deb cache container-bases.sh kept to rebuild them (its default WORK)
    [ ${#created_bases[@]} -eq 0 ] || rm -rf /tmp/container-bases
    rm -rf "$exports" "$state"
  else
    log "kept: image $image${created_bases[*]:+, base images ${created_bases[*]}}, exports $exports"
  fi
}
trap cleanup EXIT
fail() { log "FAIL: $*"; pm logs "$name" 2>&1 | tail -40 >&2 || true; exit 1; }

# ---- base images and build ------------------------------------------------------------------------------------
started=$SECONDS
for base in "$sdk_image" "$runtime_image"; do
  if [[ $base == localhost/* ]] && ! pm image exists "$base"; then created_bases+=("$base"); fi
done
if [ ${#created_bases[@]} -gt 0 ]; then
  log "building the local base images ${created_bases[*]} (scripts/container-bases.sh, about 90 s the first time)"
  "$repo/scripts/container-bases.sh" 2>"$exports.bases.log" || { tail -20 "$exports.bases.log" >&2; fail "base images"; }
  rm -f "$exports.bases.log"
fi

log "building $image"
build_started=$SECONDS
# --format docker keeps the HEALTHCHECK instruction (the OCI image format has no health check). Without --keep,
# --layers=false leaves no cached intermediate image behind. (Its "skipping ... since it is a socket" warnings are
# harmless; the log is shown only when the build fails.)
layers=$([ "$keep" = 1 ] && echo true || echo false)
pm build --network host --layers="$layers" --format docker -q -t "$image" \
  --build-arg SDK_IMAGE="$sdk_image" --build-arg RUNTIME_IMAGE="$runtime_image" \
  "$repo" >"$exports.build.log" 2>&1 || { tail -40 "$exports.build.log" >&2; rm -f "$exports.build.log"; fail "image build failed"; }
rm -f "$exports.build.log"
log "built in $((SECONDS - build_started)) s"
health=$(pm image inspect -f '{{json .HealthCheck}}' "$image")
[[ $health == *healthcheck* ]] || fail "the image has no HEALTHCHECK running the healthcheck command: $health"
user=$(pm image inspect -f '{{.Config.User}}' "$image")
[ "$user" != "" ] && [ "$user" != "root" ] && [ "$user" != "0" ] || fail "the image runs as root (USER '$user')"

# ---- run, publish, stop ---------------------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
mqtt_port=$(free_port)
ws_port=$(free_port)
chown 1654:1654 "$exports" "$state" # the image runs as uid 1654 (USER $APP_UID): the bind-mounted folders must be writable by it

# --no-healthcheck: podman would schedule the HEALTHCHECK with systemd timers, absent here; the loop below runs the
# same command instead.
run_container() {
  pm run -d --net=host --no-healthcheck --name "$1" \
    -v "$exports:/data/exports" -v "$state:/data/state" \
    -e Listeners__Mqtt__Port="$mqtt_port" -e Listeners__Mqtt__Address=127.0.0.1 \
    -e Listeners__WebSocket__Port="$ws_port" -e Listeners__WebSocket__Address=127.0.0.1 \
    "$image" >/dev/null
  log "container $1: MQTT on 127.0.0.1:$mqtt_port, WebSocket and /healthz on 127.0.0.1:$ws_port"
  # The image's own health check command (MQTT CONNECT, then /healthz) doubles as the readiness probe.
  local ready=
  for _ in $(seq 1 60); do
    if pm exec "$1" dotnet /app/EmbeddedBroker.dll healthcheck >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.5
  done
  [ -n "$ready" ] || fail "the broker in $1 did not become healthy within 30 s"
  log "healthcheck passed"
}
run_container "$name"

payload="docker-check-$$-$RANDOM"
mosquitto_pub -h 127.0.0.1 -p "$mqtt_port" -q 1 -r -t sensors/docker-check -m "$payload" || fail "mosquitto_pub could not publish"

stop_started=$(date +%s.%N)
pm stop -t 10 "$name" >/dev/null
stop_seconds=$(python3 -c "import time; print(round(time.time() - $stop_started, 2))")
exit_code=$(pm inspect -f '{{.State.ExitCode}}' "$name")
log "stopped in $stop_seconds s, exit code $exit_code"
[ "$exit_code" = 0 ] || fail "exit code $exit_code after SIGTERM (expected 0)"
python3 -c "import sys; sys.exit(0 if $stop_seconds < 10 else 1)" || fail "stop took $stop_seconds s (SIGKILL comes at 10 s)"

# ---- the recorded files on the host ---------------------------------------------------------------------------
csv="$exports/mqtt_data.csv"
json="$exports/mqtt_data.json"
[ -s "$csv" ] || fail "no $csv on the host"
grep -q "$payload" "$csv" || fail "the message is not in $csv"
python3 - "$json" "$payload" <<'PY' || fail "the message is not in a complete $json"
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    records = json.load(f)  # fails if the array was not closed on stop
assert any(sys.argv[2] in json.dumps(r) for r in records), "payload not found"
PY
log "message recorded in CSV and JSON on the host"

# ---- a new container on the same state volume -----------------------------------------------------------------
[ -s "$state/broker.db" ] || fail "no state store in the /data/state volume ($state)"
name_first=$name
name="$name-again"   # fail() shows this container's log from here on
run_container "$name"
retained=$(mosquitto_sub -h 127.0.0.1 -p "$mqtt_port" -t sensors/docker-check -C 1 -W 10 2>&1) || fail "no retained message in a new container (got '$retained')"
[ "$retained" = "$payload" ] || fail "the new container's retained message is '$retained', expected '$payload'"
pm stop -t 10 "$name" >/dev/null
name=$name_first
log "OK: message recorded in CSV and JSON on the host, retained message kept across containers; total $((SECONDS - started)) s"
