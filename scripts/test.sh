#!/usr/bin/env bash
# Runs every test: installs the pinned Faye client for the interop suite, then `mvn verify`
# (unit, EmbeddedChannel, real-socket and interop tests, Netty's leak detector at PARANOID).
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v npm >/dev/null 2>&1; then
  (cd interop/faye && npm ci --no-audit --no-fund --loglevel=error)
else
  echo "npm not found: the Faye client interop tests will be skipped" >&2
fi

exec mvn -B -ntp verify "$@"
