#!/usr/bin/env bash
# How many event loops a node should run: one bayeuxd node (in-memory engine) under scenarios S1, S2 and
# S3 of the load generator over WebSocket, with each --io-threads value in turn, the values alternating
# round by round so that a change in the machine's load hits all of them. Prints one line per run: the
# node's CPU (user + system, core-seconds over EL_SAMPLE seconds of the measured window), what was
# delivered per second, the p99 and what was lost.
#
#   bench/event-loops.sh
#
# Bounded: every generator run has a deadline, and the script stops the node and the generator it
# started, by PID, however it ends. Settings, all optional:
#
#   EL_THREADS    --io-threads values (default "1 2 4")
#   EL_SCENARIOS  scenarios (default "S1 S2 S3")
#   EL_ROUNDS     rounds (default 2)
#   EL_WARMUP     warm-up seconds before the window (default 10)
#   EL_SAMPLE     seconds of the window sampled (default 10)
#   EL_BUILD      1 to build first (default 1)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

: "${EL_THREADS:=1 2 4}"
: "${EL_SCENARIOS:=S1 S2 S3}"
: "${EL_ROUNDS:=2}"
: "${EL_WARMUP:=10}"
: "${EL_SAMPLE:=10}"
: "${EL_BUILD:=1}"
OUT=$ROOT/target/event-loops
mkdir -p "$OUT"

if [[ $EL_BUILD == 1 ]]; then log "building the broker and the load generator"; build_jars broker-transport,broker-bench; fi
SERVER_PID=
LOADGEN_PID=
stop_on_exit stop_server

# side-by-side.sh's scenarios (S2: as fast as a window of 1,000 unanswered publications allows)
scenario_args() {
    case $1 in
        S1) echo "--clients 1000 --channels 1 --publishers 1 --rate 200 --size 100" ;;
        S2) echo "--clients 1000 --channels 1 --publishers 1 --rate 0 --window 1000 --size 100" ;;
        S3) echo "--clients 2000 --channels 200 --publishers 200 --rate 2000 --size 200" ;;
        *) log "unknown scenario $1"; return 1 ;;
    esac
}

# One run: scenario $1, --io-threads $2.
run() {
    local scn=$1 threads=$2 port before after label="$1-io$2-r$3"
    port=$(free_port)
    java -jar broker-transport/target/bayeuxd.jar --port "$port" --io-threads "$threads" >"$OUT/$label.node.log" 2>&1 &
    SERVER_PID=$!
    await_port "$SERVER_PID" "$port" || { log "the node did not start: see $OUT/$label.node.log"; return 1; }
    # shellcheck disable=SC2046 # the scenario's options are words
    timeout --signal=TERM $((EL_WARMUP + EL_SAMPLE + 120)) java -jar broker-bench/target/loadgen.jar \
        --url "http://127.0.0.1:$port/" --label "$label" --out "$OUT" --io-threads 1 --ramp-timeout 30 --connect-rate 1000 \
        --transport websocket --warmup "$EL_WARMUP" --duration $((EL_SAMPLE + 2)) --drain 3 $(scenario_args "$scn") \
        >"$OUT/$label.out" 2>"$OUT/$label.err" &
    LOADGEN_PID=$!
    [[ -n $(await_line "$LOADGEN_PID" "$OUT/$label.err" '^\[measure\]') ]] || { log "no measured window: see $OUT/$label.err"; return 1; }
    before=$(cpu_ticks "$SERVER_PID")
    sleep "$EL_SAMPLE"
    after=$(cpu_ticks "$SERVER_PID")
    wait "$LOADGEN_PID" || true
    LOADGEN_PID=
    stop_server
    node -e '
        const r = JSON.parse(require("fs").readFileSync(0, "utf8").trim().split("\n").pop());
        const [scn, threads, ticks, hz, sample] = process.argv.slice(1);
        console.log([scn, threads, (ticks / hz).toFixed(2), r.deliveredPerSec, r.p99Ms, r.lost, r.loadgenCpuCores].join(" "));
    ' "$scn" "$threads" $((after - before)) "$CLK_TCK" "$EL_SAMPLE" <"$OUT/$label.out"
}

echo "scenario io-threads node-core-seconds-in-${EL_SAMPLE}s delivered/s p99-ms lost generator-cores"
for round in $(seq 1 "$EL_ROUNDS"); do
    for scn in $EL_SCENARIOS; do
        for threads in $EL_THREADS; do run "$scn" "$threads" "$round"; done
    done
done
