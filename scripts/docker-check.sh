#!/usr/bin/env bash
# docker-check.sh - builds the image with podman, runs it with a host-mounted exports folder, publishes one message
# with mosquitto_pub, stops the container (SIGTERM) and checks that the message is in the host's CSV and JSON files,
# that the container exited 0 and that it stopped within Docker's 10 s grace period.
# Needs root (rootful podman), the Debian packages podman, runc and mosquitto-clients, and the local base images
# built by ../shared/tools/container-bases.sh (mcr.microsoft.com is not reachable here; see ../shared/tools/CONTAINERS.md).
# Usage: scripts/docker-check.sh        Env: TOOLS=<dir of podman.sh>  KEEP=1 (keep the image and exports folder)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tools=${TOOLS:-$(cd "$repo/../shared/tools" && pwd)}
podman_sh="$tools/podman.sh"
image=localhost/embeddedbroker:check
name=embeddedbroker-check-$$
log() { printf '[docker-check] %s\n' "$*" >&2; }
fail() { log "FAIL: $*"; "$podman_sh" logs "$name" 2>&1 | tail -40 >&2 || true; exit 1; }

for tool in podman mosquitto_pub python3; do
  command -v "$tool" >/dev/null || { log "missing $tool: apt-get install podman runc mosquitto-clients python3"; exit 1; }
done

exports=$(mktemp -d /tmp/embeddedbroker-exports.XXXXXX)
cleanup() {
  "$podman_sh" rm -f "$name" >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] || rm -rf "$exports"
}
trap cleanup EXIT

started=$SECONDS
"$tools/container-bases.sh" >/dev/null
log "building $image"
build_started=$SECONDS
# --format docker keeps the HEALTHCHECK instruction (the OCI image format has no health check).
# (Its "skipping ... since it is a socket" warnings are harmless; the log is shown only when the build fails.)
"$podman_sh" build --format docker -q -t "$image" \
  --build-arg SDK_IMAGE=localhost/dotnet-sdk:10.0 \
  --build-arg RUNTIME_IMAGE=localhost/dotnet-aspnet:10.0 \
  "$repo" >"$exports.build.log" 2>&1 || { tail -40 "$exports.build.log" >&2; rm -f "$exports.build.log"; fail "image build failed"; }
rm -f "$exports.build.log"
log "built in $((SECONDS - build_started)) s"
health=$("$podman_sh" image inspect -f '{{json .HealthCheck}}' "$image")
[[ $health == *healthcheck* ]] || fail "the image has no HEALTHCHECK running the healthcheck command: $health"
user=$("$podman_sh" image inspect -f '{{.Config.User}}' "$image")
[ "$user" != "" ] && [ "$user" != "root" ] && [ "$user" != "0" ] || fail "the image runs as root (USER '$user')"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
mqtt_port=$(free_port)
ws_port=$(free_port)
# The image runs as uid 1654 (USER $APP_UID): the bind-mounted folder must be writable by it.
chown 1654:1654 "$exports"

# podman.sh uses host networking: the container binds the host's loopback on free ports chosen here.
# --no-healthcheck: podman would schedule the HEALTHCHECK with systemd timers, absent here; the loop below runs the
# same command instead.
"$podman_sh" run -d --no-healthcheck --name "$name" \
  -v "$exports:/data/exports" \
  -e Listeners__Mqtt__Port="$mqtt_port" -e Listeners__Mqtt__Address=127.0.0.1 \
  -e Listeners__WebSocket__Port="$ws_port" -e Listeners__WebSocket__Address=127.0.0.1 \
  "$image" >/dev/null
log "container $name: MQTT on 127.0.0.1:$mqtt_port"

# The image's own health check command doubles as the readiness probe.
for _ in $(seq 1 60); do
  if "$podman_sh" exec "$name" dotnet /app/EmbeddedBroker.dll healthcheck >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.5
done
[ -n "${ready:-}" ] || fail "the broker did not become healthy within 30 s"
log "healthcheck passed"

payload="docker-check-$$-$RANDOM"
mosquitto_pub -h 127.0.0.1 -p "$mqtt_port" -q 1 -t sensors/docker-check -m "$payload" || fail "mosquitto_pub could not publish"

stop_started=$(date +%s.%N)
"$podman_sh" stop -t 10 "$name" >/dev/null
stop_seconds=$(python3 -c "import time; print(round(time.time() - $stop_started, 2))")
exit_code=$("$podman_sh" inspect -f '{{.State.ExitCode}}' "$name")
log "stopped in $stop_seconds s, exit code $exit_code"
[ "$exit_code" = 0 ] || fail "exit code $exit_code after SIGTERM (expected 0)"
python3 -c "import sys; sys.exit(0 if $stop_seconds < 10 else 1)" || fail "stop took $stop_seconds s (SIGKILL comes at 10 s)"

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
log "OK: message recorded in CSV and JSON on the host; total $((SECONDS - started)) s"
