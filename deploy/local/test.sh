#!/usr/bin/env bash
# Installs the prerequisites and runs every test: unit tests, the outbox/inbox integration tests on a
# real PostgreSQL and RabbitMQ, and the end-to-end tests of the whole system through the gateway.
# Ends with one line "N passed, N failed" taken from the test runner's own results.
set -uo pipefail
cd "$(dirname "$0")/../.."
bash deploy/local/prerequisites.sh || exit 1
dotnet build PBServices.sln --nologo -v q --no-restore || exit 1

log=$(mktemp)
# The evidence suites (tests/EndToEnd.Tests/Evidence) append the figures they measure here.
export PB_EVIDENCE_LOG=$(mktemp)
dotnet test --solution PBServices.sln --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Microsoft.Testing.Platform prints one summary per test application: sum them.
read -r passed failed skipped < <(awk '
  /^[[:space:]]*failed:/    { f += $2 }
  /^[[:space:]]*succeeded:/ { p += $2 }
  /^[[:space:]]*skipped:/   { s += $2 }
  END { printf "%d %d %d\n", p, f, s }' "$log")
# CI shows only the end of the output: name each failed test and the start of its message there.
awk '
  /^[[:space:]]*failed [^:]/ { show = 1; n = 0; print "FAILED:" substr($0, index($0, "failed") + 6); next }
  show && (/Standard output|Stack Trace:/ || ++n > 12) { show = 0 }
  show { print }' "$log"
rm -f "$log"
if [ -s "$PB_EVIDENCE_LOG" ]; then
  echo "Evidence (figures measured by the suites above; docs/reliability.md explains them):"
  cat "$PB_EVIDENCE_LOG"
fi
rm -f "$PB_EVIDENCE_LOG"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status without a failed test (a test application crashed or did not run)"
fi
exit "$status"
