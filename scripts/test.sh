#!/usr/bin/env bash
# Runs every test: installs the pinned Faye client for the interop suite and the browser test's packages,
# then `mvn verify` (unit, EmbeddedChannel, real-socket and interop tests, Netty's leak detector at PARANOID).
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v npm >/dev/null 2>&1; then
  (cd interop/faye && npm ci --no-audit --no-fund --loglevel=error)
  # playwright-core is the driver only: it downloads no browser (the test uses Debian's chromium).
  (cd interop/browser && npm ci --no-audit --no-fund --loglevel=error)
else
  echo "npm not found: the Faye client and browser interop tests will be skipped" >&2
fi

exec mvn -B -ntp verify "$@"
