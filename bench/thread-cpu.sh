#!/usr/bin/env bash
# Where a node's CPU goes, thread by thread: one bayeuxd node (in-memory engine) under scenario S3 of the
# load generator (2,000 WebSocket clients over 200 channels, 2,000 msg/s, 20,000 deliveries/s), and the
# user and system CPU of each of its threads over TC_SAMPLE seconds of the measured window, from
# /proc/PID/task. Prints one line per busy thread (core-seconds: total, user, system) and the run's JSON.
#
#   bench/thread-cpu.sh
#
# Bounded: the generator has a deadline, and the script stops the node and the generator it started, by
# PID, however it ends. Settings, all optional:
#
#   TC_WARMUP     warm-up seconds before the window (default 8)
#   TC_SAMPLE     seconds sampled inside the window (default 10)
#   TC_TRANSPORT  websocket or long-polling (default websocket)
#   TC_NODE_ARGS  extra options of the node, e.g. "--io-threads 1" (default none)
#   TC_BUILD      1 to build first (default 1)
#   TC_PERF       1 to sample the node with perf (linux-perf) over the same seconds too, and print the
#                 share of its CPU spent in the send and writev system calls: on loopback they include the
#                 receiving client's TCP work, the cost a delivery written by itself cannot avoid (default 0)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

: "${TC_WARMUP:=8}"
: "${TC_SAMPLE:=10}"
: "${TC_TRANSPORT:=websocket}"
: "${TC_NODE_ARGS:=}"
: "${TC_BUILD:=1}"
: "${TC_PERF:=0}"
if [[ $TC_PERF == 1 ]] && ! command -v perf >/dev/null; then log "TC_PERF=1 needs perf (Debian: linux-perf)"; exit 1; fi
OUT=$ROOT/target/thread-cpu
mkdir -p "$OUT"

if [[ $TC_BUILD == 1 ]]; then log "building the broker and the load generator"; build_jars broker-transport,broker-bench; fi
SERVER_PID=
LOADGEN_PID=
stop_on_exit stop_server

port=$(free_port)
# shellcheck disable=SC2086
java -jar broker-transport/target/bayeuxd.jar --port "$port" $TC_NODE_ARGS >"$OUT/node.log" 2>&1 &
SERVER_PID=$!
await_port "$SERVER_PID" "$port" || { log "the node did not start: see $OUT/node.log"; exit 1; }

duration=$((TC_SAMPLE + 5))
timeout --signal=TERM $((TC_WARMUP + duration + 90)) java -jar broker-bench/target/loadgen.jar \
    --url "http://127.0.0.1:$port/" --label thread-cpu --out "$OUT" --io-threads 1 --ramp-timeout 30 \
    --connect-rate 1000 --transport "$TC_TRANSPORT" --warmup "$TC_WARMUP" --duration "$duration" --drain 3 \
    --clients 2000 --channels 200 --publishers 200 --rate 2000 --size 200 >"$OUT/loadgen.out" 2>"$OUT/loadgen.err" &
LOADGEN_PID=$!
[[ -n $(await_line "$LOADGEN_PID" "$OUT/loadgen.err" '^\[measure\]') ]] || { log "no measured window: see $OUT/loadgen.err"; exit 1; }

# name, user ticks, system ticks of every thread of the node
threads() {
    local t
    for t in /proc/"$SERVER_PID"/task/*; do
        printf '%s %s\n' "$(basename "$t")" "$(sed 's/^.*) //' "$t/stat" 2>/dev/null | awk '{print $12, $13}')"
    done
}
names() { local t; for t in /proc/"$SERVER_PID"/task/*; do printf '%s %s\n' "$(basename "$t")" "$(tr ' ' '_' <"$t/comm")"; done; }
threads | sort >"$OUT/before.txt"
if [[ $TC_PERF == 1 ]]; then
    perf record -q -F 999 -g -p "$SERVER_PID" -o "$OUT/perf.data" -- sleep "$TC_SAMPLE" >/dev/null 2>&1
else
    sleep "$TC_SAMPLE"
fi
threads | sort >"$OUT/after.txt"
names | sort >"$OUT/names.txt"
echo "core-seconds over $TC_SAMPLE s of the window: total user system thread"
join "$OUT/before.txt" "$OUT/after.txt" | join - "$OUT/names.txt" \
    | awk -v hz="$CLK_TCK" '{u = ($4 - $2) / hz; s = ($5 - $3) / hz; if (u + s > 0) printf "%.2f %.2f %.2f %s\n", u + s, u, s, $6}' \
    | sort -rn
if [[ $TC_PERF == 1 ]]; then
    # Shares of all samples (children included) under the send-side system calls and under epoll_wait.
    perf report -i "$OUT/perf.data" --children -g none --sort sym 2>/dev/null >"$OUT/perf.txt"
    share() { awk -v s="$1" '$NF == s {p = $1} END {print p == "" ? "0%" : p}' "$OUT/perf.txt"; }
    echo "perf: of the node's sampled CPU, send $(share __x64_sys_sendto), writev $(share __x64_sys_writev)," \
        "recv $(share __x64_sys_recvfrom), epoll_wait $(share __x64_sys_epoll_pwait2) (all of perf's report: $OUT/perf.txt)"
fi
wait "$LOADGEN_PID" || true
LOADGEN_PID=
tail -1 "$OUT/loadgen.out"
