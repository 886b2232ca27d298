#!/usr/bin/env bash
# Side-by-side benchmark: bayeuxd against CometD 9.0.0, Faye 1.4.3 and a trivial WebSocket relay
# (the ceiling), on this machine, over loopback, with the same load generator and scenarios.
# Writes docs/benchmarks.md; raw results go to target/side-by-side/.
#
#   bench/side-by-side.sh
#
# Everything is bounded: every server and every load-generator run has a deadline, and the
# script stops only the processes it started, by PID. Settings, all optional:
#
#   SBS_SERVERS    servers to run, in order      (default "bayeuxd cometd faye relay")
#   SBS_SCENARIOS  scenarios to run               (default "S1 S2 S3 S4 S5 S6"; "S6" alone updates only
#                  the S6 section of the report)
#   SBS_DURATION   measured seconds per run, whole (default 20)
#   SBS_WARMUP     warm-up seconds per run, whole  (default 5)
#   SBS_DRAIN      seconds to wait for stragglers (default 5)
#   SBS_S2_WINDOW  S2's in-flight publish window  (default 1000, the load generator's default)
#   SBS_IDLE_CLIENTS  S5's idle clients           (default 10000)
#   SBS_HOLD       S5's hold, seconds             (default 25)
#   SBS_S6_CLIENTS S6's WebSocket clients (default 18500: under bayeuxd's derived connection cap, 18,864
#                  at an open-file limit of 20,000); per server SBS_S6_CLIENTS_<server>, e.g.
#                  SBS_S6_CLIENTS_cometd=10000, to run a server at the largest count it reaches
#   SBS_S6_PHASE   S6's seconds per broadcast phase, 1/s then 5/s (default 60)
#   SBS_S6_HOLD    S6's idle hold, seconds (default 45: settle, memory, idle CPU and a forced GC fit in it)
#   SBS_S6_SETTLE  S6's seconds into the hold before RSS is read (default 20: past the broker's
#                  --heap-return-interval of 10 s, which returns the ramp's heap once it is quiet)
#   SBS_TIMEOUT    /meta/connect hold of every server, seconds (default 30, CometD's default)
#   SBS_LOADGEN_NICE  niceness of the load generator (default -5: it gets priority over the server)
#   SBS_SERVER_NICE   niceness of the server under test (default 0)
#                  A negative niceness needs root; without it the script runs the generator at 0 and
#                  the server at 5 instead. The machine may be shared: with the server at 0 it
#                  competes with other processes as an equal instead of giving way to all of them.
#   SBS_RELAY_ARGS extra options of the relay (default "--io-threads 1": with every socket on one
#                  event loop a forwarded frame is a direct write, not a task handed to another
#                  thread, which made it 2-3x faster at S1/S2 fan-out on a 2-core machine)
#   SBS_BAYEUXD_ARGS extra flags of bayeuxd only (default none), e.g. "--history-channels /**=1000"
#   SBS_JVM_OPTS   JVM options given alike to every JVM server: bayeuxd, CometD and the relay
#                  (default none: each JVM at its defaults)
#   SBS_BUILD      1 to build first, 0 to use what is built (default 1)
#   SBS_OUT        raw results directory          (default target/side-by-side)
#   SBS_DOC        the report                     (default docs/benchmarks.md)
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

: "${SBS_SERVERS:=bayeuxd cometd faye relay}"
: "${SBS_SCENARIOS:=S1 S2 S3 S4 S5 S6}"
: "${SBS_S6_CLIENTS:=18500}"
: "${SBS_S6_PHASE:=60}"
: "${SBS_S6_HOLD:=45}"
: "${SBS_S6_SETTLE:=20}"
: "${SBS_DURATION:=20}"
: "${SBS_WARMUP:=5}"
: "${SBS_DRAIN:=5}"
: "${SBS_S2_WINDOW:=1000}"
: "${SBS_IDLE_CLIENTS:=10000}"
: "${SBS_HOLD:=25}"
: "${SBS_TIMEOUT:=30}"
: "${SBS_LOADGEN_NICE:=-5}"
: "${SBS_SERVER_NICE:=0}"
: "${SBS_RELAY_ARGS:=--io-threads 1}"
: "${SBS_JVM_OPTS:=}"
: "${SBS_BAYEUXD_ARGS:=}"
: "${SBS_BUILD:=1}"
: "${SBS_OUT:=$ROOT/target/side-by-side}"
: "${SBS_DOC:=$ROOT/docs/benchmarks.md}"

