#!/usr/bin/env bash
# Installs what PB Services needs on a Debian machine: PostgreSQL and RabbitMQ (run by the AppHost as
# local processes, not as system services), then restores the .NET solution. Safe to run again.
# Whatever it cannot do ends in one line saying what to do, and a non-zero exit.
set -uo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "prerequisites: $*" >&2; exit 1; }

command -v dotnet >/dev/null 2>&1 || fail "the .NET 10 SDK is not installed: install it (https://dot.net) and run this again"
dotnet --version >/dev/null 2>&1 || fail "no .NET SDK matching global.json (10.0.100 or later): install the .NET 10 SDK (https://dot.net)"

need=()
command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/postgres" ] || need+=(postgresql)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need+=(rabbitmq-server)
[ -x /usr/bin/chromium ] || need+=(chromium) # the portal's browser tests drive Debian's Chromium (no browser download)
command -v clang >/dev/null 2>&1 || need+=(clang) # pbtool's Native AOT build links with clang (docs/deploy.md)
[ -e /usr/include/zlib.h ] || need+=(zlib1g-dev)
# Deploy.Tests renders the Kubernetes overlays with kubectl kustomize (kustomize v5, kubectl 1.27 or later): the
# kubectl package where a source serves it, else Debian's kubernetes-client (whose kubectl is older; the test says so).
if ! command -v kubectl >/dev/null 2>&1; then
  if apt-cache show kubectl >/dev/null 2>&1; then need+=(kubectl); else need+=(kubernetes-client); fi
fi
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "${need[*]} missing and no sudo here: as root, run apt-get install ${need[*]}"
    SUDO="sudo"
  fi
  echo "Installing ${need[*]} ..."
  log=$(mktemp)
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"; } >"$log" 2>&1 \
    || fail "apt-get could not install ${need[*]} (its output is in $log)"
  rm -f "$log"
  # Debian may start the packaged system services; PB Services runs its own private instances
  # on free ports, so those are not needed (and stopping them frees memory).
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl stop postgresql rabbitmq-server 2>/dev/null || true
  fi
fi

dotnet restore PBServices.sln --nologo -v q || fail "dotnet restore failed (errors above): check the NuGet source in NuGet.config or ~/.nuget"
