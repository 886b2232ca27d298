#!/usr/bin/env bash
# Cross-node benchmark: scenarios S1 and S3 of the load generator across 1, 2 and 3 bayeuxd nodes on one
# Redis (--engine redis), and the same for Faye 1.4.3 with the faye-redis 0.2.0 engine on the same kind of
# Redis, on this machine, over loopback. Subscribers are spread over the nodes (round-robin within every
# channel), every publisher is on the first node. The CPU per delivery is summed over every broker process
# and the redis-server process. Writes docs/benchmarks-cluster.md; raw results go to target/cluster/.
#
#   bench/cluster.sh
#
# Everything is bounded: each scenario and node count has a fresh redis-server on a free port and its own
# nodes (bayeuxd's serve both transports in turn; Faye gets fresh ones and a fresh Redis per run), every
# load-generator run has a deadline, the whole script stops starting runs after CL_MAX_SECONDS, and it
# stops only the processes it started, by PID. Settings, all optional:
#
#   CL_SYSTEMS     what to run, in order (default "bayeuxd faye bayeuxd-memory relay"):
#                    bayeuxd         bayeuxd nodes with --engine redis
#                    faye            Faye NodeAdapter processes with the faye-redis engine
#                    bayeuxd-memory  one bayeuxd node with the in-memory engine and no Redis (a reference)
#                    relay           the load generator's relay (canned meta replies, publications forwarded
#                                    verbatim, one event loop): what writing the deliveries alone costs, the
#                                    ceiling for any server on this machine; one node, S3 and S3L only
#   CL_NODES       node counts (default "1 2 3"; bayeuxd-memory and relay run only 1)
#   CL_SCENARIOS   scenarios (default "S1 S3 S3L"; S3L is S3 at a quarter of the rate, which Faye keeps up with)
#   CL_TRANSPORTS  transports (default "websocket long-polling")
#   CL_MEMORY_TRANSPORTS  transports of the bayeuxd-memory and relay references (default "websocket"; the
#                  relay speaks WebSocket only)
#   CL_DURATION    measured seconds per run, whole (default 15)
#   CL_WARMUP      warm-up seconds per run, whole (default 20: after 8 s, the JIT compiler still took a fifth
#                  of a long-polling Redis-engine node's CPU in the measured window, in a perf profile of S3)
#   CL_DRAIN       seconds to wait for stragglers (default 3)
#   CL_TIMEOUT     /meta/connect hold of every node, seconds (default 30)
#   CL_LOADGEN_NICE, CL_SERVER_NICE  niceness of the generator and of the servers and Redis
#                  (default -5 and 0, as bench/side-by-side.sh; without root: 0 and 5)
#   CL_JVM_OPTS    JVM options of every bayeuxd node (default none)
#   CL_NODE_ARGS   extra options of every bayeuxd node (default none)
#   CL_REDIS_MAXMEMORY  Redis' maxmemory (default 2gb, noeviction: a backlog cannot grow without bound)
#   CL_QUIET_CORES, CL_QUIET_WAIT  before each run, wait up to CL_QUIET_WAIT seconds (default 5) for a
#                  second in which the machine is busier than CL_QUIET_CORES cores (default 0.5) no more: the
#                  machine is shared, and a run that starts while others' builds run measures them too
#   CL_MAX_SECONDS no run starts after this many seconds (default 2700; about 32 minutes are enough on an
#                  idle machine, the rest is for a busy one)
#   CL_BUILD       1 to build first, 0 to use what is built (default 1)
#   CL_OUT         raw results directory (default target/cluster)
#   CL_DOC         the report (default docs/benchmarks-cluster.md)
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

: "${CL_SYSTEMS:=bayeuxd faye bayeuxd-memory relay}"
: "${CL_NODES:=1 2 3}"
: "${CL_SCENARIOS:=S1 S3 S3L}"
: "${CL_TRANSPORTS:=websocket long-polling}"
: "${CL_MEMORY_TRANSPORTS:=websocket}"
: "${CL_DURATION:=15}"
: "${CL_WARMUP:=20}"
: "${CL_DRAIN:=3}"
: "${CL_TIMEOUT:=30}"
: "${CL_LOADGEN_NICE:=-5}"
: "${CL_SERVER_NICE:=0}"
: "${CL_JVM_OPTS:=}"
: "${CL_NODE_ARGS:=}"
: "${CL_REDIS_MAXMEMORY:=2gb}"
: "${CL_MAX_SECONDS:=2700}"
: "${CL_QUIET_CORES:=0.5}"
: "${CL_QUIET_WAIT:=5}"
: "${CL_BUILD:=1}"
: "${CL_OUT:=$ROOT/target/cluster}"
: "${CL_DOC:=$ROOT/docs/benchmarks-cluster.md}"

