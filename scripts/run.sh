#!/usr/bin/env bash
# Builds the broker and starts it with the classic Faye defaults (port 8000, mount /), serving Faye's
# browser client at /client.js as Faye's own server does.
# Extra arguments go to the broker: scripts/run.sh --help lists them.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests -pl broker-transport -am package
if command -v npm >/dev/null 2>&1; then
  # The pinned faye npm package (client/package-lock.json); the broker reads its client directory.
  (cd client && npm ci --no-audit --no-fund --loglevel=error)
  # An environment default, so that a --client-dir flag still wins.
  export BAYEUXD_CLIENT_DIR="${BAYEUXD_CLIENT_DIR:-client/node_modules/faye/client}"
else
  echo "npm not found: Faye's browser client will not be served at /client.js (the broker runs without it)" >&2
fi
exec java -jar broker-transport/target/bayeuxd.jar "$@"
