#!/usr/bin/env bash
# Installs what PB Services needs on a Debian machine: PostgreSQL and RabbitMQ (run by the AppHost as
# local processes, not as system services), then restores the .NET solution. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/postgres" ] || need+=(postgresql)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need+=(rabbitmq-server)
[ -x /usr/bin/chromium ] || need+=(chromium) # the portal's browser tests drive Debian's Chromium (no browser download)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing ${need[*]} ..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  # Debian may start the packaged system services; PB Services runs its own private instances
  # on free ports, so those are not needed (and stopping them frees memory).
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl stop postgresql rabbitmq-server 2>/dev/null || true
  fi
fi

command -v dotnet >/dev/null 2>&1 || { echo "The .NET 10 SDK is required (https://dot.net)"; exit 1; }
dotnet restore PBServices.sln --nologo -v q
