#!/usr/bin/env bash
# Run the interop suite against the real Faye server (reference-server.js),
# once per transport.  Exits non-zero if any test fails, the server does not
# start, or a step overruns its time bound.
#
#   ./run-against-reference.sh                 # both transports
#   ./run-against-reference.sh websocket       # just one
#
# Time bounds: server start 15 s, each suite run SUITE_TIMEOUT (default
# 130 s), server stop 5 s; the whole script stays under 300 s.
set -u
cd "$(dirname "$0")"

SUITE_TIMEOUT="${SUITE_TIMEOUT:-130}"
TRANSPORTS=("$@")
[ ${#TRANSPORTS[@]} -eq 0 ] && TRANSPORTS=(websocket long-polling)

if [ ! -d node_modules/faye ]; then
  echo "node_modules missing: running npm ci" >&2
  timeout 120 npm ci --no-audit --no-fund >&2 || { echo "npm ci failed" >&2; exit 1; }
fi

WORK="$(mktemp -d)"
SERVER_PID=""

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null
  fi
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

node reference-server.js 0 >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!

PORT=""
for _ in $(seq 150); do
  PORT="$(awk '/^LISTENING [0-9]+$/ {print $2; exit}' "$WORK/server.out")"
  [ -n "$PORT" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  echo "reference server did not start" >&2
  cat "$WORK/server.err" >&2
  exit 1
fi
echo "reference Faye server (pid $SERVER_PID) listening on 127.0.0.1:$PORT"

status=0
total_pass=0
total_fail=0
for transport in "${TRANSPORTS[@]}"; do
  echo
  echo "=== transport: $transport ==="
  BAYEUX_URL="http://127.0.0.1:$PORT/" BAYEUX_TRANSPORT="$transport" \
    timeout --kill-after=5 "$SUITE_TIMEOUT" \
    node --test --test-reporter=spec test/ 2>&1 | tee "$WORK/$transport.log"
  rc=${PIPESTATUS[0]}
  pass="$(awk '/^ℹ pass / {print $3}' "$WORK/$transport.log" | tail -1)"
  fail="$(awk '/^ℹ fail / {print $3}' "$WORK/$transport.log" | tail -1)"
  pass="${pass:-0}"; fail="${fail:-0}"
  [ "$rc" -eq 124 ] && echo "suite for $transport timed out after ${SUITE_TIMEOUT}s" >&2
  if [ "$rc" -ne 0 ] || [ "$pass" -eq 0 ]; then
    status=1
    [ "$fail" -eq 0 ] && fail=1
  fi
  echo "$transport: $pass passed, $fail failed (exit $rc)"
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
done

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "reference server died during the run" >&2
  cat "$WORK/server.err" >&2
  status=1
fi
stop_server

echo
echo "interop: $total_pass passed, $total_fail failed"
exit "$status"
