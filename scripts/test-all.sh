#!/usr/bin/env bash
# npm test: what CI runs for tests. Unit + integration + e2e on SQLite, then integration + e2e again on
# Postgres (a fresh database per test file, created from TEST_POSTGRES_URL). Extra arguments go to both jest runs,
# e.g. `npm test -- test/e2e/customers.e2e-spec.ts`. Prints "N passed, M failed" last.
# TEST_REPORT_DIR keeps the jest JSON reports (CI sums them); SKIP_POSTGRES=1 runs the SQLite pass only.
set -uo pipefail
cd "$(dirname "$0")/.."

PG_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

# The NATS (JetStream) and Redis (BullMQ) suites run when those servers answer; CI starts them first (.ci/run).
# Outside CI a missing server skips its suites with a warning; in CI (CI=true) everything is required.
reachable() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
if reachable 4222; then export NATS_URL="${NATS_URL:-nats://127.0.0.1:4222}"; 
elif [ "${CI:-}" = true ]; then echo "NATS is not reachable on 127.0.0.1:4222" >&2; exit 1;
else echo "WARNING: NATS not reachable on 127.0.0.1:4222: the JetStream suites are skipped" >&2; fi
if ! reachable 6379; then
  if [ "${CI:-}" = true ]; then echo "Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; fi
  echo "WARNING: Redis not reachable on 127.0.0.1:6379: the BullMQ suites will fail; start redis-server" >&2
fi
if [ "${SKIP_POSTGRES:-}" != 1 ] && ! reachable 5432; then
  if [ "${CI:-}" = true ]; then echo "Postgres is not reachable on 127.0.0.1:5432" >&2; exit 1; fi
  echo "WARNING: Postgres not reachable on 127.0.0.1:5432: the Postgres pass is skipped" >&2; SKIP_POSTGRES=1
fi
REPORT_DIR="${TEST_REPORT_DIR:-$(mktemp -d -t ciq-jest-XXXXXX)}"
mkdir -p "$REPORT_DIR"
status=0

run_jest() { # name, then env assignments and jest arguments
  local name="$1"; shift
  echo "== jest: $name" >&2
  rm -f "$REPORT_DIR/$name.json"
  env "$@" --json --outputFile="$REPORT_DIR/$name.json" || status=1
}

run_jest sqlite -u TEST_DATABASE_URL npx jest --selectProjects unit integration e2e --passWithNoTests --forceExit "$@"
if [ "${SKIP_POSTGRES:-}" != 1 ]; then
  run_jest postgres TEST_DATABASE_URL="$PG_URL" npx jest --selectProjects integration e2e --passWithNoTests --forceExit "$@"
fi

node scripts/test-summary.js "$REPORT_DIR" || status=1
exit "$status"