LOADGEN_JAR=broker-bench/target/loadgen.jar
BROKER_JAR=broker-transport/target/bayeuxd.jar
FAYE_DIR=bench/servers/faye-redis
REDIS_PID=
REDIS_PORT=
NODE_PIDS=()
NODE_PORTS=()
LOADGEN_PID=
PREVIOUS_LABEL=

stop_on_exit stop_all

build() {
    log "building the broker and the load generator"
    build_jars broker-transport,broker-bench
    log "installing Faye with faye-redis (npm ci)"
    npm_install "$FAYE_DIR"
}

stop_all() {
    local pid
    for pid in "${NODE_PIDS[@]}"; do stop_pid "$pid"; done
    NODE_PIDS=()
    NODE_PORTS=()
    if [[ -n $REDIS_PID ]]; then stop_pid "$REDIS_PID"; fi
    REDIS_PID=
    REDIS_PORT=
}

# A fresh redis-server on a free loopback port, nothing saved, logging to $1.
start_redis() {
    REDIS_PORT=$(free_port)
    nice -n "$CL_SERVER_NICE" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode yes --save '' \
        --appendonly no --daemonize no --maxmemory "$CL_REDIS_MAXMEMORY" --maxmemory-policy noeviction \
        --loglevel warning >"$1" 2>&1 &
    REDIS_PID=$!
    await_port "$REDIS_PID" "$REDIS_PORT" || { log "redis-server did not come up; see $1"; return 1; }
}

# Starts one node of system $1, logging to $2, without waiting; adds its PID and port to NODE_PIDS and NODE_PORTS.
start_node() {
    local system=$1 logfile=$2 port pid
    port=$(free_port)
    case $system in
        # shellcheck disable=SC2086
        bayeuxd)        nice -n "$CL_SERVER_NICE" java $CL_JVM_OPTS -jar "$BROKER_JAR" --engine redis --redis-url "redis://127.0.0.1:$REDIS_PORT" \
                            --port "$port" --host 127.0.0.1 --timeout "$CL_TIMEOUT" $CL_NODE_ARGS >"$logfile" 2>&1 & ;;
        # shellcheck disable=SC2086
        bayeuxd-memory) nice -n "$CL_SERVER_NICE" java $CL_JVM_OPTS -jar "$BROKER_JAR" --engine memory \
                            --port "$port" --host 127.0.0.1 --timeout "$CL_TIMEOUT" $CL_NODE_ARGS >"$logfile" 2>&1 & ;;
        relay)          nice -n "$CL_SERVER_NICE" java $CL_JVM_OPTS -cp "$LOADGEN_JAR" io.bayeuxd.bench.relay.RelayServer \
                            --port "$port" --host 127.0.0.1 --timeout "$CL_TIMEOUT" --io-threads 1 >"$logfile" 2>&1 & ;;
        faye)           nice -n "$CL_SERVER_NICE" node "$FAYE_DIR/faye-redis-server.js" --port "$port" --host 127.0.0.1 \
                            --redis-port "$REDIS_PORT" --timeout "$CL_TIMEOUT" >"$logfile" 2>&1 & ;;
        *) log "unknown system $system"; return 1 ;;
    esac
    pid=$!
    NODE_PIDS+=("$pid")
    NODE_PORTS+=("$port")
}

# Waits for every node started (they start side by side: a JVM takes seconds to start on a busy machine).
await_nodes() {
    local i
    for i in "${!NODE_PIDS[@]}"; do
        await_port "${NODE_PIDS[$i]}" "${NODE_PORTS[$i]}" || { log "node $i did not come up on port ${NODE_PORTS[$i]}; see $CL_OUT"; return 1; }
    done
}

# Ticks of every node, space-separated, then of Redis (0 without one).
node_ticks() { local pid out=(); for pid in "${NODE_PIDS[@]}"; do out+=("$(cpu_ticks "$pid")"); done; echo "${out[*]}"; }
redis_ticks() { if [[ -n $REDIS_PID ]]; then cpu_ticks "$REDIS_PID"; else echo 0; fi; }

# Load-generator options of scenario $1 over transport $2 (without --url and --label): side-by-side's S1
# and S3, with a faster handshake ramp so that short runs stay short.
scenario_args() {
    local common=(--io-threads 1 --warmup "$CL_WARMUP" --duration "$CL_DURATION" --drain "$CL_DRAIN" --ramp-timeout 30
        --connect-rate 1000 --transport "$2")
    case $1 in
        S1) echo "${common[@]} --clients 1000 --channels 1 --publishers 1 --rate 200 --size 100" ;;
        S3) echo "${common[@]} --clients 2000 --channels 200 --publishers 200 --rate 2000 --size 200" ;;
        S3L) echo "${common[@]} --clients 2000 --channels 200 --publishers 200 --rate 500 --size 200" ;;
        *) log "unknown scenario $1"; return 1 ;;
    esac
}

