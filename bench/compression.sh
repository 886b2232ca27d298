#!/usr/bin/env bash
# Compression benchmark: bytes on the wire per delivery and deliveries per server-CPU-second for ~1 KB
# records of text, with and without permessage-deflate, and with it compressed once per publication
# (--websocket-compress-once, the default) or per connection by Netty (--websocket-compress-once false).
# One run: the same load against three broker processes in turn, on this machine over loopback.
# Writes the table into docs/benchmarks-compression.md (between the markers of its client count and
# rate, bench/compression-report.js); raw results go to target/compression/.
#
#   bench/compression.sh
#
# Every process has a deadline; the script stops only what it started, by PID. Settings, all optional:
#
#   CMP_CLIENTS   subscribing WebSocket clients, all on one channel  (default 200)
#   CMP_RATE      publishes per second                              (default 100)
#   CMP_SIZE      bytes of each message's data                      (default 1000)
#   CMP_DURATION  measured seconds per configuration                (default 20)
#   CMP_WARMUP    warm-up seconds per configuration                 (default 5)
#   CMP_BUILD     1 to build first, 0 to use what is built          (default 1)
#   CMP_OUT       raw results directory                             (default target/compression)
#   CMP_DOC       the report                                        (default docs/benchmarks-compression.md)
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

: "${CMP_CLIENTS:=200}"
: "${CMP_RATE:=100}"
: "${CMP_SIZE:=1000}"
: "${CMP_DURATION:=20}"
: "${CMP_WARMUP:=5}"
: "${CMP_BUILD:=1}"
: "${CMP_OUT:=$ROOT/target/compression}"
: "${CMP_DOC:=$ROOT/docs/benchmarks-compression.md}"

LOADGEN_JAR=broker-bench/target/loadgen.jar
SERVER_PID=
LOADGEN_PID=

stop_on_exit stop_server

# Starts bayeuxd with the extra flags $2.. on a free port, logging to $1; waits up to 30 s for /healthz.
start_server() {
    local logfile=$1 deadline
    shift
    PORT=$(free_port)
    java -jar broker-transport/target/bayeuxd.jar --port "$PORT" --host 127.0.0.1 "$@" >"$logfile" 2>&1 &
    SERVER_PID=$!
    deadline=$((SECONDS + 30))
    until curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null || ((SECONDS >= deadline)); then
            log "bayeuxd did not come up on port $PORT; see $logfile"
            stop_server
            return 1
        fi
        sleep 0.2
    done
}

# The server's metrics, scraped once into file $1, so that every value read from it is of one moment.
scrape() { curl -fs "http://127.0.0.1:$PORT/metrics" >"$1"; }
# The value of metric line $2 (exact name and labels) in scrape $1, 0 when absent.
metric() { awk -v name="$2" '$1 == name {print $2; found = 1} END {if (!found) print 0}' "$1"; }

WRITTEN='bayeux_messages_written_total{transport="websocket"}'
SENT='bayeux_sent_bytes_total'
MADE='bayeux_websocket_deflated_messages_total{copy="made"}'
SHARED='bayeux_websocket_deflated_messages_total{copy="shared"}'

# Runs configuration $1 (a label): bayeuxd with flags $2 (a string), the load generator with flags $3.
run() {
    local label=$1 server_flags=$2 loadgen_flags=$3 w0 s0 c0 m0 h0 w1 s1 c1 m1 h1 limit
    log "$label: bayeuxd $server_flags; loadgen $loadgen_flags"
    # shellcheck disable=SC2086
    start_server "$CMP_OUT/$label.server.log" $server_flags
    limit=$((CMP_WARMUP + CMP_DURATION + 120))
    # shellcheck disable=SC2086
    timeout --signal=TERM "$limit" java -jar "$LOADGEN_JAR" --url "http://127.0.0.1:$PORT/" --label "$label" \
        --out "$CMP_OUT" --clients "$CMP_CLIENTS" --channels 1 --publishers 1 --rate "$CMP_RATE" --size "$CMP_SIZE" \
        --text --duration "$CMP_DURATION" --warmup "$CMP_WARMUP" --drain 5 $loadgen_flags \
        >"$CMP_OUT/$label.loadgen.out" 2>"$CMP_OUT/$label.loadgen.err" &
    LOADGEN_PID=$!
    # The measured window: from the first progress line of the measurement to the end of publishing.
    local deadline=$((SECONDS + limit))
    until grep -q '^\[measure\]' "$CMP_OUT/$label.loadgen.err" 2>/dev/null; do
        if ! kill -0 "$LOADGEN_PID" 2>/dev/null || ((SECONDS >= deadline)); then break; fi
        sleep 0.2
    done
    c0=$(cpu_ticks "$SERVER_PID"); scrape "$CMP_OUT/$label.metrics.0"
    sleep $((CMP_DURATION - 2))
    c1=$(cpu_ticks "$SERVER_PID"); scrape "$CMP_OUT/$label.metrics.1"
    local f0=$CMP_OUT/$label.metrics.0 f1=$CMP_OUT/$label.metrics.1
    w0=$(metric "$f0" "$WRITTEN"); s0=$(metric "$f0" "$SENT"); m0=$(metric "$f0" "$MADE"); h0=$(metric "$f0" "$SHARED")
    w1=$(metric "$f1" "$WRITTEN"); s1=$(metric "$f1" "$SENT"); m1=$(metric "$f1" "$MADE"); h1=$(metric "$f1" "$SHARED")
    wait "$LOADGEN_PID" || log "$label: load generator exited with status $?"
    LOADGEN_PID=
    stop_server
    awk -v label="$label" -v w0="$w0" -v w1="$w1" -v s0="$s0" -v s1="$s1" -v c0="$c0" -v c1="$c1" -v hz="$CLK_TCK" \
        -v m0="$m0" -v m1="$m1" -v h0="$h0" -v h1="$h1" 'BEGIN {
        d = w1 - w0; cpu = (c1 - c0) / hz
        printf "{\"label\":\"%s\",\"deliveries\":%d,\"sentBytes\":%d,\"serverCpuSec\":%.2f,\"compressed\":%d,\"reused\":%d}\n",
            label, d, s1 - s0, cpu, m1 - m0, h1 - h0 }' >"$CMP_OUT/$label.json"
    grep -h '"p99' "$CMP_OUT/$label.loadgen.out" | tail -1 >"$CMP_OUT/$label.loadgen.json" || true
    log "$label: $(cat "$CMP_OUT/$label.json")"
}

mkdir -p "$CMP_OUT"
if [[ $CMP_BUILD == 1 ]]; then
    log "building the broker and the load generator"
    build_jars broker-transport,broker-bench
fi

run plain          "--websocket-compression false" ""
run per-connection "--websocket-compress-once false" "--deflate"
run compress-once  "" "--deflate"

node bench/compression-report.js "$CMP_OUT" "$CMP_DOC" "$CMP_CLIENTS" "$CMP_RATE" "$CMP_SIZE" "$CMP_DURATION"
