#!/usr/bin/env bash
# Builds the broker and starts it with the classic Faye defaults (port 8000, mount /).
# Extra arguments go to the broker: scripts/run.sh --help lists them.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests -pl broker-transport -am package
exec java -jar broker-transport/target/bayeuxd.jar "$@"
