#!/usr/bin/env bash
# Copied into the repository from the project's shared tooling (shared/tools/container-bases.sh) so that
# scripts/docker-check.sh needs nothing outside the repository. Keep the two in step when either changes.
#
# container-bases.sh - build local stand-ins for the official .NET 10 container base images,
# because container registries (mcr.microsoft.com, docker.io) are not reachable on these machines.
#
#   localhost/dotnet-sdk:10.0     stands in for  mcr.microsoft.com/dotnet/sdk:10.0
#   localhost/dotnet-aspnet:10.0  stands in for  mcr.microsoft.com/dotnet/aspnet:10.0
#
# Both are Debian 12 (bookworm) --variant=minbase rootfs trees made with debootstrap from the same
# Debian mirror apt uses on this host (NB: the real .NET 10 images are Ubuntu 24.04 "noble" based;
# only the Debian archive is reachable here, so `apt-get install` lines that name Ubuntu-only
# package versions, e.g. libicu74, need the Debian name, e.g. libicu72), plus files copied from the host's .NET install
# (/usr/share/dotnet), imported as single-layer images with `podman import`.  They mimic the official
# images: dotnet in /usr/share/dotnet + /usr/bin/dotnet symlink, user/group `app` (uid/gid 1654),
# ENV APP_UID=1654, ASPNETCORE_HTTP_PORTS=8080, DOTNET_RUNNING_IN_CONTAINER=true, CMD ["bash"],
# no USER set (root by default, as upstream).
# The host's extra CA certificates (/usr/local/share/ca-certificates, which include the machine's
# TLS egress CA) are trusted inside, so NuGet restore over HTTPS works with --network host.
#
# Usage:  container-bases.sh [--force]   (--force: rebuild everything, e.g. after a host .NET update;
#                                         the replaced images are removed when nothing uses them)
# Env:    DOTNET_SRC=/usr/share/dotnet  WORK=/tmp/container-bases  MIRROR=<auto from apt sources>
#         KEEP_WORK=1 (keep the rootfs trees after import)
# Idempotent: an image that already exists is left alone.
set -euo pipefail

SDK_IMAGE=localhost/dotnet-sdk:10.0
ASPNET_IMAGE=localhost/dotnet-aspnet:10.0
SUITE=bookworm
DOTNET_SRC=${DOTNET_SRC:-/usr/share/dotnet}
WORK=${WORK:-/tmp/container-bases}
APP_UID=1654
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1

