#!/usr/bin/env bash
# The second command: every test. Unit tests (domain logic, generator, catalogue), the store
# conformance suite on SQLite and PostgreSQL, integration tests (the HTTP API, pages, server
# functions and subcommands against a real server on temporary databases, once on SQLite and once
# on PostgreSQL), then browser tests (Playwright driving Debian's Chromium, hydrated and without
# JavaScript) against the release build, and two release instances behind nginx (cluster.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/end2end/node_modules/.bin:$PATH"

# A clean build in CI gains nothing from incremental caches; they only take disk.
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi
echo "== disk free before the build: $(df -h --output=avail . | tail -1)"

# A private PostgreSQL (installed if missing), stopped at the end if this run started it.
echo "== PostgreSQL"
pg_was_running=true
scripts/postgres.sh status || pg_was_running=false
PG_URL=$(scripts/postgres.sh start)
if [ "$pg_was_running" = false ]; then trap "'$PWD/scripts/postgres.sh' stop || true" EXIT; fi

echo "== unit tests and the store conformance suite (SQLite and PostgreSQL)"
LABOR_PLAZA_TEST_POSTGRES="$PG_URL" cargo test -p app --features ssr
echo "== integration tests on SQLite"
env -u LABOR_PLAZA_TEST_POSTGRES cargo test -p server
echo "== integration tests on PostgreSQL"
LABOR_PLAZA_TEST_POSTGRES="$PG_URL" cargo test -p server
# Each test binary's server kept its database to the end of its process; drop them now.
scripts/postgres.sh clean

echo "== release build (with the test clock the browser tests move)"
scripts/build.sh --bin-features test-clock

echo "== browser tests"
cd end2end
status=0
PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/results.json npx playwright test --reporter=list,json || status=$?
# One closing line with the counts, read from Playwright's own report.
node -e '
  const r = require("./test-results/results.json").stats;
  console.log(`browser: ${r.expected} passed, ${r.unexpected} failed, ${r.skipped} skipped`);
' || true
cd ..

echo "== several instances: two release servers on PostgreSQL behind nginx"
scripts/cluster.sh test || status=1
exit $status