LOADGEN_JAR=broker-bench/target/loadgen.jar
# S5: seconds after the hold starts before memory is read, and the window over which idle CPU is read.
IDLE_SETTLE_SEC=5
IDLE_CPU_SEC=10
SERVER_PID=
LOADGEN_PID=

stop_on_exit stop_server

build() {
    log "building the broker, the load generator, the relay and the CometD server"
    build_jars broker-transport,broker-bench,bench-cometd-server
    log "installing the Faye server (npm ci)"
    npm_install bench/servers/faye
}

# Sets SERVER_CMD (argv), SERVER_URL and PROBE_URL (S6's liveness probe during the storm: bayeuxd's /healthz
# on its management port; for CometD and Faye, which have none, a GET of the Bayeux URL, whose answer
# shows the server is responsive; none for the relay) for server $1 on port $2.
server_command() {
    local name=$1 port=$2
    case $name in
        # shellcheck disable=SC2206
        # shellcheck disable=SC2206
        bayeuxd) MANAGEMENT_PORT=$(free_port)
                 SERVER_CMD=(java $SBS_JVM_OPTS -jar broker-transport/target/bayeuxd.jar --port "$port" --host 127.0.0.1 --timeout "$SBS_TIMEOUT"
                             --management-port "$MANAGEMENT_PORT" $SBS_BAYEUXD_ARGS)
                 SERVER_URL="http://127.0.0.1:$port/"
                 PROBE_URL="http://127.0.0.1:$MANAGEMENT_PORT/healthz" ;;
        # shellcheck disable=SC2206
        cometd)  SERVER_CMD=(java $SBS_JVM_OPTS -jar bench-cometd-server/target/cometd-server.jar --port "$port" --host 127.0.0.1 --timeout "$SBS_TIMEOUT")
                 SERVER_URL="http://127.0.0.1:$port/cometd"
                 PROBE_URL="$SERVER_URL" ;;
        faye)    SERVER_CMD=(node bench/servers/faye/faye-server.js --port "$port" --host 127.0.0.1 --timeout "$SBS_TIMEOUT")
                 SERVER_URL="http://127.0.0.1:$port/"
                 PROBE_URL="$SERVER_URL" ;;
        # shellcheck disable=SC2206
        relay)   SERVER_CMD=(java $SBS_JVM_OPTS -cp "$LOADGEN_JAR" io.bayeuxd.bench.relay.RelayServer --port "$port" --host 127.0.0.1 --timeout "$SBS_TIMEOUT" $SBS_RELAY_ARGS)
                 SERVER_URL="http://127.0.0.1:$port/"
                 PROBE_URL= ;;
        *) log "unknown server $name"; return 1 ;;
    esac
}

# Starts server $1 under nice, logging to $2; waits up to 30 s for its port.
start_server() {
    local name=$1 logfile=$2 port
    port=$(free_port)
    server_command "$name" "$port"
    nice -n "$SBS_SERVER_NICE" "${SERVER_CMD[@]}" >"$logfile" 2>&1 &
    SERVER_PID=$!
    if ! await_port "$SERVER_PID" "$port"; then
        log "$name did not come up on port $port; see $logfile"
        stop_server
        return 1
    fi
    sleep 2 # let it finish starting before anything is read
}

# Live heap in KB of server $1 (PID $2) after a full GC for JVMs (jcmd), heapUsed for Node; -1 when unknown.
heap_kb() {
    local name=$1 pid=$2 logfile=$3
    case $name in
        faye)
            local before
            before=$(grep -c '^MEMORY' "$logfile" || true)
            kill -USR2 "$pid" 2>/dev/null || { echo -1; return; }
            for _ in $(seq 20); do
                (($(grep -c '^MEMORY' "$logfile" || true) > before)) && break
                sleep 0.1
            done
            grep '^MEMORY' "$logfile" | tail -1 | sed -E 's/.*heapUsed=([0-9]+).*/\1/' || echo -1 ;;
        *)
            if timeout 30 jcmd "$pid" GC.run >/dev/null 2>&1; then
                timeout 30 jcmd "$pid" GC.heap_info 2>/dev/null \
                    | awk 'match($0, /total [0-9]+K, used [0-9]+K/) { s = substr($0, RSTART, RLENGTH); sub(/.*used /, "", s); sub(/K/, "", s); used += s }
                           END { print used + 0 }'
            else
                echo -1
            fi ;;
    esac
}

