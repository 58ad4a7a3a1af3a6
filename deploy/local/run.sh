#!/usr/bin/env bash
# Installs the prerequisites and runs the whole system (AppHost) with a small demo process loaded.
set -uo pipefail
cd "$(dirname "$0")/../.."
bash deploy/local/prerequisites.sh || exit 1
dotnet build AppHost/AppHost.csproj --nologo -v q --no-restore || { echo "run: the build failed (errors above)" >&2; exit 1; }
cat <<'MSG'

  PB Services is starting (Ctrl+C stops everything; data stays in .data/):
    Citizen portal (Spanish):       http://localhost:5080/
    Gateway (HTTP APIs, OpenAPI):   http://localhost:5080   e.g. http://localhost:5080/openapi/registration/v1.json
    API reference (all services):   http://localhost:5080/scalar
    Gateway (gRPC, HTTP/2 h2c):     http://localhost:5081
    Aspire dashboard:               http://localhost:15080
  The demo process (Ilo) is loaded by the "demo-data" resource once the gateway is healthy.

MSG
exec dotnet run --project AppHost/AppHost.csproj --no-build --launch-profile http -- --PB:Demo=true