log() { printf '[container-bases] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, rootful podman)"

# podman with the settings that work here (empty default_ulimits, runc instead of crun)
CONF=/tmp/containers-sandbox.conf
if [ ! -s "$CONF" ]; then
  printf '[containers]\ndefault_ulimits = []\n' > "$CONF.$$" && mv -f "$CONF.$$" "$CONF"
fi
pm() { CONTAINERS_CONF=$CONF podman --runtime runc "$@"; }

# one run at a time (a second concurrent run waits, then finds the images)
mkdir -p "$WORK"
exec 9>"$WORK/.lock"
flock -w 900 9 || die "another container-bases.sh run holds $WORK/.lock"

need=()
for img in "$ASPNET_IMAGE" "$SDK_IMAGE"; do
  if [ "$FORCE" = 0 ] && pm image exists "$img"; then
    log "$img already exists - skipping (use --force to rebuild)"
  else
    need+=("$img")
  fi
done
[ ${#need[@]} -eq 0 ] && { log "nothing to do"; exit 0; }

# ---- inputs -------------------------------------------------------------------------------
[ -x "$DOTNET_SRC/dotnet" ] || die "no dotnet at $DOTNET_SRC"
RT_VER=$(ls "$DOTNET_SRC/shared/Microsoft.NETCore.App" | sort -V | tail -1)
ASP_VER=$(ls "$DOTNET_SRC/shared/Microsoft.AspNetCore.App" | sort -V | tail -1)
SDK_VER=$(ls "$DOTNET_SRC/sdk" | sort -V | tail -1)
log "host .NET: runtime $RT_VER, aspnetcore $ASP_VER, sdk $SDK_VER (from $DOTNET_SRC)"

# Debian mirror and the apt sources file to reuse inside the images
SRC_FILE=""
if [ -z "${MIRROR:-}" ]; then
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    m=$(awk -v s="$SUITE" '
      /^[ \t]*$/ { if (ok && uri) { print uri; exit } ok=0; uri=""; next }
      /^URIs:/   { uri=$2 }
      /^Suites:/ { for (i=2;i<=NF;i++) if ($i==s) ok=1 }
      END        { if (ok && uri) print uri }' "$f" | head -1)
    if [ -n "$m" ]; then MIRROR=$m; SRC_FILE=$f; break; fi
  done
fi
if [ -z "${MIRROR:-}" ] && [ -f /etc/apt/sources.list ]; then
  MIRROR=$(awk -v s="$SUITE" '$1=="deb" { for (i=2;i<=NF;i++) if ($i ~ /^(https?|ftp):/ && $(i+1)==s) { print $i; exit } }' /etc/apt/sources.list)
fi
[ -n "${MIRROR:-}" ] || die "could not find a Debian $SUITE mirror in /etc/apt/sources.list{,.d}; set MIRROR="
log "Debian mirror: $MIRROR${SRC_FILE:+ (from $SRC_FILE)}"

if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap (apt-get)"
  apt-get install -y debootstrap >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y debootstrap >/dev/null; }
fi

mkdir -p "$WORK/debs"
BASE=$WORK/rootfs-base
in_root() {         # run a command chrooted into a rootfs, with the host's DNS config
  local r=$1; shift
  cp -fL /etc/resolv.conf "$r/etc/resolv.conf"
  chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C HOME=/root "$@"
}
APTLOG=$WORK/apt.log
apt_update() { in_root "$1" apt-get update -qq --error-on=any >>"$APTLOG" 2>&1 || { tail -5 "$APTLOG" >&2; return 1; }; }
apt_get() { local r=$1; shift; in_root "$r" apt-get -y -o Dpkg::Use-Pty=0 "$@" >>"$APTLOG" 2>&1 || { tail -15 "$APTLOG" >&2; return 1; }; }
apt_clean() { in_root "$1" apt-get clean; rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/log/apt/* "$1"/var/log/dpkg.log "$1"/var/log/alternatives.log "$1"/tmp/* "$1"/root/.cache; }

# ---- 1. common base: minbase + runtime deps (= runtime-deps image) ------------------------
if [ -f "$BASE/.complete" ] && [ "$FORCE" = 0 ]; then
  log "reusing base rootfs $BASE"
else
  rm -rf "$BASE"
  log "debootstrap --variant=minbase $SUITE -> $BASE"
  t0=$SECONDS
  : > "$APTLOG"
  debootstrap --variant=minbase --cache-dir="$WORK/debs" \
    --include=ca-certificates,libicu72,libssl3,tzdata \
    "$SUITE" "$BASE" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log: $WORK/debootstrap.log)"; }
  log "debootstrap done in $((SECONDS - t0))s"

  log "configuring base: no docs/man/locales, apt cleanup hooks, host CAs, user app($APP_UID), apt upgrade"
  cat > "$BASE/etc/dpkg/dpkg.cfg.d/excludes" <<'EOF'
# keep the image small (like slim images): no docs, man pages, translations
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
EOF
  find "$BASE/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$BASE/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$BASE"/usr/share/man/* "$BASE"/usr/share/info/* "$BASE"/usr/share/lintian/*
  find "$BASE/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  cat > "$BASE/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
EOF
  # same apt sources as the host (mirror + updates + security), so `RUN apt-get install` in Dockerfiles works
  if [ -n "$SRC_FILE" ]; then
    cp "$SRC_FILE" "$BASE/etc/apt/sources.list.d/debian.sources"
    : > "$BASE/etc/apt/sources.list"
  fi
  # trust the host's extra CAs (the machine's TLS egress CA) - needed for https to NuGet & co
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$BASE/usr/local/share/ca-certificates/"
  fi
  in_root "$BASE" update-ca-certificates >/dev/null 2>&1 || die "update-ca-certificates failed"
  echo localhost > "$BASE/etc/hostname"
  in_root "$BASE" groupadd --gid=$APP_UID app
  in_root "$BASE" useradd -l --uid=$APP_UID --gid=$APP_UID --create-home app
  t0=$SECONDS
  if apt_update "$BASE" && apt_get "$BASE" upgrade; then
    log "apt upgrade done in $((SECONDS - t0))s"
  else
    log "WARNING: apt-get update/upgrade failed - continuing with the debootstrap package set"
  fi
  apt_clean "$BASE"
  touch "$BASE/.complete"
fi

# ---- helpers ------------------------------------------------------------------------------
import_rootfs() {   # import_rootfs DIR IMAGE [--change ...]...
  local dir=$1 img=$2; shift 2
  rm -f "$dir/.complete" "$dir/etc/resolv.conf"   # podman provides resolv.conf at run time
  log "podman import $dir -> $img ($(du -sh "$dir" | cut -f1) uncompressed)"
  local t0=$SECONDS old
  old=$(pm image inspect --format '{{.Id}}' "$img" 2>/dev/null || true)
  tar --numeric-owner --xattrs -C "$dir" -cf - . | pm import --quiet "$@" - "$img" >/dev/null
  log "imported $img in $((SECONDS - t0))s"
  if [ -n "$old" ]; then   # --force: drop the replaced image unless something still uses it
    pm rmi "$old" >/dev/null 2>&1 && log "removed replaced image ${old:0:12}" \
      || log "kept replaced image ${old:0:12} (still used by containers or derived images)"
  fi
}
copy_runtime() {    # the parts of the host install that the aspnet image has
  local dst=$1/usr/share/dotnet
  mkdir -p "$dst/shared" "$dst/host"
  cp -a "$DOTNET_SRC/dotnet" "$DOTNET_SRC/LICENSE.txt" "$DOTNET_SRC/ThirdPartyNotices.txt" "$dst/" 2>/dev/null || cp -a "$DOTNET_SRC/dotnet" "$dst/"
  cp -a "$DOTNET_SRC/host/fxr" "$dst/host/"
  cp -a "$DOTNET_SRC/shared/Microsoft.NETCore.App" "$DOTNET_SRC/shared/Microsoft.AspNetCore.App" "$dst/shared/"
  ln -sf /usr/share/dotnet/dotnet "$1/usr/bin/dotnet"
}
COMMON_CHANGES=(
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  --change "ENV APP_UID=$APP_UID"
  --change "ENV ASPNETCORE_HTTP_PORTS=8080"
  --change "ENV DOTNET_RUNNING_IN_CONTAINER=true"
  --change "ENV DOTNET_VERSION=$RT_VER"
  --change "ENV ASPNET_VERSION=$ASP_VER"
  --change "CMD [\"bash\"]"
)

# ---- 2. aspnet: base + dotnet host + shared runtimes ----------------------------------------
if [[ " ${need[*]} " == *" $ASPNET_IMAGE "* ]]; then
  R=$WORK/rootfs-aspnet
  rm -rf "$R"; log "copying base -> $R, adding .NET runtime $RT_VER + ASP.NET Core $ASP_VER"
  cp -a "$BASE" "$R"
  copy_runtime "$R"
  import_rootfs "$R" "$ASPNET_IMAGE" "${COMMON_CHANGES[@]}" \
    --change "LABEL stands-in-for=mcr.microsoft.com/dotnet/aspnet:10.0"
  pm run --rm --net=host "$ASPNET_IMAGE" dotnet --list-runtimes >&2 || { pm rmi -f "$ASPNET_IMAGE" >/dev/null; die "dotnet does not run in $ASPNET_IMAGE (image removed)"; }
  [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$R"
fi

# ---- 3. sdk: base + curl/git/wget + the whole host dotnet install + NuGet config ------------
if [[ " ${need[*]} " == *" $SDK_IMAGE "* ]]; then
  R=$WORK/rootfs-sdk
  rm -rf "$R"; log "copying base -> $R, installing curl git wget libatomic1, adding .NET SDK $SDK_VER"
  cp -a "$BASE" "$R"
  t0=$SECONDS
  apt_update "$R" || die "apt-get update failed in $R"
  apt_get "$R" install --no-install-recommends curl git wget libatomic1 || die "apt-get install failed (log: $APTLOG)"
  apt_clean "$R"
  log "sdk apt packages installed in $((SECONDS - t0))s"
  mkdir -p "$R/usr/share/dotnet"
  # everything except host-specific first-run sentinels (metadata/)
  tar -C "$DOTNET_SRC" --exclude=./metadata -cf - . | tar -C "$R/usr/share/dotnet" -xf -
  ln -sf /usr/share/dotnet/dotnet "$R/usr/bin/dotnet"
  nuget_cfg=""
  for c in "$HOME/.nuget/NuGet/NuGet.Config" "$HOME/.nuget/NuGet/nuget.config"; do [ -f "$c" ] && { nuget_cfg=$c; break; }; done
  if [ -n "$nuget_cfg" ]; then
    log "using host NuGet config $nuget_cfg (root and app users)"
    install -D -m 644 "$nuget_cfg" "$R/root/.nuget/NuGet/NuGet.Config"
    install -D -m 644 -o $APP_UID -g $APP_UID "$nuget_cfg" "$R/home/app/.nuget/NuGet/NuGet.Config"
    chown -R $APP_UID:$APP_UID "$R/home/app/.nuget"
  fi
  import_rootfs "$R" "$SDK_IMAGE" "${COMMON_CHANGES[@]}" \
    --change "ENV DOTNET_SDK_VERSION=$SDK_VER" \
    --change "ENV DOTNET_GENERATE_ASPNET_CERTIFICATE=false" \
    --change "ENV DOTNET_NOLOGO=true" \
    --change "ENV DOTNET_CLI_TELEMETRY_OPTOUT=1" \
    --change "ENV DOTNET_USE_POLLING_FILE_WATCHER=true" \
    --change "ENV NUGET_XMLDOC_MODE=skip" \
    --change "ENV NUGET_CERT_REVOCATION_MODE=offline" \
    --change "LABEL stands-in-for=mcr.microsoft.com/dotnet/sdk:10.0"
  pm run --rm --net=host "$SDK_IMAGE" dotnet --version >&2 || { pm rmi -f "$SDK_IMAGE" >/dev/null; die "dotnet SDK does not run in $SDK_IMAGE (image removed)"; }
  [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$R"
fi

pm images --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E '^localhost/dotnet-(sdk|aspnet):' >&2 || true
log "done"