# The server side of a run as one JSON line: its CPU and the machine's over the window t0..t1, its memory,
# and the whole numbers $1 names ("name=value name=value"). Reads the caller's c0, c1, m0, m1, t0, t1,
# rss_before, rss_with, rss_end, hwm, heap_before and heap_with (bash's dynamic scope).
server_json() {
    awk -v c0="$c0" -v c1="$c1" -v m0="$m0" -v m1="$m1" -v t0="$t0" -v t1="$t1" -v hz="$CLK_TCK" -v rb="$rss_before" -v rw="$rss_with" \
        -v re="$rss_end" -v hwm="$hwm" -v hb="$heap_before" -v hw="$heap_with" -v extra="$1" 'BEGIN {
        cpu = (c1 - c0) / hz; wall = (t1 - t0) / 1e9;
        printf "{\"serverCpuSec\":%.3f,\"windowSec\":%.3f,\"serverCores\":%.4f,\"machineCores\":%.4f,\"rssBeforeKb\":%d,\"rssWithKb\":%d,\"rssEndKb\":%d,\"rssPeakKb\":%d,\"heapBeforeKb\":%d,\"heapWithKb\":%d",
            cpu, wall, (wall > 0 ? cpu / wall : 0), (wall > 0 ? (m1 - m0) / hz / wall : 0), rb, rw, re, hwm, hb, hw;
        n = split(extra, pairs, " ");
        for (i = 1; i <= n; i++) { split(pairs[i], kv, "="); printf ",\"%s\":%d", kv[1], kv[2] }
        printf "}\n" }'
}

# Load-generator options of scenario $1 (without --url and --label).
scenario_args() {
    local common=(--io-threads 1 --warmup "$SBS_WARMUP" --duration "$SBS_DURATION" --drain "$SBS_DRAIN" --ramp-timeout 30)
    case $1 in
        S1) echo "${common[@]} --transport websocket --clients 1000 --channels 1 --publishers 1 --rate 200 --size 100" ;;
        S2) echo "${common[@]} --transport websocket --clients 1000 --channels 1 --publishers 1 --rate 0 --window $SBS_S2_WINDOW --size 100" ;;
        S3) echo "${common[@]} --transport websocket --clients 2000 --channels 200 --publishers 200 --rate 2000 --size 200" ;;
        S4) echo "${common[@]} --transport long-polling --clients 500 --channels 50 --publishers 50 --rate 500 --size 100" ;;
        S5) echo "--io-threads 1 --transport websocket --clients $SBS_IDLE_CLIENTS --channels 100 --publishers 0 --hold $SBS_HOLD --connect-rate 1000 --ramp-timeout 30" ;;
    esac
}

# The relay speaks WebSocket only.
applicable() { [[ ! ($1 == relay && $2 == S4) ]]; }

# The idle hold of S5 and S6 for server $1: once the generator's stderr ($2) says it holds, and $3 seconds
# later, the server's RSS, then its CPU and the machine's over IDLE_CPU_SEC, its live heap (server log $4),
# and for a JVM its largest classes into $5. Sets the caller's rss_with, t0, c0, m0, t1, c1, m1 and
# heap_with (bash's dynamic scope); none of them when the hold never came.
measure_idle() {
    local server=$1 err=$2 settle=$3 slog=$4 histogram=$5 line
    line=$(await_line "$LOADGEN_PID" "$err" '^\[hold   \] holding')
    [[ -n $line ]] || return 0
    sleep "$settle"
    rss_with=$(rss_kb "$SERVER_PID")
    t0=$(now_ns); c0=$(cpu_ticks "$SERVER_PID"); m0=$(machine_busy_ticks)
    sleep "$IDLE_CPU_SEC"
    t1=$(now_ns); c1=$(cpu_ticks "$SERVER_PID"); m1=$(machine_busy_ticks)
    heap_with=$(heap_kb "$server" "$SERVER_PID" "$slog")
    # What the heap holds with the clients connected: the largest classes (JVMs only).
    if [[ $server != faye ]]; then
        timeout 60 jcmd "$SERVER_PID" GC.class_histogram 2>/dev/null | head -13 >"$histogram" || true
    fi
}

