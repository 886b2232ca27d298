#!/usr/bin/env bash
# Bounded soak of bayeuxd: starts a broker on loopback, runs the soak driver against it (well-behaved
# WebSocket clients with tracked deliveries, churn over WebSocket and long-polling, slow consumers,
# garbage), samples the broker's RSS, heap, descriptors and sessions every 5 s, and checks at the end
# that nothing was lost and that descriptors and sessions came back. Not part of `mvn verify`.
#
#   bench/soak.sh                                   # 10 minutes, 10,000 clients
#   SOAK_SECONDS=60 SOAK_CLIENTS=1000 bench/soak.sh # a short one
#
# Settings (environment):
#   SOAK_SECONDS=600        load duration (after the ramp; drain, settle and disconnect add ~1-2 min)
#   SOAK_CLIENTS=10000      well-behaved WebSocket subscribers
#   SOAK_CHANNELS=100       channels they spread over
#   SOAK_RATE=200           messages/s over those channels, all publishers together
#   SOAK_CHURN_RATE=20      churned clients started per second
#   SOAK_SLOW=5             slow consumers alive at once
#   SOAK_GARBAGE_RATE=2     garbage probes per second
#   SOAK_TIMEOUT=10         broker --timeout (s): held connects; abandoned sessions expire after twice it
#   SOAK_PORT=18765         broker port (127.0.0.1 only)
#   SOAK_OUT=target/soak/<date>  output directory: soak.csv, soak.svg, summary.txt, broker.log
#   SOAK_BROKER_JAVA_OPTS="-Xmx1g"  JVM options of the broker
#   SOAK_DRIVER_JAVA_OPTS="-Xmx1g"  JVM options of the driver
#   SOAK_BUILD=1            build the jars first (reactor package, never install)
#   SOAK_ARGS=""            extra driver options (see: java -cp broker-bench/target/loadgen.jar io.bayeuxd.bench.soak.SoakMain --help)
#
# Exit status: the driver's (0 passed, 1 a check failed, 2 bad options, 3 could not start), or 4 when
# the broker could not be started.
set -euo pipefail
cd "$(dirname "$0")/.."

SOAK_SECONDS=${SOAK_SECONDS:-600}
SOAK_CLIENTS=${SOAK_CLIENTS:-10000}
SOAK_CHANNELS=${SOAK_CHANNELS:-100}
SOAK_RATE=${SOAK_RATE:-200}
SOAK_CHURN_RATE=${SOAK_CHURN_RATE:-20}
SOAK_SLOW=${SOAK_SLOW:-5}
SOAK_GARBAGE_RATE=${SOAK_GARBAGE_RATE:-2}
SOAK_TIMEOUT=${SOAK_TIMEOUT:-10}
SOAK_PORT=${SOAK_PORT:-18765}
SOAK_OUT=${SOAK_OUT:-target/soak/$(date +%Y%m%d-%H%M%S)}
SOAK_BROKER_JAVA_OPTS=${SOAK_BROKER_JAVA_OPTS:--Xmx1g}
SOAK_DRIVER_JAVA_OPTS=${SOAK_DRIVER_JAVA_OPTS:--Xmx1g}
SOAK_BUILD=${SOAK_BUILD:-0}
SOAK_ARGS=${SOAK_ARGS:-}

BROKER_JAR=broker-transport/target/bayeuxd.jar
DRIVER_JAR=broker-bench/target/loadgen.jar

if [[ "$SOAK_BUILD" == 1 || ! -f "$BROKER_JAR" || ! -f "$DRIVER_JAR" ]]; then
    echo "soak: building the broker and the driver (reactor package)"
    mvn -B -q -ntp -pl broker-transport,broker-bench -am package -DskipTests
fi

# One descriptor per client on each side, plus the churn, plus room.
needed_fds=$(( SOAK_CLIENTS + 2000 ))
hard_fds=$(ulimit -Hn)
if [[ "$hard_fds" != unlimited && "$hard_fds" -lt "$needed_fds" ]]; then
    echo "soak: the hard descriptor limit ($hard_fds) is below the $needed_fds needed for $SOAK_CLIENTS clients" >&2
    exit 2
fi
ulimit -n "$hard_fds"

mkdir -p "$SOAK_OUT"
if (exec 3<>"/dev/tcp/127.0.0.1/$SOAK_PORT") 2>/dev/null; then
    echo "soak: something already listens on 127.0.0.1:$SOAK_PORT; set SOAK_PORT" >&2
    exit 4
fi

{
    echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "host:    $(uname -srm), $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM"
    echo "cpu:     $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "java:    $(java -version 2>&1 | head -1)"
    echo "ulimit:  -n $(ulimit -n)"
    echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min, at start)"
    echo "broker:  java $SOAK_BROKER_JAVA_OPTS -jar $BROKER_JAR --host 127.0.0.1 --port $SOAK_PORT --timeout $SOAK_TIMEOUT"
} > "$SOAK_OUT/machine.txt"
cat "$SOAK_OUT/machine.txt"

# shellcheck disable=SC2086  # the options are words on purpose
java $SOAK_BROKER_JAVA_OPTS -jar "$BROKER_JAR" --host 127.0.0.1 --port "$SOAK_PORT" --timeout "$SOAK_TIMEOUT" \
    > "$SOAK_OUT/broker.log" 2>&1 &
BROKER_PID=$!
echo "$BROKER_PID" > "$SOAK_OUT/broker.pid"
echo "soak: broker pid $BROKER_PID on 127.0.0.1:$SOAK_PORT, log $SOAK_OUT/broker.log"

stop_broker() {
    if kill -0 "$BROKER_PID" 2>/dev/null; then
        kill -TERM "$BROKER_PID" 2>/dev/null || true
        # The drain takes at most its timeout (10 s); then it is killed.
        for _ in $(seq 1 30); do
            kill -0 "$BROKER_PID" 2>/dev/null || return 0
            sleep 0.5
        done
        echo "soak: broker $BROKER_PID did not stop; killing it" >&2
        kill -KILL "$BROKER_PID" 2>/dev/null || true
    fi
}
trap stop_broker EXIT

# The driver ends by itself; the outer bound is the load plus generous time for every phase around it.
driver_limit=$(( SOAK_SECONDS + SOAK_CLIENTS / 100 + 10 * SOAK_TIMEOUT + 600 ))
status=0
# shellcheck disable=SC2086
timeout --signal=TERM --kill-after=30 "$driver_limit" \
    java $SOAK_DRIVER_JAVA_OPTS -cp "$DRIVER_JAR" io.bayeuxd.bench.soak.SoakMain \
        --url "http://127.0.0.1:$SOAK_PORT/" --broker-pid "$BROKER_PID" --broker-timeout "$SOAK_TIMEOUT" \
        --duration "$SOAK_SECONDS" --clients "$SOAK_CLIENTS" --channels "$SOAK_CHANNELS" --rate "$SOAK_RATE" \
        --churn-rate "$SOAK_CHURN_RATE" --slow "$SOAK_SLOW" --garbage-rate "$SOAK_GARBAGE_RATE" \
        --out "$SOAK_OUT" $SOAK_ARGS || status=$?

if ! kill -0 "$BROKER_PID" 2>/dev/null; then
    echo "soak: the broker is no longer running; see $SOAK_OUT/broker.log" >&2
    [[ $status -eq 0 ]] && status=1
fi
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$SOAK_OUT/machine.txt"
echo "soak: exit $status; results in $SOAK_OUT"
exit "$status"
