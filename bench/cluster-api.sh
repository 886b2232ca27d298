#!/usr/bin/env bash
# What the cluster costs the HTTP API and a subscribe: answer times of /api/presence and /api/info on a
# node alone and on one of three --engine redis nodes (which asks the other two through Redis and
# merges), and /meta/subscribe reply times on each (a Redis node waits for Redis to confirm its
# SUBSCRIBE when the channel is new to it), one by one and a hundred in one long-polling request. Needs the
# jar (mvn ... package), java, curl, node and redis-server.
#
#   bench/cluster-api.sh
#
# Prints the results; docs/scaling.md quotes a run. Loopback only, bounded (200 calls per figure, and
# each wait for a node to start bounded); the nodes bind port 0 and their ports are read from their logs;
# it stops only the processes it started, by PID.
set -u
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
JAR=broker-transport/target/bayeuxd.jar
[ -f "$JAR" ] || { echo "build the jar first: $JAR is missing" >&2; exit 1; }
LOGS=$(mktemp -d)
KEY=measure-key-0123456789abcdef
RPORT=$(free_port)
pids=()
cleanup() { for p in "${pids[@]}"; do stop_pid "$p"; done; rm -rf "$LOGS"; }
trap cleanup EXIT
redis-server --port $RPORT --bind 127.0.0.1 --save '' --appendonly no --loglevel warning >/dev/null 2>&1 & pids+=($!)
start_node() { # name engine-args...
  local name=$1; shift
  java -Xmx256m -jar $JAR --host 127.0.0.1 --port 0 --management-host 127.0.0.1 --management-port 0 \
    --api-key $KEY --io-threads 2 "$@" > $LOGS/node-$name.log 2>&1 & pids+=($!)
}
start_node alone
for i in 1 2 3; do start_node r$i --engine redis --redis-url redis://127.0.0.1:$RPORT; done
# A long-polling client of the node on port $1; echoes its client id.
handshake() {
  curl -s -H 'Content-Type: application/json' -d '[{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]}]' http://127.0.0.1:$1/ | sed 's/.*"clientId":"\([^"]*\)".*/\1/'
}
port_of() { sed -n 's/.*bayeuxd listening on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' $LOGS/node-$1.log; }
mport_of() { sed -n 's/.*Management endpoints.* on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' $LOGS/node-$1.log; }
for n in alone r1 r2 r3; do
  for t in $(seq 1 120); do [ -n "$(port_of $n)" ] && break; sleep 0.5; done
  [ -n "$(port_of $n)" ] || { echo "node $n did not start"; tail -5 $LOGS/node-$n.log; exit 1; }
done
P0=$(port_of alone); M0=$(mport_of alone); P1=$(port_of r1); M1=$(mport_of r1); P2=$(port_of r2); P3=$(port_of r3)
# Sessions: 50 subscribed to /room on each node.
for port in $P0 $P1 $P2 $P3; do
  for n in $(seq 1 50); do
    id=$(handshake $port)
    curl -s -o /dev/null -H 'Content-Type: application/json' -d "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"$id\",\"subscription\":\"/room\"}]" http://127.0.0.1:$port/
  done
done
echo "check: presence via a Redis node lists $(curl -s -H "Authorization: Bearer $KEY" "http://127.0.0.1:$M1/api/presence?channel=/room" | grep -o '"clientId"' | wc -l) clients; info sessions: $(curl -s -H "Authorization: Bearer $KEY" http://127.0.0.1:$M1/api/info | sed 's/.*"sessions":\([0-9]*\).*"nodes".*/\1/')"
measure_api() { # mport path label
  local out; out=$(for i in $(seq 1 200); do curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $KEY" "http://127.0.0.1:$1$2" || echo FAILED; done | sort -n)
  echo "$3: median $(echo "$out" | sed -n 100p) s, p90 $(echo "$out" | sed -n 180p) s, max $(echo "$out" | tail -1) s (200 calls; failed: $(echo "$out" | grep -c FAILED))"
}
measure_api $M0 '/api/presence?channel=/room' "presence, node alone (50 clients)"
measure_api $M1 '/api/presence?channel=/room' "presence, 1 of 3 Redis nodes (150 clients)"
measure_api $M0 '/api/info' "info, node alone"
measure_api $M1 '/api/info' "info, 1 of 3 Redis nodes"
measure_subscribe() { # port label
  local id; id=$(handshake $1)
  local out; out=$(for i in $(seq 1 200); do curl -s -w ' %{time_total}\n' -H 'Content-Type: application/json' -d "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"$id\",\"subscription\":\"/new/$i\"}]" http://127.0.0.1:$1/ | grep '"successful":true' | sed 's/.* //'; done | sort -n)
  echo "$2: median $(echo "$out" | sed -n 100p) s, p90 $(echo "$out" | sed -n 180p) s ($(echo "$out" | grep -c .) of 200 subscribes successful)"
}
measure_batch() { # port label: one long-polling request of 100 subscribes, each to a channel new to the node
  local id; id=$(handshake $1)
  local times=""
  for round in 1 2 3 4 5; do
    local body="["; for i in $(seq 1 100); do body="$body{\"channel\":\"/meta/subscribe\",\"clientId\":\"$id\",\"subscription\":\"/batch/$round/$i\"},"; done; body="${body%,}]"
    times="$times $(curl -s -o /dev/null -w '%{time_total}' -H 'Content-Type: application/json' -d "$body" http://127.0.0.1:$1/)"
  done
  echo "$2: 5 requests of 100 subscribes each:$times s"
}
measure_batch $P0 "batch, node alone"
measure_batch $P3 "batch, Redis node"
measure_subscribe $P0 "subscribe to a channel new to the node, node alone"
measure_subscribe $P2 "subscribe to a channel new to the node, Redis node (waits for Redis' confirmation)"
measure_subscribe $P2 "subscribe to a channel the node listens on already, Redis node"