# One run: server $1, scenario $2. Writes $OUT/<server>-<scenario>.json (generator) and .server.json (server side).
run_one() {
    local server=$1 scn=$2 label="$1-$2"
    local err="$SBS_OUT/$label.loadgen.err" out="$SBS_OUT/$label.loadgen.out" slog="$SBS_OUT/$label.server.log"
    local args limit
    args=$(scenario_args "$scn")
    rm -f "$SBS_OUT/$label.json" "$SBS_OUT/$label.server.json" "$SBS_OUT/$label.histogram.txt"
    start_server "$server" "$slog" || return 0
    local rss_before heap_before=-1
    rss_before=$(rss_kb "$SERVER_PID")
    if [[ $scn == S5 ]]; then heap_before=$(heap_kb "$server" "$SERVER_PID" "$slog"); fi

    log "$label: $args"
    limit=$((SBS_WARMUP + SBS_DURATION + SBS_DRAIN + SBS_HOLD + SBS_IDLE_CLIENTS / 1000 + 120))
    # shellcheck disable=SC2086
    timeout --signal=TERM "$limit" nice -n "$SBS_LOADGEN_NICE" java -jar "$LOADGEN_JAR" --url "$SERVER_URL" --label "$label" \
        --out "$SBS_OUT/loadgen" $args >"$out" 2>"$err" &
    LOADGEN_PID=$!

    local t0 t1 c0 c1 m0 m1 rss_with=-1 heap_with=-1 line
    if [[ $scn == S5 ]]; then
        measure_idle "$server" "$err" "$IDLE_SETTLE_SEC" "$slog" "$SBS_OUT/$label.histogram.txt"
    else
        # The measurement window starts a warm-up after publishing did.
        line=$(await_line "$LOADGEN_PID" "$err" '^\[(warmup |measure)\] t=')
        if [[ -n $line ]]; then
            local start
            start=$(window_start_ns "$line" "$SBS_WARMUP")
            sleep_until_ns "$start"
            t0=$(now_ns); c0=$(cpu_ticks "$SERVER_PID"); m0=$(machine_busy_ticks)
            sleep_until_ns $((start + SBS_DURATION * 1000000000))
            t1=$(now_ns); c1=$(cpu_ticks "$SERVER_PID"); m1=$(machine_busy_ticks)
        fi
    fi
    local rss_end hwm
    rss_end=$(rss_kb "$SERVER_PID")
    hwm=$(hwm_kb "$SERVER_PID")
    wait "$LOADGEN_PID" || log "$label: load generator exited with status $?"
    LOADGEN_PID=
    stop_server

    keep_result "$out" "$SBS_OUT/$label.json" "$err" "$label"
    if [[ -n ${t0:-} && -n ${c1:-} ]]; then
        server_json "serverNice=$SBS_SERVER_NICE loadgenNice=$SBS_LOADGEN_NICE" >"$SBS_OUT/$label.server.json"
    fi
    # A little quiet between runs, so that one run's teardown is not the next one's load.
    sleep 2
}

