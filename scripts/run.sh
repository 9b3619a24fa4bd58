#!/usr/bin/env bash
# The first command: from a fresh machine to a running server at http://127.0.0.1:3000 with the
# demo data loaded (the server loads it into an empty database on start).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/end2end/node_modules/.bin:$PATH"   # wasm-opt from npm's binaryen
scripts/build.sh
mkdir -p data
export LEPTOS_SITE_ROOT="target/site" LEPTOS_SITE_PKG_DIR="pkg" LEPTOS_OUTPUT_NAME="labor-plaza"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
echo "Labor Plaza: http://${LEPTOS_SITE_ADDR}"
exec target/release/server serve
