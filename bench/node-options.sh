#!/usr/bin/env bash
# Two or more option sets of a bayeuxd node (Redis engine) or of its JVM, side by side: bench/cluster.sh runs each
# set in turn, for each node count and scenario, and the sets alternate round by round so that a change
# in the machine's load hits all of them. Prints one line per run from the runs' reports: the CPU per
# delivery summed over the nodes and Redis, the latency, and what was lost.
#
#   NO_SETS="--io-threads=1|--io-threads=2" bench/node-options.sh
#
# Bounded: each bench/cluster.sh run is (see there). Settings, all optional:
#
#   NO_SETS       option sets, separated by "|" (default "--io-threads=1|--io-threads=2");
#                 an empty set runs the defaults
#   NO_FOR        node to pass each set to the node (CL_NODE_ARGS), jvm to its JVM (CL_JVM_OPTS), e.g.
#                 NO_FOR=jvm NO_SETS="-XX:+UseG1GC|-XX:+UseParallelGC" (default node)
#   NO_NODES      node counts (default "1 3")
#   NO_SCENARIOS  scenarios of bench/cluster.sh (default "S3 S3L")
#   NO_TRANSPORT  websocket or long-polling (default websocket)
#   NO_ROUNDS     rounds (default 2)
#   NO_BUILD      1 to build first (default 1)
# and bench/cluster.sh's own CL_ settings (CL_DURATION, CL_WARMUP, ...), apart from those this sets.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

: "${NO_SETS:=--io-threads=1|--io-threads=2}"
: "${NO_FOR:=node}"
: "${NO_NODES:=1 3}"
: "${NO_SCENARIOS:=S3 S3L}"
: "${NO_TRANSPORT:=websocket}"
: "${NO_ROUNDS:=2}"
: "${NO_BUILD:=1}"
OUT=$ROOT/target/node-options
mkdir -p "$OUT"
IFS='|' read -r -a sets <<<"$NO_SETS"
case $NO_FOR in node | jvm) ;; *) log "NO_FOR is node or jvm, not $NO_FOR"; exit 1 ;; esac

if [[ $NO_BUILD == 1 ]]; then log "building the broker and the load generator"; build_jars broker-transport,broker-bench; fi

echo "round nodes scenario options | µs-per-delivery nodes-cores redis-cores p50-ms p99-ms lost"
for round in $(seq 1 "$NO_ROUNDS"); do
    for nodes in $NO_NODES; do
        for scn in $NO_SCENARIOS; do
            for i in "${!sets[@]}"; do
                label="r$round-${nodes}n-$scn-set$i"
                node_args=${CL_NODE_ARGS:-} jvm_opts=${CL_JVM_OPTS:-}
                if [[ $NO_FOR == node ]]; then node_args=${sets[$i]}; else jvm_opts=${sets[$i]}; fi
                CL_BUILD=0 CL_SYSTEMS=bayeuxd CL_NODES="$nodes" CL_SCENARIOS="$scn" CL_TRANSPORTS="$NO_TRANSPORT" \
                    CL_NODE_ARGS="$node_args" CL_JVM_OPTS="$jvm_opts" CL_OUT="$OUT/$label" CL_DOC="$OUT/$label.md" \
                    bench/cluster.sh >"$OUT/$label.log" 2>&1 || { log "run $label failed: see $OUT/$label.log"; continue; }
                # The report's row: | system | nodes | delivered | arriving | lost | errors | p50 | p99 | p99.9 | max |
                # nodes CPU | Redis CPU | deliveries per CPU-s | µs per delivery | ...
                row=$(grep -m1 '^| bayeuxd (Redis engine) |' "$OUT/$label.md" || true)
                if [[ -z $row ]]; then log "run $label has no result: see $OUT/$label.log"; continue; fi
                awk -F'|' -v r="$round" -v n="$nodes" -v s="$scn" -v o="${sets[$i]:-(defaults)}" \
                    '{gsub(/ /, "", $0); print r, n, s, o, "|", $15, $12, $13, $8, $9, $6}' <<<"$row"
            done
        done
    done
done