# The cluster metrics of every bayeuxd node, to $1 (one "node N" header per node).
save_metrics() {
    local i
    for i in "${!NODE_PORTS[@]}"; do
        echo "node $i"
        timeout 5 curl -s "http://127.0.0.1:${NODE_PORTS[$i]}/metrics" | grep -E '^bayeux_cluster_[a-z_]+(_total)? ' || true
    done >"$1"
}

# One run: system $1, $2 nodes, scenario $3, transport $4. Writes $CL_OUT/<label>.json (generator) and
# <label>.server.json (CPU of the nodes and Redis over the measured window).
run_one() {
    local system=$1 nodes=$2 scn=$3 transport=$4
    local label="$system-${nodes}n-$scn-$transport"
    local err="$CL_OUT/$label.loadgen.err" out="$CL_OUT/$label.loadgen.out" args limit urls=() i
    rm -f "$CL_OUT/$label".*
    # Before anything of this run starts (a JVM starting is busy for seconds); reused nodes are idle here.
    local busy_before
    busy_before=$(await_quiet "$CL_QUIET_WAIT" "$CL_QUIET_CORES")
    if ((${#NODE_PIDS[@]} == 0)); then
        if [[ $system == bayeuxd || $system == faye ]]; then start_redis "$CL_OUT/$label.redis.log" || { stop_all; return 0; }; fi
        for ((i = 0; i < nodes; i++)); do
            start_node "$system" "$CL_OUT/$label.node$i.log" || { stop_all; return 0; }
        done
        await_nodes || { stop_all; return 0; }
        sleep 1 # let the nodes finish starting before anything is read
    else
        echo "the nodes of the previous run ($PREVIOUS_LABEL) go on: see its logs" >"$CL_OUT/$label.node0.log"
    fi
    PREVIOUS_LABEL=$label
    if [[ $system == bayeuxd* ]]; then save_metrics "$CL_OUT/$label.metrics-before.txt"; fi
    for i in "${NODE_PORTS[@]}"; do urls+=("http://127.0.0.1:$i/"); done
    args=$(scenario_args "$scn" "$transport")
    log "$label: ${urls[*]} (machine busy on $busy_before cores just before)"
    limit=$((CL_WARMUP + CL_DURATION + CL_DRAIN + 90))
    # shellcheck disable=SC2086
    timeout --signal=TERM "$limit" nice -n "$CL_LOADGEN_NICE" java -jar "$LOADGEN_JAR" --url "$(IFS=,; echo "${urls[*]}")" \
        --label "$label" --out "$CL_OUT/loadgen" $args >"$out" 2>"$err" &
    LOADGEN_PID=$!

    local line t0 t1 n0 n1 r0 r1 m0 m1 rss=0
    # The measurement window starts a warm-up after publishing did.
    line=$(await_line "$LOADGEN_PID" "$err" '^\[(warmup |measure)\] t=' 120)
    if [[ -n $line ]]; then
        local start
        start=$(window_start_ns "$line" "$CL_WARMUP")
        sleep_until_ns "$start"
        t0=$(now_ns); n0=$(node_ticks); r0=$(redis_ticks); m0=$(machine_busy_ticks)
        sleep_until_ns $((start + CL_DURATION * 1000000000))
        t1=$(now_ns); n1=$(node_ticks); r1=$(redis_ticks); m1=$(machine_busy_ticks)
        for i in "${NODE_PIDS[@]}" $REDIS_PID; do rss=$((rss + $(rss_kb "$i"))); done
    fi
    wait "$LOADGEN_PID" || log "$label: load generator exited with status $?"
    LOADGEN_PID=
    if [[ $system == bayeuxd* ]]; then save_metrics "$CL_OUT/$label.metrics.txt"; fi
    # Faye's processes may still be working off a backlog: every Faye run gets fresh ones (and a fresh Redis).
    if [[ $system == faye ]]; then stop_all; fi

    keep_result "$out" "$CL_OUT/$label.json" "$err" "$label"
    if [[ -n ${t1:-} ]]; then
        awk -v n0="$n0" -v n1="$n1" -v r0="$r0" -v r1="$r1" -v m0="$m0" -v m1="$m1" -v t0="$t0" -v t1="$t1" \
            -v hz="$CLK_TCK" -v rss="$rss" -v nodes="$nodes" -v quiet="$busy_before" 'BEGIN {
            wall = (t1 - t0) / 1e9; k = split(n0, a, " "); split(n1, b, " "); brokers = 0; gone = 0; per = "";
            for (i = 1; i <= k; i++) {
                if (a[i] < 0 || b[i] < 0) gone = 1;
                c = (b[i] - a[i]) / hz; brokers += c; per = per (i > 1 ? "," : "") sprintf("%.3f", c);
            }
            rc = (r1 - r0) / hz; if (r0 < 0 || r1 < 0) gone = 1;
            printf "{\"nodes\":%d,\"windowSec\":%.3f,\"brokersCpuSec\":%.3f,\"nodeCpuSec\":[%s],\"redisCpuSec\":%.3f,\"cpuSec\":%.3f,\"cores\":%.4f,\"machineCores\":%.4f,\"rssKb\":%d,\"processGone\":%s,\"busyCoresBefore\":%.2f}\n",
                nodes, wall, brokers, per, rc, brokers + rc, (wall > 0 ? (brokers + rc) / wall : 0), (wall > 0 ? (m1 - m0) / hz / wall : 0), rss, (gone ? "true" : "false"), quiet }' \
            >"$CL_OUT/$label.server.json"
    fi
    sleep 1 # a little quiet between runs
}

machine_info() {
    {
        machine_lines
        echo "java: $(java -version 2>&1 | head -1)"
        echo "node: $(node --version)"
        echo "redis-server: $(redis-server --version | sed 's/ sha=.*//')"
        echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
        commit_line
    } >"$CL_OUT/machine.txt"
}

main() {
    local began=$SECONDS system nodes scn transport skipped=0
    mkdir -p "$CL_OUT/loadgen"
    rm -f "$CL_OUT"/*.json "$CL_OUT"/*.txt
    if [[ $CL_BUILD == 1 ]]; then build; fi
    for f in "$BROKER_JAR" "$LOADGEN_JAR" "$FAYE_DIR/node_modules/faye-redis/package.json"; do
        [[ -e $f ]] || { log "missing $f: run with CL_BUILD=1"; exit 1; }
    done
    command -v redis-server >/dev/null || { log "redis-server is not installed (Debian: apt-get install redis-server)"; exit 1; }
    if ! can_nice "$CL_LOADGEN_NICE"; then
        log "cannot raise the generator's priority here: running it at 0 and the servers at 5 instead"
        CL_LOADGEN_NICE=0
        CL_SERVER_NICE=5
    fi
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    machine_info
    cat >"$CL_OUT/settings.txt" <<EOF
CL_SYSTEMS="$CL_SYSTEMS" CL_NODES="$CL_NODES" CL_SCENARIOS="$CL_SCENARIOS" CL_TRANSPORTS="$CL_TRANSPORTS" CL_MEMORY_TRANSPORTS="$CL_MEMORY_TRANSPORTS" CL_DURATION=$CL_DURATION CL_WARMUP=$CL_WARMUP CL_DRAIN=$CL_DRAIN CL_TIMEOUT=$CL_TIMEOUT CL_LOADGEN_NICE=$CL_LOADGEN_NICE CL_SERVER_NICE=$CL_SERVER_NICE CL_JVM_OPTS="$CL_JVM_OPTS" CL_NODE_ARGS="$CL_NODE_ARGS" CL_REDIS_MAXMEMORY=$CL_REDIS_MAXMEMORY CL_QUIET_CORES=$CL_QUIET_CORES CL_QUIET_WAIT=$CL_QUIET_WAIT
EOF
    # A JVM takes seconds to start on a busy 2-core machine: bayeuxd's nodes (and Redis) serve every
    # transport of one scenario and node count in turn, WebSocket first; Faye's are fresh for each run.
    # The references (bayeuxd-memory, relay) come last: if time runs out, they are what is skipped.
    local systems=" $CL_SYSTEMS " reference
    for reference in bayeuxd-memory relay; do
        if [[ $systems == *" $reference "* ]]; then systems="${systems/ $reference / } $reference "; fi
    done
    for scn in $CL_SCENARIOS; do
        for system in $systems; do
            for nodes in $CL_NODES; do
                for transport in $CL_TRANSPORTS; do
                    if [[ $system == bayeuxd-memory || $system == relay ]] && [[ $nodes != 1 || " $CL_MEMORY_TRANSPORTS " != *" $transport "* ]]; then continue; fi
                    if [[ $system == relay && ($scn == S1 || $transport != websocket) ]]; then continue; fi
                    if ((SECONDS - began >= CL_MAX_SECONDS)); then
                        log "CL_MAX_SECONDS ($CL_MAX_SECONDS) reached: skipping $system-${nodes}n-$scn-$transport"
                        echo "$system-${nodes}n-$scn-$transport" >>"$CL_OUT/skipped.txt"
                        skipped=$((skipped + 1))
                        continue
                    fi
                    run_one "$system" "$nodes" "$scn" "$transport"
                done
                stop_all
            done
        done
    done
    log "runs took $((SECONDS - began)) s; $skipped skipped; writing $CL_DOC"
    node bench/cluster-report.js "$CL_OUT" "$CL_DOC"
}

main "$@"
