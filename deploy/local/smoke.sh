#!/usr/bin/env bash
# Smoke check: runs the system as a user would (deploy/local/run.sh) from this clone with its default
# data folder, waits until the gateway answers /health with 200, stops it as Ctrl+C would, and checks
# that the PostgreSQL, RabbitMQ and services it started are gone. CI runs it from a fresh clone inside
# a 0700 folder, where a clone in root's (or any Debian user's) home would be.
# Ends with one line: "smoke: system ran from …" (exit 0), or "smoke failed: <reason>" (exit 1).
set -uo pipefail
cd "$(dirname "$0")/../.."
clone=$(pwd)
started=$(date +%s)
log=$(mktemp)
group=""

fail() {
  [ -n "$group" ] && kill -KILL -- "-$group" 2>/dev/null
  echo "--- last lines of run.sh (all of it: $log):" >&2
  tail -n 25 "$log" >&2
  echo "smoke failed: $*" >&2
  exit 1
}
answers() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 http://localhost:5080/health; }
# Processes started from this clone or holding its servers' data (wherever the AppHost put it).
leftovers() {
  local pattern="$clone/(\\.data|AppHost|src)/"
  [ -s .data/data-location.txt ] && pattern="$pattern|$(cat .data/data-location.txt)"
  pgrep -f -- "$pattern" | grep -vx "$$"
}

[ "$(answers)" = 000 ] || { echo "smoke failed: something already answers on http://localhost:5080: stop it first" >&2; exit 1; }

# Job control: run.sh gets a process group of its own, which Ctrl+C reaches as a whole, and does
# not start with SIGINT ignored (as a background command of a script otherwise would).
set -m
bash deploy/local/run.sh >"$log" 2>&1 </dev/null &
group=$!
set +m

# The build comes first (bounded at 6 minutes), then the start (bounded at 4 minutes).
deadline=$((started + 360))
until grep -q "PB Services is starting" "$log"; do
  kill -0 "$group" 2>/dev/null || fail "run.sh exited before starting the AppHost"
  [ "$(date +%s)" -lt "$deadline" ] || fail "run.sh did not get past the build within 6 minutes"
  sleep 2
done
built=$(date +%s)
deadline=$((built + 240))
until [ "$(answers)" = 200 ]; do
  kill -0 "$group" 2>/dev/null || fail "the AppHost exited before the gateway was healthy"
  [ "$(date +%s)" -lt "$deadline" ] || fail "the gateway did not answer /health with 200 within 4 minutes"
  sleep 2
done
healthy=$(date +%s)

kill -INT -- "-$group"
deadline=$(($(date +%s) + 60))
while kill -0 -- "-$group" 2>/dev/null; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "the AppHost did not stop within a minute of Ctrl+C"
  sleep 1
done
group=""
deadline=$(($(date +%s) + 90))
while [ -n "$(leftovers)" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "still running after the AppHost stopped: $(leftovers | xargs ps -o pid=,user=,args= -p | cut -c1-150 | tr '\n' ';')"
  sleep 1
done

where="$clone"
[ "$(stat -c %a "$(dirname "$clone")")" = 700 ] && where="a 0700 clone"
data="$clone/.data"
[ -s .data/data-location.txt ] && data=$(cat .data/data-location.txt)
rm -f "$log"
echo "smoke: system ran from $where ($((healthy - started))s: built in $((built - started))s, gateway healthy $((healthy - built))s later; data in $data; stopped cleanly)"
