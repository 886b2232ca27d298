#!/usr/bin/env bash
# What channel history costs under load: bayeuxd alone, S1 and S3 of bench/side-by-side.sh, with history
# off and with the last 1,000 messages of every channel kept (--history-channels '/**=1000'), alternated
# HB_ROUNDS times in one session. Writes docs/benchmarks-history.md; raw results in target/history/.
#
#   bench/history.sh
#
# Settings, all optional: HB_ROUNDS (default 2), HB_SCENARIOS (default "S1 S3"), HB_DURATION measured
# seconds per run (default 20), HB_BUILD 1 to build first (default 1). Every run is bounded by
# side-by-side.sh's own deadlines; only processes it started are stopped.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
: "${HB_ROUNDS:=2}"
: "${HB_SCENARIOS:=S1 S3}"
: "${HB_DURATION:=20}"
: "${HB_BUILD:=1}"
OUT=$ROOT/target/history
HISTORY_ARGS="--history-channels /**=1000"

if [[ $HB_BUILD == 1 ]]; then
    build_jars broker-transport,broker-bench,bench-cometd-server
    npm_install bench/servers/faye
fi
rm -rf "$OUT"
for round in $(seq 1 "$HB_ROUNDS"); do
    for mode in off on; do
        args=""
        [[ $mode == on ]] && args=$HISTORY_ARGS
        SBS_SERVERS=bayeuxd SBS_SCENARIOS="$HB_SCENARIOS" SBS_DURATION=$HB_DURATION SBS_BUILD=0 \
            SBS_BAYEUXD_ARGS="$args" SBS_OUT="$OUT/$mode-$round" SBS_DOC="$OUT/$mode-$round/report.md" \
            bench/side-by-side.sh
    done
done
node bench/history-report.js "$OUT" docs/benchmarks-history.md "$HISTORY_ARGS"
