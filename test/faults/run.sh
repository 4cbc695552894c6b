#!/usr/bin/env bash
# Fault test (issue 4): publish N events with ids, kill -9 the app twice mid-way, restart, then check that every
# event is stored exactly once with exactly one effect. Needs Postgres and NATS JetStream:
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test NATS_URL=nats://127.0.0.1:4222 npm run test:faults -- --events 5000
# N defaults to 5000 (about a minute here); the issue's full run is --events 20000.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f dist/scripts/faults.js ] || [ ! -f dist/src/main.js ] || [ -n "${FAULTS_BUILD:-}" ]; then
  npx nest build
fi
exec node dist/scripts/faults.js "$@"