# S6 against server $1: as many WebSocket clients as the machine allows, idle, then broadcast at 1/s and
# 5/s, then a reconnect storm (broker-bench's StormGenerator). The script reads memory and idle CPU in the
# idle hold, as in S5; the generator measures the rest, the storm's peak RSS and the probe included.
# Writes $OUT/<server>-S6.json (generator) and .server.json (server side).
run_s6() {
    local server=$1 label="$1-S6"
    local err="$SBS_OUT/$label.loadgen.err" out="$SBS_OUT/$label.loadgen.out" slog="$SBS_OUT/$label.server.log"
    local clients_var="SBS_S6_CLIENTS_$server" clients
    clients=${!clients_var:-$SBS_S6_CLIENTS}
    rm -f "$SBS_OUT/$label.json" "$SBS_OUT/$label.server.json" "$SBS_OUT/$label.histogram.txt"
    start_server "$server" "$slog" || return 0
    local rss_before heap_before probe=()
    rss_before=$(rss_kb "$SERVER_PID")
    heap_before=$(heap_kb "$server" "$SERVER_PID" "$slog")
    [[ -n $PROBE_URL ]] && probe=(--probe-url "$PROBE_URL")
    local args=(--clients "$clients" --rooms 1000 --connect-rate 1000 --ramp-timeout 60 --hold "$SBS_S6_HOLD"
                --broadcast-rates 1,5 --duration "$SBS_S6_PHASE" --drain 10 --storm-spread 5 --storm-timeout 90
                --io-threads 1 --server-pid "$SERVER_PID" "${probe[@]}")
    log "$label: ${args[*]}"
    local limit=$((clients / 1000 + 60 + SBS_S6_HOLD + 2 * (SBS_S6_PHASE + 10) + 90 + 60))
    timeout --signal=TERM "$limit" nice -n "$SBS_LOADGEN_NICE" java -cp "$LOADGEN_JAR" io.bayeuxd.bench.loadgen.StormGenerator \
        --url "$SERVER_URL" --label "$label" "${args[@]}" >"$out" 2>"$err" &
    LOADGEN_PID=$!

    local t0 t1 c0 c1 m0 m1 rss_with=-1 heap_with=-1
    measure_idle "$server" "$err" "$SBS_S6_SETTLE" "$slog" "$SBS_OUT/$label.histogram.txt"
    wait "$LOADGEN_PID" || log "$label: load generator exited with status $?"
    LOADGEN_PID=
    local rss_end hwm
    rss_end=$(rss_kb "$SERVER_PID")
    hwm=$(hwm_kb "$SERVER_PID")
    local alive=1
    kill -0 "$SERVER_PID" 2>/dev/null || alive=0
    stop_server

    keep_result "$out" "$SBS_OUT/$label.json" "$err" "$label"
    if [[ -n ${t0:-} && -n ${c1:-} ]]; then
        server_json "aliveAtEnd=$alive settleSec=$SBS_S6_SETTLE" >"$SBS_OUT/$label.server.json"
    fi
    sleep 2
}

machine_info() {
    {
        machine_lines
        echo "free -g:"
        free -g
        echo "java -version:"
        java -version 2>&1
        echo "node --version: $(node --version)"
        commit_line
        echo "version: $(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)"
    } >"$SBS_OUT/machine.txt"
}

main() {
    mkdir -p "$SBS_OUT/loadgen"
    rm -f "$SBS_OUT"/*.json
    if [[ $SBS_BUILD == 1 ]]; then build; fi
    for f in broker-transport/target/bayeuxd.jar "$LOADGEN_JAR" bench-cometd-server/target/cometd-server.jar bench/servers/faye/node_modules/faye/package.json; do
        [[ -e $f ]] || { log "missing $f: run with SBS_BUILD=1"; exit 1; }
    done
    if ! can_nice "$SBS_LOADGEN_NICE"; then
        log "cannot raise the generator's priority here: running it at 0 and the server at 5 instead"
        SBS_LOADGEN_NICE=0
        SBS_SERVER_NICE=5
    fi
    # S5 holds 10,000 sockets in the generator and as many in the server.
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    log "open-file limit $(ulimit -n); CLK_TCK $CLK_TCK"
    machine_info
    cat >"$SBS_OUT/settings.txt" <<EOF
SBS_SERVERS="$SBS_SERVERS" SBS_SCENARIOS="$SBS_SCENARIOS" SBS_DURATION=$SBS_DURATION SBS_WARMUP=$SBS_WARMUP SBS_DRAIN=$SBS_DRAIN SBS_S2_WINDOW=$SBS_S2_WINDOW SBS_IDLE_CLIENTS=$SBS_IDLE_CLIENTS SBS_HOLD=$SBS_HOLD SBS_TIMEOUT=$SBS_TIMEOUT SBS_LOADGEN_NICE=$SBS_LOADGEN_NICE SBS_SERVER_NICE=$SBS_SERVER_NICE SBS_RELAY_ARGS="$SBS_RELAY_ARGS" SBS_JVM_OPTS="$SBS_JVM_OPTS" SBS_BAYEUXD_ARGS="$SBS_BAYEUXD_ARGS" SBS_S6_CLIENTS=$SBS_S6_CLIENTS SBS_S6_PHASE=$SBS_S6_PHASE SBS_S6_HOLD=$SBS_S6_HOLD SBS_S6_SETTLE=$SBS_S6_SETTLE
EOF
    for server in $SBS_SERVERS; do
        for scn in $SBS_SCENARIOS; do
            if [[ $scn == S6 ]]; then run_s6 "$server"
            elif applicable "$server" "$scn"; then run_one "$server" "$scn"; fi
        done
    done
    log "writing $SBS_DOC"
    node bench/side-by-side-report.js "$SBS_OUT" "$SBS_DOC"
}

main "$@"
