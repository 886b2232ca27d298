#!/usr/bin/env bash
# Builds the broker and starts it with the classic Faye defaults (port 8000, mount /), serving Faye's
# browser client at /client.js as Faye's own server does, and the Webix demo at /demo/ (docs/webix.md).
# Extra arguments go to the broker: scripts/run.sh --help lists them.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests -pl broker-transport -am package
if command -v npm >/dev/null 2>&1; then
  # The pinned faye and webix npm packages (client/package-lock.json): the broker reads faye's client
  # directory, and serves node_modules as --static so that the demo finds Webix at /webix/webix.js.
  (cd client && npm ci --no-audit --no-fund --loglevel=error)
  # Environment defaults, so that --client-dir and --static flags still win.
  export BAYEUXD_CLIENT_DIR="${BAYEUXD_CLIENT_DIR:-client/node_modules/faye/client}"
  export BAYEUXD_STATIC="${BAYEUXD_STATIC:-client/node_modules}"
else
  echo "npm not found: Faye's browser client (/client.js) and Webix for the demo (/demo/) will not be served (the broker runs without them)" >&2
fi
# The demo's channel keeps its records, so a page opened later shows the current list (docs/storage.md).
export BAYEUXD_STATE_CHANNELS="${BAYEUXD_STATE_CHANNELS:-/data}"
exec java -jar broker-transport/target/bayeuxd.jar "$@"
